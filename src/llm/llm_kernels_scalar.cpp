// The reference: what every other path must equal, bit for bit.
#include "kernels/kernels.h"
#include "llm/llm_kernels.h"

#include <cstring>

namespace lmzip {

namespace {

void row_group_scalar(const LlmRowGroup& g, const int8_t* x, const float* dx, const int32_t* xs, float* acc) {
  for (int r = 0; r < g.nrows; ++r) {
    for (int j = 0; j < g.nsub; ++j) {
      int32_t isum = 0;
      for (int h = 0; h < 2; ++h) {
        int32_t half = 0;
        for (int i = 0; i < 16; ++i) half += int32_t(g.q[r][32 * j + 16 * h + i]) * int32_t(x[32 * j + 16 * h + i]);
        isum += int32_t(g.sc[r][2 * j + h]) * half;
      }
      const float t = dx[j] * (g.ws[j][r] * float(isum) - g.wm[j][r] * float(xs[j]));
      acc[r] = acc[r] + t;
    }
  }
}

void attn_scores_scalar(const float* q, const float* k, size_t stride, int64_t n, int hd, float scale, float* out) {
  for (int64_t j = 0; j < n; ++j) {
    const float* kj = k + size_t(j) * stride;
    float s = 0.f;
    for (int i = 0; i < hd; ++i) s = __builtin_fmaf(q[i], kj[i], s);
    out[j] = s * scale;
  }
}

void attn_mix_scalar(const float* e, const float* v, size_t stride, int64_t n, int hd, float* o) {
  for (int i = 0; i < hd; ++i) o[i] = 0.f;
  for (int64_t j = 0; j < n; ++j) {
    const float* vj = v + size_t(j) * stride;
    for (int i = 0; i < hd; ++i) o[i] = __builtin_fmaf(e[j], vj[i], o[i]);
  }
}

const LlmKernels kScalar{"scalar", row_group_scalar, attn_scores_scalar, attn_mix_scalar};

}  // namespace

const LlmKernels& llm_kernels_scalar() { return kScalar; }

const LlmKernels& llm_kernels() {
  const char* name = kernels().name;
  if (std::strcmp(name, "avx2") == 0 || std::strcmp(name, "avx512") == 0)
    if (const LlmKernels* k = llm_kernels_avx2()) return *k;
  return kScalar;
}

}  // namespace lmzip
