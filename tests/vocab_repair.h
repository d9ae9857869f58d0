// Test support: repairs the shared copies of llama.cpp's two vocabulary test
// files, ../shared/data/model/llama_cpp_vocab/ggml-vocab-{gpt-2,llama-spm}.gguf.
//
// The damage: somewhere upstream the binary files went through a UTF-8 text
// round trip that replaced every ill-formed byte sequence (each maximal
// subpart, as Python's bytes.decode("utf-8", "replace") does) by U+FFFD, the
// three bytes EF BF BD. Text survived (token strings are valid UTF-8); binary
// fields with a byte >= 0x80 did not:
//  - gpt-2: 9 replacements, each of one byte: layer_norm_epsilon (2), the
//    counts 50257 of tokens and token_type, the count 50000 of merges,
//    bos/eos = 50256, and one string length in the tokens array and one in
//    the merges array;
//  - llama-spm: 65202 replacements (for 65986 bytes: one replacement can
//    stand for up to three bytes of an ill-formed sequence), all but 3 in
//    the float32 array tokenizer.ggml.scores, which lost bytes of every
//    piece's score (the others: layer_norm_rms_epsilon, rope
//    dimension_count = 128).
// The library rejects the damaged files (tokenizer_test.cpp checks it); the
// tests run on the repaired bytes. Details: docs/TOKENIZERS.md.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "lmzip/error.h"

namespace lmzip::test {

// What the round trip did: valid UTF-8 kept, each maximal ill-formed subpart
// replaced by EF BF BD. A repair is right only if damaging it gives the
// damaged file back byte for byte.
std::vector<uint8_t> utf8_damage(std::span<const uint8_t> bytes);

// The original GPT-2 vocabulary file: known values for the damaged scalars
// and counts; a damaged string length is the one value 0x80..0xFF for its
// lost byte after which the string and the next one parse.
Result<std::vector<uint8_t>> vocab_repair_gpt2(std::span<const uint8_t> damaged);

// The original LLaMA SentencePiece vocabulary file. Its scores are rebuilt
// from the rule LLaMA's vocabulary follows: 0 for <unk>, <s>, </s> and the
// 256 byte tokens (ids 0..258), -(id - 259) for the pieces, except the runs
// of U+2581 (SentencePiece's spaces), which score -1e9. Every damaged score
// must be explained by exactly that rule: the bytes that survived must agree.
Result<std::vector<uint8_t>> vocab_repair_spm(std::span<const uint8_t> damaged);

}  // namespace lmzip::test
