#include "train_blas.h"

#include <cblas.h>

#include <atomic>

namespace lmzip::train {

namespace {
std::atomic<uint64_t> g_flops{0};
}

void gemm(bool trans_a, bool trans_b, int M, int N, int K, float alpha, const float* A, int lda,
          const float* B, int ldb, float beta, float* C, int ldc) {
  if (M <= 0 || N <= 0) return;
  g_flops.fetch_add(2ull * uint64_t(M) * uint64_t(N) * uint64_t(K), std::memory_order_relaxed);
  cblas_sgemm(CblasRowMajor, trans_a ? CblasTrans : CblasNoTrans, trans_b ? CblasTrans : CblasNoTrans,
              M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
}

void gemm(bool trans_a, bool trans_b, int M, int N, int K, double alpha, const double* A, int lda,
          const double* B, int ldb, double beta, double* C, int ldc) {
  if (M <= 0 || N <= 0) return;
  g_flops.fetch_add(2ull * uint64_t(M) * uint64_t(N) * uint64_t(K), std::memory_order_relaxed);
  cblas_dgemm(CblasRowMajor, trans_a ? CblasTrans : CblasNoTrans, trans_b ? CblasTrans : CblasNoTrans,
              M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
}

void set_blas_threads(int n) { openblas_set_num_threads(n < 1 ? 1 : n); }
int blas_threads() { return openblas_get_num_threads(); }

uint64_t gemm_flops() { return g_flops.load(std::memory_order_relaxed); }
void reset_gemm_flops() { g_flops.store(0, std::memory_order_relaxed); }

}  // namespace lmzip::train
