// The reference: what every other path must equal (exactly: integers).
#include "kernels/kernels.h"
#include "llm/llm_kernels.h"

#include <cstring>

namespace lmzip {

namespace {

void block_dots_scalar(int nsub, const int8_t* q, const int16_t* sc, const int8_t* x, int32_t* isum) {
  for (int j = 0; j < nsub; ++j) {
    int32_t s = 0;
    for (int h = 0; h < 2; ++h) {
      int32_t half = 0;
      for (int i = 0; i < 16; ++i) half += int32_t(q[32 * j + 16 * h + i]) * int32_t(x[32 * j + 16 * h + i]);
      s += int32_t(sc[2 * j + h]) * half;
    }
    isum[j] = s;
  }
}

const LlmKernels kScalar{"scalar", block_dots_scalar};

}  // namespace

const LlmKernels& llm_kernels_scalar() { return kScalar; }

const LlmKernels& llm_kernels() {
  const char* name = kernels().name;
  if (std::strcmp(name, "avx2") == 0 || std::strcmp(name, "avx512") == 0)
    if (const LlmKernels* k = llm_kernels_avx2()) return *k;
  return kScalar;
}

}  // namespace lmzip
