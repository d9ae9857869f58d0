// The logistic function and its inverse in integer arithmetic, for the token
// mixer (token_mixer.h). Probabilities are 12-bit (p / 4096); the logistic
// domain is fixed point with 8 fractional bits, clamped to [-2047, 2047]
// (odds up to e^8). Integers only, so every machine computes the same values.
#pragma once

#include <array>
#include <cstdint>

namespace lmzip {

inline constexpr int kLogisticMax = 2047;

// 4096 / (1 + e^-(d / 256)), rounded, for d = -2047 .. 2047: linear
// interpolation between the exact values at every 128 (x = -8, -7.5, .. 8).
inline int squash(int d) {
  static constexpr int kAt[33] = {1,    2,    4,    6,    10,   17,   27,   45,   74,   120,  194,
                                  311,  488,  747,  1102, 1546, 2048, 2550, 2994, 3349, 3608, 3785,
                                  3902, 3976, 4022, 4051, 4069, 4079, 4086, 4090, 4092, 4094, 4095};
  if (d > kLogisticMax) d = kLogisticMax;
  if (d < -kLogisticMax) d = -kLogisticMax;
  const int i = (d + 2048) >> 7, w = (d + 2048) & 127;
  return (kAt[i] * (128 - w) + kAt[i + 1] * w + 64) >> 7;
}

// The inverse of squash: the smallest d whose squash(d) >= p, for p in 0..4095.
inline int stretch(int p) {
  static const std::array<int16_t, 4096> kTable = [] {
    std::array<int16_t, 4096> t{};
    int p0 = 0;
    for (int d = -kLogisticMax; d <= kLogisticMax; ++d)
      for (const int v = squash(d); p0 <= v && p0 < 4096; ++p0) t[size_t(p0)] = int16_t(d);
    for (; p0 < 4096; ++p0) t[size_t(p0)] = kLogisticMax;
    return t;
  }();
  return kTable[size_t(p)];
}

}  // namespace lmzip
