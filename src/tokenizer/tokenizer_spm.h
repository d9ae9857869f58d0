// llama.cpp's SentencePiece tokenizer (tokenizer.ggml.model "llama"; also
// llama2.c's): spaces become U+2581, a space goes in front of the text, and
// adjacent symbols are merged greedily, the pair whose merged piece has the
// highest score first (ties: the leftmost); what merges into no piece is
// written as byte tokens <0xXX>.
#pragma once

#include <memory>

#include "lmzip/error.h"
#include "tokenizer/tokenizer.h"

namespace lmzip {

// bad_model_file when the vocabulary lacks a byte token <0x00>..<0xFF> or
// the piece U+2581 (then text could not be encoded without loss).
Result<std::unique_ptr<Tokenizer>> spm_tokenizer_create(TokenizerVocab vocab);

}  // namespace lmzip
