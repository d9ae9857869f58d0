// What every adaptive payload codes besides its content (docs/FORMAT.md,
// "Adaptive payload"): bits at the stage's probability, and the size check.
#pragma once

#include <cstdint>

#include "adaptive/adaptive_model.h"
#include "coder/range_coder.h"

namespace lmzip {

// A bit's interval in [0, 2^16): 0 below, 1 above (the stage's p1 of it).
inline constexpr uint32_t kBitTotal = 1u << kAdaptiveProbBits;

// A bit with P(1) = p1 / 2^16: the interval [0, 2^16 - p1) codes a 0, the
// rest a 1.
inline void bit_encode(RangeEncoder& encoder, int bit, uint32_t p1) {
  if (bit) encoder.encode(kBitTotal - p1, p1, kBitTotal);
  else encoder.encode(0, kBitTotal - p1, kBitTotal);
}

inline int bit_decode(RangeDecoder& decoder, uint32_t p1) {
  const int bit = decoder.decode_target(kBitTotal) >= kBitTotal - p1;
  if (bit) decoder.consume(kBitTotal - p1, p1);
  else decoder.consume(0, kBitTotal - p1);
  return bit;
}

// The size check: 16 bits of a hash of what the record and the payload
// claim, coded first with a uniform distribution. A forged size or lane
// byte, or a payload that is not a coding at all, decodes to a random value
// here, so the decoder stops before spending any work on content.
inline constexpr uint32_t kCheckTotal = 1u << 16;

inline uint32_t size_check(uint8_t stage, uint8_t lane_log2, uint32_t bytes) {
  const uint64_t claim = uint64_t{bytes} << 16 | uint64_t{stage} << 8 | lane_log2;
  return uint32_t((claim * 0x9E3779B97F4A7C15ull) >> 48);
}

// The check coded, and checked (false: the claim is not what the payload was made for).
inline void size_check_encode(RangeEncoder& encoder, uint8_t stage, uint8_t lane_log2, uint32_t bytes) {
  encoder.encode(size_check(stage, lane_log2, bytes), 1, kCheckTotal);
}
inline bool size_check_decode(RangeDecoder& decoder, uint8_t stage, uint8_t lane_log2, uint32_t bytes) {
  const uint32_t check = size_check(stage, lane_log2, bytes);
  if (decoder.decode_target(kCheckTotal) != check) return false;
  decoder.consume(check, 1);
  return true;
}

}  // namespace lmzip
