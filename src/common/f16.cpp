// IEEE binary16 conversions by bit manipulation (no F16C: identical on every host).
#include "common/f16.h"

#include <cstring>

namespace lmzip {

uint16_t f32_to_f16(float x) {
  uint32_t f;
  std::memcpy(&f, &x, 4);
  const uint32_t sign = (f >> 16) & 0x8000;
  const uint32_t exp = (f >> 23) & 0xff;
  uint32_t mant = f & 0x7fffff;
  if (exp == 0xff) return uint16_t(sign | 0x7c00 | (mant ? 0x200 | (mant >> 13) : 0));  // inf / NaN
  int e = int(exp) - 127 + 15;
  if (e >= 31) return uint16_t(sign | 0x7c00);  // overflow -> inf
  if (e <= 0) {
    // Subnormal half (or zero): shift the implicit-1 mantissa into place, round to nearest even.
    if (e < -10) return uint16_t(sign);
    mant |= 0x800000;
    const int shift = 14 - e;  // 24-bit mantissa -> (10 + e) bits
    uint32_t h = mant >> shift;
    const uint32_t rem = mant & ((1u << shift) - 1), half = 1u << (shift - 1);
    if (rem > half || (rem == half && (h & 1))) ++h;
    return uint16_t(sign | h);
  }
  uint32_t h = (uint32_t(e) << 10) | (mant >> 13);
  const uint32_t rem = mant & 0x1fff;
  if (rem > 0x1000 || (rem == 0x1000 && (h & 1))) ++h;  // may carry into the exponent: correct
  return uint16_t(sign | h);
}

float f16_to_f32(uint16_t h) {
  const uint32_t sign = uint32_t(h & 0x8000) << 16;
  uint32_t exp = (h >> 10) & 0x1f;
  uint32_t mant = h & 0x3ff;
  uint32_t f;
  if (exp == 0x1f) {
    f = sign | 0x7f800000 | (mant << 13);
  } else if (exp == 0) {
    if (mant == 0) {
      f = sign;
    } else {  // subnormal: normalise
      int e = -1;
      do { mant <<= 1; ++e; } while (!(mant & 0x400));
      f = sign | (uint32_t(127 - 15 - e) << 23) | ((mant & 0x3ff) << 13);
    }
  } else {
    f = sign | ((exp + 127 - 15) << 23) | (mant << 13);
  }
  float x;
  std::memcpy(&x, &f, 4);
  return x;
}

float f16_round(float x) {
  x = x > -kF16Max ? x : -kF16Max;  // x86 maxps / minps order: a NaN becomes -kF16Max
  x = x < kF16Max ? x : kF16Max;
  return f16_to_f32(f32_to_f16(x));
}

}  // namespace lmzip
