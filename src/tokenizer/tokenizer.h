// Text <-> token ids with a pretrained model's own tokenizer, so that lmzip
// can feed a llama-family model the ids it was trained on. Two algorithms:
// SentencePiece (tokenizer_spm.h) and GPT-2's byte-level BPE
// (tokenizer_bpe.h). What round-trips and what does not: docs/TOKENIZERS.md.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "gguf/gguf.h"
#include "lmzip/error.h"
#include "tokenizer/tokenizer_vocab.h"

namespace lmzip {

class Tokenizer {
 public:
  virtual ~Tokenizer() = default;

  // The text's ids, without BOS / EOS (the caller adds them: vocab().add_bos).
  // Any bytes are accepted, invalid UTF-8 included.
  virtual std::vector<int32_t> encode(std::string_view text) const = 0;

  // The bytes the ids stand for, taking them as a whole text from its start
  // (SPM: the space encode put in front is removed). Control and unknown
  // tokens stand for no bytes; ids outside the vocabulary are skipped.
  virtual std::string decode(std::span<const int32_t> ids) const = 0;

  // The bytes one id adds to decode()'s text, as its first id or after
  // others (first, SPM drops the space encode put in front). Empty for
  // control and unknown tokens; id must be in the vocabulary.
  virtual std::string_view piece(int32_t id, bool first) const = 0;

  virtual const TokenizerVocab& vocab() const = 0;
};

// The tokenizer a checked vocabulary describes; bad_model_file when the
// vocabulary lacks what its algorithm needs.
Result<std::unique_ptr<Tokenizer>> tokenizer_create(TokenizerVocab vocab);
// The tokenizer of a GGUF model file (its tokenizer.ggml.* keys).
Result<std::unique_ptr<Tokenizer>> tokenizer_create(const gguf::File& file);
// The tokenizer of llama2.c's tokenizer file, for a model of n_tokens tokens.
Result<std::unique_ptr<Tokenizer>> tokenizer_create_llama2c(std::span<const uint8_t> bytes, int32_t n_tokens);

}  // namespace lmzip
