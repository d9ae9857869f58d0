// Per-ISA lane operations the kernels are written in (kernels_impl.h). Every
// operation is exact IEEE-754 single precision applied lane by lane, so a
// kernel computes bit-identical values whichever Ops runs it: the scalar
// reference (W = 1), AVX2 (W = 8) or AVX-512 (W = 16). That is the whole trick
// of our determinism: we vectorise ACROSS outputs, and each lane performs the
// scalar reference's sequence of operations.
//
// Rules for adding an ISA (NEON: float32x4_t, vfmaq_f32, vmaxq_f32 has
// different NaN rules, so max must be built from a compare + select):
//   * fma must be a fused multiply-add (single rounding),
//   * max(a, b) = a > b ? a : b and min(a, b) = a < b ? a : b exactly (x86
//     maxps/minps semantics, including NaN and signed zero),
//   * div and sqrt correctly rounded (IEEE), no approximations (no rcp/rsqrt),
//   * f16_trip rounds to the nearest binary16 (ties to even, subnormals kept)
//     and back, and load_h converts binary16 to f32 exactly (NEON: vcvt_f16_f32,
//     vcvt_f32_f16); load_b puts bfloat16 bits in the high half of each lane.
//
// Everything here has internal linkage: each kernels_*.cpp compiles its own
// copy with its own -m flags, and the linker must never merge them.
#pragma once

#include <cstdint>
#include <cstring>

#include "common/f16.h"

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#endif

namespace {

struct OpsScalar {
  static constexpr int W = 1;
  using V = float;
  using M = bool;
  static V zero() { return 0.0f; }
  static V set1(float x) { return x; }
  static V load(const float* p) { return *p; }
  static void store(float* p, V v) { *p = v; }
  // W binary16 values, converted exactly.
  static V load_h(const uint16_t* p) { return lmzip::f16_to_f32(*p); }
  // W bfloat16 values (the high halves of f32s).
  static V load_b(const uint16_t* p) {
    const uint32_t u = uint32_t(*p) << 16;
    float f;
    std::memcpy(&f, &u, 4);
    return f;
  }
  // Each lane rounded to the nearest binary16 and back (finite inputs below
  // 65520 in magnitude; callers clamp).
  static V f16_trip(V x) { return lmzip::f16_to_f32(lmzip::f32_to_f16(x)); }
  static V add(V a, V b) { return a + b; }
  static V sub(V a, V b) { return a - b; }
  static V mul(V a, V b) { return a * b; }
  static V div(V a, V b) { return a / b; }
  // __builtin_fmaf, not std::fma: no inline function the linker could merge
  // across translation units compiled with different -m flags.
  static V fma(V a, V b, V c) { return __builtin_fmaf(a, b, c); }
  static V max(V a, V b) { return a > b ? a : b; }
  static V min(V a, V b) { return a < b ? a : b; }
  static M all() { return true; }
  // Lanes i with lo <= i <= hi.
  static M mask_range(int lo, int hi) { return lo <= 0 && 0 <= hi; }
  static V select(M m, V a, V b) { return m ? a : b; }
  static V fma_mask(M m, V a, V b, V c) { return m ? __builtin_fmaf(a, b, c) : c; }
  // 2^n for integer-valued n in [-126, 127].
  static V pow2i(V n) {
    const uint32_t bits = uint32_t(int32_t(n) + 127) << 23;
    float f;
    std::memcpy(&f, &bits, 4);
    return f;
  }
  // Truncation toward zero of values in [0, 2^31).
  static void store_trunc_u32(uint32_t* p, V v) { *p = uint32_t(int32_t(v)); }
};

}  // namespace
