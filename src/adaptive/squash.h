// The logistic function and its inverse for the adaptive stage, in 16-bit
// probability precision (model/logistic.h has 12 bits, too coarse near 0 and 1).
// The logistic domain is fixed point with 7 fractional bits, clamped to
// [-2047, 2047] (odds up to e^16, beyond what 16 bits of probability hold).
// Tables built from integers only, so every machine computes the same values.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

namespace lmzip::adaptive {

inline constexpr int kStretchMax = 2047;

extern const std::array<int16_t, 65536> kStretchTable;
extern const std::array<uint16_t, 4095> kSquashTable;

// 65536 / (1 + e^(-d/128)) in 1..65535; d is clamped to the domain.
inline int squash(int d) {
  if (d > kStretchMax) d = kStretchMax;
  if (d < -kStretchMax) d = -kStretchMax;
  return kSquashTable[size_t(d + kStretchMax)];
}

// The inverse of squash for a 16-bit probability p (0..65535).
inline int stretch(uint32_t p) { return kStretchTable[p & 0xFFFF]; }

}  // namespace lmzip::adaptive
