// A weight matrix of a pretrained LLM and y = x W^T over it, for every tensor
// type gguf.h reads. Canonical results, whatever the kernel path, rows (M) or
// threads:
//   plain types (F32, F16, BF16): transposed once to (K, N), each kept in
//     its own type (kernels().gemm, gemm_f16, gemm_bf16; the 16-bit ones
//     convert each weight exactly as they read it): each output an fma
//     chain over k from 0, the residual added last;
//   block types (Q8_0, Q4_0, Q4_K, Q6_K): read from the file as stored.
//     Each activation row is quantised per block of 32 (llm_q8_quantize:
//     d = max|x| / 127, q = round-to-nearest-even(x * (1 / d)), xs = sum q);
//     each 32-block j of weights is int8 values with int scales per 16 and a
//     float scale ws and offset wm (docs/LLM.md gives them per type); then
//       t_j = dx_j * (ws_j * float(isum_j) - wm_j * float(xs_j)),
//       acc = acc + t_j for j ascending from acc = 0, y = acc (+ r),
//     isum_j being the exact integer dot (llm_kernels.h).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "gguf/gguf.h"
#include "kernels/kernels.h"
#include "lmzip/error.h"

namespace lmzip {

struct LlmMatrix {
  gguf::TensorType type = gguf::TensorType::f32;
  int N = 0, K = 0;                // outputs, inputs (GGUF dims {K, N})
  const uint8_t* rows = nullptr;   // block types: row n at rows + n * row_bytes, as in the file
  size_t row_bytes = 0;
  std::vector<float> wt;           // F32: (K, N)
  std::vector<uint16_t> wh;        // F16: (K, N) binary16
  std::vector<BFloat16> wb;        // BF16: (K, N)

  bool blocks() const { return rows != nullptr; }
  // Bytes a forward pass reads of it.
  uint64_t bytes() const {
    return blocks() ? uint64_t(N) * row_bytes : uint64_t(wt.size()) * 4 + uint64_t(wh.size() + wb.size()) * 2;
  }
};

// The matrix of tensor `t`, which must have dims {K, N}; its bytes must stay
// alive (and unmoved) as long as the matrix.
Result<LlmMatrix> llm_matrix_make(const gguf::Tensor& t, int N, int K);

// Activation rows quantised for the block types (see above).
struct LlmQ8 {
  int K = 0;
  std::vector<int8_t> q;     // (M, K)
  std::vector<float> d;      // (M, K / 32)
  std::vector<int32_t> sum;  // (M, K / 32)
};
// x (M, K), K a multiple of 32.
void llm_q8_quantize(LlmQ8& out, const float* x, int M, int K, int ldx);

// y (M, N) = x (M, K) . W^T, plus r (M, N) when r is not null (r may be y).
// Block types read xq (llm_q8_quantize of x), plain types x.
void llm_matmul_forward(float* y, int ldy, const float* x, int ldx, const LlmQ8& xq, int M, const LlmMatrix& w,
                        const float* r);

}  // namespace lmzip
