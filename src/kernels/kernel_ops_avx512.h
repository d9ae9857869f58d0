// AVX-512F lane operations (see kernel_ops.h for the rules).
#pragma once

#include "kernels/kernel_ops.h"

namespace {

struct OpsAvx512 {
  static constexpr int W = 16;
  using V = __m512;
  using M = __mmask16;
  static V zero() { return _mm512_setzero_ps(); }
  static V set1(float x) { return _mm512_set1_ps(x); }
  static V load(const float* p) { return _mm512_loadu_ps(p); }
  static void store(float* p, V v) { _mm512_storeu_ps(p, v); }
  static V load_h(const uint16_t* p) {
    return _mm512_cvtph_ps(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(p)));
  }
  static V load_b(const uint16_t* p) {
    const __m512i u = _mm512_cvtepu16_epi32(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(p)));
    return _mm512_castsi512_ps(_mm512_slli_epi32(u, 16));
  }
  static V f16_trip(V x) {
    return _mm512_cvtph_ps(_mm512_cvtps_ph(x, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC));
  }
  static V add(V a, V b) { return _mm512_add_ps(a, b); }
  static V sub(V a, V b) { return _mm512_sub_ps(a, b); }
  static V mul(V a, V b) { return _mm512_mul_ps(a, b); }
  static V div(V a, V b) { return _mm512_div_ps(a, b); }
  static V fma(V a, V b, V c) { return _mm512_fmadd_ps(a, b, c); }
  static V max(V a, V b) { return _mm512_max_ps(a, b); }
  static V min(V a, V b) { return _mm512_min_ps(a, b); }
  static M all() { return 0xffff; }
  static M mask_range(int lo, int hi) {
    if (lo < 0) lo = 0;
    if (hi > 15) hi = 15;
    if (lo > hi) return 0;
    return M(((2u << hi) - 1) & ~((1u << lo) - 1));
  }
  static V select(M m, V a, V b) { return _mm512_mask_blend_ps(m, b, a); }
  static V fma_mask(M m, V a, V b, V c) { return _mm512_mask3_fmadd_ps(a, b, c, m); }
  static V pow2i(V n) {
    const __m512i k = _mm512_add_epi32(_mm512_cvttps_epi32(n), _mm512_set1_epi32(127));
    return _mm512_castsi512_ps(_mm512_slli_epi32(k, 23));
  }
  static void store_trunc_u32(uint32_t* p, V v) {
    _mm512_storeu_si512(p, _mm512_cvttps_epi32(v));
  }
};

}  // namespace
