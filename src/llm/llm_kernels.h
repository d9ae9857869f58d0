// The one kernel the block types need, per instruction set: a super-block
// (up to eight 32-blocks) of up to 8 weight rows against one quantised
// activation row. Its integer dot products are exact, so any order of adding
// gives the same sums; the float steps after them are the same operations
// in every path (lanes are weight rows, i.e. outputs, never the summed index).
#pragma once

#include <cstddef>
#include <cstdint>

namespace lmzip {

// Up to 8 weight rows' super-block, unpacked (llm_matrix.cpp): rows past
// nrows are zeros.
struct LlmRowGroup {
  int nrows = 0, nsub = 0;        // rows (<= 8), 32-blocks (<= 8)
  alignas(32) int8_t q[8][256];   // [row][element]: the weights as int8
  int16_t sc[8][16];              // [row][element / 16]: integer scale (1 where the type has none)
  alignas(32) float ws[8][8];     // [block][row]: float scale
  alignas(32) float wm[8][8];     // [block][row]: float offset (Q4_K's min; else 0)
};

struct LlmKernels {
  const char* name;
  // For r < g.nrows and j < g.nsub ascending:
  //   isum = sum over i < 32 of sc[r][2j + i/16] * q[r][32j + i] * x[32j + i],
  //   acc[r] = acc[r] + dx[j] * (ws[j][r] * float(isum) - wm[j][r] * float(xs[j])).
  // x: int8 in [-127, 127]; acc: 8 floats (those past nrows are unspecified after).
  void (*row_group)(const LlmRowGroup& g, const int8_t* x, const float* dx, const int32_t* xs, float* acc);
  // Attention of one head. Scores, for j < n (outputs: positions):
  //   out[j] = (fma chain over i < hd ascending of q[i] * k[j * stride + i], from 0) * scale.
  void (*attn_scores)(const float* q, const float* k, size_t stride, int64_t n, int hd, float scale, float* out);
  // The values mixed, for i < hd (outputs: channels):
  //   o[i] = fma chain over j < n ascending of e[j] * v[j * stride + i], from 0.
  void (*attn_mix)(const float* e, const float* v, size_t stride, int64_t n, int hd, float* o);
};

const LlmKernels& llm_kernels_scalar();
const LlmKernels* llm_kernels_avx2();  // null where not compiled in (not x86)
// The path matching kernels() (lmzip/engine.h kernels_use): AVX2 code for
// "avx2" and "avx512", the scalar reference otherwise.
const LlmKernels& llm_kernels();

}  // namespace lmzip
