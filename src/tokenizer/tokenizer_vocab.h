// A pretrained model's tokenizer vocabulary, as llama.cpp describes it in a
// GGUF file's `tokenizer.ggml.*` metadata (or as llama2.c's tokenizer file
// holds it). Reading checks every field, so the tokenizers built on it can
// trust sizes, ids and types. Conventions: docs/TOKENIZERS.md.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "gguf/gguf.h"
#include "lmzip/error.h"

namespace lmzip {

// `tokenizer.ggml.model`: "llama" is SentencePiece (merges by piece score),
// "gpt2" is byte-level BPE (merges by rank).
enum class TokenizerKind { spm, bpe };

// `tokenizer.ggml.token_type`, values as llama.cpp writes them.
enum class TokenType : int32_t { normal = 1, unknown = 2, control = 3, user_defined = 4, unused = 5, byte = 6 };

struct TokenizerVocab {
  TokenizerKind kind = TokenizerKind::spm;
  std::vector<std::string> tokens;  // id -> text (SPM: spaces written as U+2581; BPE: GPT-2's byte characters)
  std::vector<TokenType> types;     // id -> type
  std::vector<float> scores;        // SPM: id -> merge priority, higher merges first (empty for BPE)
  std::vector<std::string> merges;  // BPE: "left right", rank = index (empty for SPM)
  std::string pre;                  // `tokenizer.ggml.pre`, the BPE pre-tokenizer's name ("" if absent)
  int32_t bos_id = -1, eos_id = -1, unk_id = -1, pad_id = -1;  // -1: the file names none
  bool add_bos = false;             // whether the model expects its BOS id before the text
  bool add_eos = false;
  bool add_space_prefix = false;    // SPM: a space is put in front of the text (llama.cpp's default for "llama")
};

// The vocabulary from a parsed GGUF file. Every missing, mistyped or
// inconsistent field is a bad_model_file error naming the key.
Result<TokenizerVocab> tokenizer_vocab_read(const gguf::File& file);

// Writes the vocabulary as `tokenizer.ggml.*` metadata (what
// tokenizer_vocab_read reads back), replacing any there.
void tokenizer_vocab_write(const TokenizerVocab& vocab, gguf::File& file);

// The vocabulary of llama2.c's tokenizer file (`tok512.bin`): i32 max token
// length, then per token f32 score, i32 length, bytes. The file does not say
// how many tokens it holds: the model does (`n_tokens`). Ids 0, 1, 2 are
// <unk>, <s>, </s>; `<0xXX>` pieces are byte tokens; llama2.c wrote spaces
// where SentencePiece has U+2581, which is undone here.
Result<TokenizerVocab> tokenizer_vocab_read_llama2c(std::span<const uint8_t> bytes, int32_t n_tokens);

}  // namespace lmzip
