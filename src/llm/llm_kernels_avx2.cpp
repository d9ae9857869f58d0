// AVX2 (compiled with -mavx2; used only when kernels() runs AVX2 or AVX-512):
// the eight rows' sums of a 32-block land in one vector, lane r = row r, so
// the float steps run on eight outputs at once. Elsewhere than x86 this file
// compiles to a null table.
#include "llm/llm_kernels.h"

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>

namespace lmzip {

namespace {

// One row's 32-block: 8 int32 partial sums. maddubs takes unsigned x signed
// bytes, so the signs move from q to x: |q| * (x * sign q) = q * x. No pair
// sum saturates: |q| <= 128 and |x| <= 127 keep each product within 128 * 127.
inline __m256i block32(const int8_t* q, __m256i x, __m256i scales) {
  const __m256i a = _mm256_load_si256(reinterpret_cast<const __m256i*>(q));
  const __m256i p16 = _mm256_maddubs_epi16(_mm256_sign_epi8(a, a), _mm256_sign_epi8(x, a));
  return _mm256_madd_epi16(p16, scales);  // int16 lanes 0..7 hold elements 0..15 (scale sc[2j]), 8..15 the rest
}

// Eight vectors to the vector of their eight sums.
inline __m256i sums8(const __m256i* v) {
  const __m256i s01 = _mm256_hadd_epi32(v[0], v[1]), s23 = _mm256_hadd_epi32(v[2], v[3]);
  const __m256i s45 = _mm256_hadd_epi32(v[4], v[5]), s67 = _mm256_hadd_epi32(v[6], v[7]);
  const __m256i s0123 = _mm256_hadd_epi32(s01, s23), s4567 = _mm256_hadd_epi32(s45, s67);
  return _mm256_add_epi32(_mm256_permute2x128_si256(s0123, s4567, 0x20),
                          _mm256_permute2x128_si256(s0123, s4567, 0x31));
}

void row_group_avx2(const LlmRowGroup& g, const int8_t* x, const float* dx, const int32_t* xs, float* acc) {
  __m256 a = _mm256_loadu_ps(acc);
  __m256i v[8];
  for (int j = 0; j < g.nsub; ++j) {
    const __m256i xv = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(x + 32 * j));
    for (int r = 0; r < 8; ++r) {
      const __m256i s = _mm256_setr_m128i(_mm_set1_epi16(g.sc[r][2 * j]), _mm_set1_epi16(g.sc[r][2 * j + 1]));
      v[r] = block32(g.q[r] + 32 * j, xv, s);
    }
    const __m256 isum = _mm256_cvtepi32_ps(sums8(v));  // exact: |isum| < 2^24
    const __m256 w = _mm256_sub_ps(_mm256_mul_ps(_mm256_load_ps(g.ws[j]), isum),
                                   _mm256_mul_ps(_mm256_load_ps(g.wm[j]), _mm256_set1_ps(float(xs[j]))));
    a = _mm256_add_ps(a, _mm256_mul_ps(_mm256_set1_ps(dx[j]), w));
  }
  _mm256_storeu_ps(acc, a);
}

// Eight positions at once, lane = position; each lane the scalar chain (the
// fma here is the hardware's, correctly rounded as fmaf is).
void attn_scores_avx2(const float* q, const float* k, size_t stride, int64_t n, int hd, float scale, float* out) {
  int64_t j = 0;
  if (stride * 8 < (size_t(1) << 31)) {
    const __m256i at = _mm256_mullo_epi32(_mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7), _mm256_set1_epi32(int(stride)));
    for (; j + 8 <= n; j += 8) {
      const float* kj = k + size_t(j) * stride;
      __m256 s = _mm256_setzero_ps();
      for (int i = 0; i < hd; ++i) s = _mm256_fmadd_ps(_mm256_set1_ps(q[i]), _mm256_i32gather_ps(kj + i, at, 4), s);
      _mm256_storeu_ps(out + j, _mm256_mul_ps(s, _mm256_set1_ps(scale)));
    }
  }
  for (; j < n; ++j) {
    const float* kj = k + size_t(j) * stride;
    float s = 0.f;
    for (int i = 0; i < hd; ++i) s = __builtin_fmaf(q[i], kj[i], s);
    out[j] = s * scale;
  }
}

// Eight channels at once, lane = channel.
void attn_mix_avx2(const float* e, const float* v, size_t stride, int64_t n, int hd, float* o) {
  int i = 0;
  for (; i + 8 <= hd; i += 8) {
    __m256 acc = _mm256_setzero_ps();
    for (int64_t j = 0; j < n; ++j) acc = _mm256_fmadd_ps(_mm256_set1_ps(e[j]), _mm256_loadu_ps(v + size_t(j) * stride + i), acc);
    _mm256_storeu_ps(o + i, acc);
  }
  for (; i < hd; ++i) {
    float acc = 0.f;
    for (int64_t j = 0; j < n; ++j) acc = __builtin_fmaf(e[j], v[size_t(j) * stride + i], acc);
    o[i] = acc;
  }
}

const LlmKernels kAvx2{"avx2", row_group_avx2, attn_scores_avx2, attn_mix_avx2};

}  // namespace

const LlmKernels* llm_kernels_avx2() { return &kAvx2; }

}  // namespace lmzip

#else

namespace lmzip {
const LlmKernels* llm_kernels_avx2() { return nullptr; }
}  // namespace lmzip

#endif
