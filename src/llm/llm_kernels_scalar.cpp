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

const LlmKernels kScalar{"scalar", row_group_scalar};

}  // namespace

const LlmKernels& llm_kernels_scalar() { return kScalar; }

const LlmKernels& llm_kernels() {
  const char* name = kernels().name;
  if (std::strcmp(name, "avx2") == 0 || std::strcmp(name, "avx512") == 0)
    if (const LlmKernels* k = llm_kernels_avx2()) return *k;
  return kScalar;
}

}  // namespace lmzip
