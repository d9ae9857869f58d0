// One chunk through the model and the range coder. Chunks are independent:
// the predictor is reset at the start of each.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "lmzip/predictor.h"

namespace lmzip {

// Appends the coded chunk to `payload`. Returns false (payload contents then
// unspecified) as soon as the code is no smaller than the content: the caller
// stores such a chunk raw.
bool chunk_encode(Predictor& predictor, std::span<const uint8_t> content,
                  std::vector<uint8_t>& payload);

// Decodes exactly content.size() bytes. Any payload decodes to something;
// corrupt payloads are caught by the chunk checksum.
void chunk_decode(Predictor& predictor, std::span<const uint8_t> payload,
                  std::span<uint8_t> content);

}  // namespace lmzip
