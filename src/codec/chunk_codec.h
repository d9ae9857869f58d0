// One chunk through the model and the range coder. Chunks are independent:
// the predictor is reset at the start of each.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "lmzip/predictor.h"

namespace lmzip {

// How many chunks the encoder and decoder hold in flight: enough to keep every
// thread busy, few enough to bound memory.
inline size_t chunks_in_flight(unsigned threads, uint32_t chunk_size) {
  const size_t by_memory = std::min<size_t>(256, (16u << 20) / chunk_size);
  return std::max<size_t>(2 * size_t{threads}, by_memory);
}

// Appends the coded chunk to `payload`. Returns false (payload contents then
// unspecified) as soon as the code is no smaller than the content: the caller
// stores such a chunk raw.
bool chunk_encode(Predictor& predictor, std::span<const uint8_t> content,
                  std::vector<uint8_t>& payload);

// Decodes exactly content.size() bytes. Any payload decodes to something;
// corrupt payloads are caught by the chunk checksum, and by the result: false
// when the payload is not exactly the encoder's coding of what it decoded to
// (RangeDecoder::at_canonical_end), which a decoder must reject.
bool chunk_decode(Predictor& predictor, std::span<const uint8_t> payload,
                  std::span<uint8_t> content);

// Decodes payloads.size() chunks of equal size together (one lane each);
// payloads.size() <= predictor.max_lanes(). Same output as chunk_decode();
// element i of the result is chunk_decode()'s result for lane i.
std::vector<bool> chunk_decode_lockstep(LockstepPredictor& predictor,
                           std::span<const std::span<const uint8_t>> payloads,
                           std::span<const std::span<uint8_t>> contents);

}  // namespace lmzip
