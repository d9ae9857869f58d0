// The roofline's compute side, shared by the benchmarks: one core's FP32 FMA
// peak, measured by an FMA-bound micro-kernel of the widest vectors the CPU has.
#pragma once

#include <benchmark/benchmark.h>
#include <immintrin.h>
#include <time.h>

#include <algorithm>
#include <cstdint>

#include "kernels/kernels.h"

namespace lmzip::bench {

__attribute__((target("avx512f"))) inline double fma_loop_avx512(int64_t iters) {
  __m512 a[12], b = _mm512_set1_ps(0.999999f), c = _mm512_set1_ps(1e-7f);
  for (int i = 0; i < 12; ++i) a[i] = _mm512_set1_ps(float(i));
  for (int64_t k = 0; k < iters; ++k)
#pragma GCC unroll 12  // keep the 12 accumulators in registers
    for (int i = 0; i < 12; ++i) a[i] = _mm512_fmadd_ps(a[i], b, c);
  __m512 s = a[0];
  for (int i = 1; i < 12; ++i) s = _mm512_add_ps(s, a[i]);
  benchmark::DoNotOptimize(s);
  return double(iters) * 12 * 16 * 2;
}

__attribute__((target("avx2,fma"))) inline double fma_loop_avx2(int64_t iters) {
  __m256 a[12], b = _mm256_set1_ps(0.999999f), c = _mm256_set1_ps(1e-7f);
  for (int i = 0; i < 12; ++i) a[i] = _mm256_set1_ps(float(i));
  for (int64_t k = 0; k < iters; ++k)
#pragma GCC unroll 12
    for (int i = 0; i < 12; ++i) a[i] = _mm256_fmadd_ps(a[i], b, c);
  __m256 s = a[0];
  for (int i = 1; i < 12; ++i) s = _mm256_add_ps(s, a[i]);
  benchmark::DoNotOptimize(s);
  return double(iters) * 12 * 8 * 2;
}

inline double thread_seconds() {
  timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return double(ts.tv_sec) + 1e-9 * double(ts.tv_nsec);
}

// Single-thread peak GFLOP/s of the widest FMA this CPU has (best of 5).
inline double peak_gflops() {
  static double peak = [] {
    double best = 0;
    for (int rep = 0; rep < 5; ++rep) {
      // Thread CPU time, like the other benchmarks' rates: on a shared
      // machine wall time also counts the time other processes ran.
      const double t0 = thread_seconds();
      double flops = 0;
      if (kernels_available("avx512")) flops = fma_loop_avx512(20'000'000);
      else if (kernels_available("avx2")) flops = fma_loop_avx2(20'000'000);
      const double s = thread_seconds() - t0;
      if (flops > 0) best = std::max(best, flops / s / 1e9);
    }
    return best > 0 ? best : 1.0;
  }();
  return peak;
}

}  // namespace lmzip::bench
