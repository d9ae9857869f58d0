// The one kernel the block types need, per instruction set: integer dot
// products of a weight super-block with quantised activations. Integer sums
// are exact, so every path gives the same numbers whatever order it adds in;
// the float arithmetic around them (llm_matrix.cpp) is shared scalar code.
#pragma once

#include <cstdint>

namespace lmzip {

struct LlmKernels {
  const char* name;
  // isum[j] = sum over i < 32 of sc[2j + i/16] * q[32j + i] * x[32j + i], for
  // j < nsub (<= 8): q the weights as int8, sc one int16 scale per 16 weights
  // (1 where the type has none), x the activations as int8 in [-127, 127].
  void (*block_dots)(int nsub, const int8_t* q, const int16_t* sc, const int8_t* x, int32_t* isum);
};

const LlmKernels& llm_kernels_scalar();
const LlmKernels* llm_kernels_avx2();  // null where not compiled in (not x86)
// The path matching kernels() (lmzip/engine.h kernels_use): AVX2 code for
// "avx2" and "avx512", the scalar reference otherwise.
const LlmKernels& llm_kernels();

}  // namespace lmzip
