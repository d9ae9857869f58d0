// Picks the algorithm a vocabulary names.
#include "tokenizer/tokenizer.h"

#include "tokenizer/tokenizer_bpe.h"
#include "tokenizer/tokenizer_spm.h"

namespace lmzip {

Result<std::unique_ptr<Tokenizer>> tokenizer_create(TokenizerVocab vocab) {
  // llama.cpp cuts user-defined tokens out of the text before tokenizing;
  // without that step their texts would be tokenized differently.
  for (size_t i = 0; i < vocab.types.size(); ++i)
    if (vocab.types[i] == TokenType::user_defined)
      return Status(ErrorCode::bad_model_file,
                    "tokenizer: token " + std::to_string(i) + " is user-defined, which lmzip does not support yet");
  if (vocab.kind == TokenizerKind::spm) return spm_tokenizer_create(std::move(vocab));
  return bpe_tokenizer_create(std::move(vocab));
}

Result<std::unique_ptr<Tokenizer>> tokenizer_create(const gguf::File& file) {
  auto vocab = tokenizer_vocab_read(file);
  if (!vocab) return vocab.status();
  return tokenizer_create(std::move(*vocab));
}

Result<std::unique_ptr<Tokenizer>> tokenizer_create_llama2c(std::span<const uint8_t> bytes, int32_t n_tokens) {
  auto vocab = tokenizer_vocab_read_llama2c(bytes, n_tokens);
  if (!vocab) return vocab.status();
  return tokenizer_create(std::move(*vocab));
}

}  // namespace lmzip
