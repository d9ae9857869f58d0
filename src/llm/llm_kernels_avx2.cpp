// AVX2 (compiled with -mavx2; used only when kernels() runs AVX2 or AVX-512).
// Elsewhere than x86 this file compiles to a null table.
#include "llm/llm_kernels.h"

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>

namespace lmzip {

namespace {

// One 32-block: 8 int32 partial sums. maddubs takes unsigned x signed bytes,
// so the signs move from q to x: |q| * (x * sign q) = q * x. No pair sum
// saturates: |q| <= 128 and |x * sign q| <= 127 or (-128 only as -(-128))
// keep each product within 128 * 128 and a pair within int16.
inline __m256i block32(const int8_t* q, const int8_t* x, __m256i scales) {
  const __m256i a = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(q));
  const __m256i b = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(x));
  const __m256i p16 = _mm256_maddubs_epi16(_mm256_sign_epi8(a, a), _mm256_sign_epi8(b, a));
  return _mm256_madd_epi16(p16, scales);  // lanes 0..7 hold elements 0..15: scale sc[2j]; 8..15 sc[2j+1]
}

void block_dots_avx2(int nsub, const int8_t* q, const int16_t* sc, const int8_t* x, int32_t* isum) {
  __m256i v[8];
  for (int j = 0; j < 8; ++j) {
    if (j < nsub) {
      const __m256i s = _mm256_setr_m128i(_mm_set1_epi16(sc[2 * j]), _mm_set1_epi16(sc[2 * j + 1]));
      v[j] = block32(q + 32 * j, x + 32 * j, s);
    } else {
      v[j] = _mm256_setzero_si256();
    }
  }
  // Eight vectors to their eight sums: three rounds of pairwise adds.
  const __m256i s01 = _mm256_hadd_epi32(v[0], v[1]), s23 = _mm256_hadd_epi32(v[2], v[3]);
  const __m256i s45 = _mm256_hadd_epi32(v[4], v[5]), s67 = _mm256_hadd_epi32(v[6], v[7]);
  const __m256i s0123 = _mm256_hadd_epi32(s01, s23), s4567 = _mm256_hadd_epi32(s45, s67);
  const __m256i sums = _mm256_add_epi32(_mm256_permute2x128_si256(s0123, s4567, 0x20),
                                        _mm256_permute2x128_si256(s0123, s4567, 0x31));
  alignas(32) int32_t out[8];
  _mm256_store_si256(reinterpret_cast<__m256i*>(out), sums);
  for (int j = 0; j < nsub; ++j) isum[j] = out[j];
}

const LlmKernels kAvx2{"avx2", block_dots_avx2};

}  // namespace

const LlmKernels* llm_kernels_avx2() { return &kAvx2; }

}  // namespace lmzip

#else

namespace lmzip {
const LlmKernels* llm_kernels_avx2() { return nullptr; }
}  // namespace lmzip

#endif
