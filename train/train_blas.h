// Matrix products for the trainer. Declared here without <cblas.h> so that
// the tests (which do not see OpenBLAS's include path) can use the layers.
// The double overloads exist for the finite-difference gradient tests.
#pragma once

#include <cstdint>

namespace lmzip::train {

// C (M,N) = alpha * op(A) (M,K) * op(B) (K,N) + beta * C, row-major.
void gemm(bool trans_a, bool trans_b, int M, int N, int K, float alpha, const float* A, int lda,
          const float* B, int ldb, float beta, float* C, int ldc);
void gemm(bool trans_a, bool trans_b, int M, int N, int K, double alpha, const double* A, int lda,
          const double* B, int ldb, double beta, double* C, int ldc);

// BLAS worker threads (OpenBLAS). 1 makes every product bit-reproducible.
void set_blas_threads(int n);
int blas_threads();

// Floating-point operations issued through gemm since the last reset
// (2*M*N*K each), for the throughput report.
uint64_t gemm_flops();
void reset_gemm_flops();

}  // namespace lmzip::train
