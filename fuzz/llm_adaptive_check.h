// What the token-network fuzzer (llm_adaptive_fuzzer.cpp) does with one
// input, shared with the corpus replay under ctest (tests/llm_adaptive_test.cpp):
// the first 2 bytes give the chunk's size - 1 (little-endian, its low 10 bits: below 1024),
// the rest is an adaptive stage 4 payload, decoded with `model` as the token
// network and without the size check, which a random payload fails at once
// (2^-16 pass): every payload then reaches the content's decoding.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "adaptive/adaptive_model.h"
#include "codec/chunk_codec.h"
#include "lmzip/model.h"

namespace lmzip::fuzz {

// Whether the payload decodes (and is canonical); must never crash or hang.
inline bool llm_adaptive_check(const Model& model, Predictor& network, AdaptiveModel& stage,
                               std::span<const uint8_t> input) {
  if (input.size() < 2) return false;
  const size_t bytes = 1 + ((input[0] | size_t(input[1]) << 8) & 0x3FF);
  std::vector<uint8_t> content(bytes);
  return chunk_decode_adaptive_tokens(stage, network, *model.token_text(), input.subspan(2), content,
                                      {.exact_end = true, .size_check = false});
}

}  // namespace lmzip::fuzz
