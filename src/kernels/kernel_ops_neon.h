// AArch64 Advanced SIMD lane operations (see kernel_ops.h for the rules).
// NEON's own fmax/fmin differ from x86 maxps/minps on NaN and signed zero, so
// max and min are a compare and a bit select; division is the IEEE vdivq_f32,
// never the reciprocal estimate.
#pragma once

#include <arm_neon.h>

#include "kernels/kernel_ops.h"

namespace {

struct OpsNeon {
  static constexpr int W = 4;
  using V = float32x4_t;
  using M = uint32x4_t;  // all-ones / all-zeros lanes
  static V zero() { return vdupq_n_f32(0.0f); }
  static V set1(float x) { return vdupq_n_f32(x); }
  static V load(const float* p) { return vld1q_f32(p); }
  static void store(float* p, V v) { vst1q_f32(p, v); }
  // FCVTL/FCVTN: IEEE binary16 (FPCR.AHP is 0 on Linux), rounding by FPCR
  // (nearest-even), subnormals kept (FPCR.FZ16 is 0).
  static V load_h(const uint16_t* p) { return vcvt_f32_f16(vreinterpret_f16_u16(vld1_u16(p))); }
  static V load_b(const uint16_t* p) { return vreinterpretq_f32_u32(vshll_n_u16(vld1_u16(p), 16)); }
  static V f16_trip(V x) { return vcvt_f32_f16(vcvt_f16_f32(x)); }
  static V add(V a, V b) { return vaddq_f32(a, b); }
  static V sub(V a, V b) { return vsubq_f32(a, b); }
  static V mul(V a, V b) { return vmulq_f32(a, b); }
  static V div(V a, V b) { return vdivq_f32(a, b); }
  static V fma(V a, V b, V c) { return vfmaq_f32(c, a, b); }
  // a > b ? a : b: b when either is NaN or both are zeros, as maxps.
  static V max(V a, V b) { return vbslq_f32(vcgtq_f32(a, b), a, b); }
  static V min(V a, V b) { return vbslq_f32(vcltq_f32(a, b), a, b); }
  static M all() { return vdupq_n_u32(~0u); }
  static M mask_range(int lo, int hi) {
    const int32x4_t i = {0, 1, 2, 3};
    return vandq_u32(vcgeq_s32(i, vdupq_n_s32(lo)), vcleq_s32(i, vdupq_n_s32(hi)));
  }
  static V select(M m, V a, V b) { return vbslq_f32(m, a, b); }
  static V fma_mask(M m, V a, V b, V c) { return vbslq_f32(m, vfmaq_f32(c, a, b), c); }
  static V pow2i(V n) {
    const int32x4_t k = vaddq_s32(vcvtq_s32_f32(n), vdupq_n_s32(127));
    return vreinterpretq_f32_s32(vshlq_n_s32(k, 23));
  }
  static void store_trunc_u32(uint32_t* p, V v) {
    vst1q_u32(p, vreinterpretq_u32_s32(vcvtq_s32_f32(v)));
  }
};

}  // namespace
