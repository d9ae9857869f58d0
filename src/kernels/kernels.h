// The transformer's numeric kernels, one table per instruction set. All tables
// compute bit-identical results (kernel_ops.h); they differ only in speed.
// The table in use is chosen once, at first use, from the CPU's features, and
// can be forced by the program (kernels_use in lmzip/engine.h; the lmzip
// program and the tests read LMZIP_KERNELS=scalar|avx2|avx512|neon; tests
// force each path in turn through kernels_select()).
//
// Canonical operations (what every path computes, element by element):
//   gemm       y[m][n] = r[m][n] + sum_k x[m][k] * w[k][n], the sum an fma chain
//              over k = 0..K-1 from 0 (the residual r, if any, added last);
//              gemm_f16 / gemm_bf16 the same with w in binary16 / bfloat16,
//              each weight converted exactly as it is read;
//   rmsnorm    ss = fma chain of x_i*x_i; inv = 1 / sqrt(ss / d + eps);
//              y_i = (x_i * inv) * w_i;
//   rope       y0 = (x0*c - x1*s) * scale, y1 = (x0*s + x1*c) * scale;
//   attention  s_j = fma chain over c of q[c]*k_j[c]; m = max_j s_j;
//              e_j = exp(s_j - m); den = sum of e_j in ascending j;
//              o[c] = fma chain over ascending j of e_j*v_j[c]; out = o / den;
//   round_f16  y = f16(min(max(x, -65504), 65504)) with x86 max/min semantics
//              (common/f16.h f16_round): keys and values enter the caches so;
//   gelu       0.5x(1 + tanh(sqrt(2/pi)(x + 0.044715x^3))), tanh(u) = 1 - 2/(exp(2u) + 1);
//   freqs      m = max_i l_i; f_i = 1 + trunc(min(exp(l_i - m) * S, S)), S = 2^22 - 1,
//              so every f_i >= 1 and the total <= 256 * 2^22 = 2^30.
// exp is our own (kernels_impl.h), identical in every path. The three
// attention kernels (a segment of rows, one row, a lockstep group) put
// different things in vector lanes (query rows, keys, sequences) but each
// computes exactly the sequence above for every (row, head): that is what
// makes the encoder (segments), the decoder (rows) and the lockstep decoder
// agree bit for bit.
#pragma once

#include <cstdint>

namespace lmzip {

// Rows per row block of attention_segment (its scratch is sized with it).
inline constexpr int kAttnMaxRows = 32;
// Chunks per lockstep group: lanes of attention_lockstep.
inline constexpr int kLockstepGroup = 16;
// Frequency scale (see above).
inline constexpr float kFreqScale = 4194303.0f;  // 2^22 - 1

// A bfloat16 weight: the high half of an f32's bits (a type of its own, so
// that kernels tell it from binary16).
struct BFloat16 {
  uint16_t bits;
};

struct KernelTable {
  const char* name;
  // y (M, N) = r + x (M, K) . w (K, N); ld* are row strides in floats. r may be
  // null or equal y.
  void (*gemm)(int M, int N, int K, const float* x, int ldx, const float* w, int ldw, float* y,
               int ldy, const float* r);
  // The same with w (K, N) in binary16 / bfloat16: bit for bit gemm of w
  // converted to f32, at half the bytes read.
  void (*gemm_f16)(int M, int N, int K, const float* x, int ldx, const uint16_t* w, int ldw, float* y,
                   int ldy, const float* r);
  void (*gemm_bf16)(int M, int N, int K, const float* x, int ldx, const BFloat16* w, int ldw, float* y,
                    int ldy, const float* r);
  // y (M, d) = rmsnorm(x) * w.
  void (*rmsnorm)(int M, int d, const float* x, int ldx, const float* w, float eps, float* y,
                  int ldy);
  // In place on x (M, n_heads*hd); row m uses cs + m*ldcs = [hd/2 cos][hd/2 sin].
  void (*rope)(int M, int n_heads, int hd, float* x, int ldx, const float* cs, int ldcs,
               float scale);
  // In place, n elements.
  void (*gelu)(int64_t n, float* x);
  // In place on x (M, n), row stride ldx: every element rounded to binary16.
  void (*round_f16)(int M, int n, float* x, int ldx);
  // Causal sliding-window attention for T consecutive positions p0.. of one
  // sequence. q (T, ldq): roped and scaled queries; the cache holds keys/values
  // of positions cbase.., row s at kc + s*ldkv (the segment's own rows included);
  // out (T, ldo). scratch: attention_segment_scratch() floats.
  void (*attention_segment)(int T, int n_heads, int hd, const float* q, int ldq, const float* kc,
                            const float* vc, int ldkv, int64_t p0, int64_t cbase, int64_t window,
                            float* out, int ldo, float* scratch);
  // One position for kLockstepGroup sequences at once (lane g = sequence g).
  // qg (d, G); caches binary16 (values already rounded by round_f16), head-major
  // so that each head's keys stream through memory in order: element
  // (h, slot, c, g) at ((h * cap + slot) * hd + c) * G + g;
  // keys are slots s_lo..s_hi inclusive, in position order; og (d, G).
  // scratch: (s_hi - s_lo + 1) * G floats.
  void (*attention_lockstep)(int n_heads, int hd, const float* qg, const uint16_t* kc,
                             const uint16_t* vc, int64_t cap, int64_t s_lo, int64_t s_hi, float* og,
                             float* scratch);
  // One position of one sequence (the decoder's step): q (d) roped and scaled;
  // keys transposed, element (c, slot) at kt[c * ldkt + slot]; values as rows,
  // slot s at vc + s*ldv; keys are slots s_lo..s_hi inclusive in position
  // order; out (d). scratch: n_heads * (s_hi - s_lo + 1) + n_heads floats.
  void (*attention_row)(int n_heads, int hd, const float* q, const float* kt, int64_t ldkt,
                        const float* vc, int ldv, int64_t s_lo, int64_t s_hi, float* out,
                        float* scratch);
  // logits (M, 256) -> freqs (M, 256), totals (M).
  void (*freqs)(int M, const float* logits, int ld, uint32_t* freqs, uint32_t* totals);
};

inline int64_t attention_segment_scratch(int hd, int64_t max_keys) {
  return int64_t(hd) * kAttnMaxRows + (max_keys + kAttnMaxRows) * kAttnMaxRows;
}

// The table forced by kernels_select() or the best the CPU supports.
const KernelTable& kernels();
// Forces a path: "scalar", "avx2", "avx512", "neon". Returns false if this build or
// CPU lacks it (the current table is unchanged). Not thread-safe with running
// inference: for tests and start-up.
bool kernels_select(const char* name);
// Whether `name` can run here.
bool kernels_available(const char* name);

// Per-ISA tables (kernels_scalar.cpp, kernels_avx2.cpp, kernels_avx512.cpp,
// kernels_neon.cpp).
const KernelTable& kernels_scalar();
const KernelTable* kernels_avx2();    // null when not compiled in
const KernelTable* kernels_avx512();  // null when not compiled in
const KernelTable* kernels_neon();    // null when not compiled in

}  // namespace lmzip
