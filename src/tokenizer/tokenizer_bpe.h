// GPT-2's byte-level BPE (tokenizer.ggml.model "gpt2", tokenizer.ggml.pre
// "gpt-2"): the text is cut into words by GPT-2's pre-tokenizer regex, each
// byte of a word becomes one of GPT-2's 256 byte characters, and adjacent
// symbols are merged by the rank of their merge rule (lowest first, ties: the
// leftmost).
#pragma once

#include <memory>

#include "lmzip/error.h"
#include "tokenizer/tokenizer.h"

namespace lmzip {

// bad_model_file for another pre-tokenizer, a byte character that is no
// token, a merge rule that is not "left right" or whose result is no token,
// or a token that is not made of byte characters.
Result<std::unique_ptr<Tokenizer>> bpe_tokenizer_create(TokenizerVocab vocab);

}  // namespace lmzip
