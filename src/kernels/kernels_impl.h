// The kernels, written once over an Ops type (kernel_ops.h) and instantiated
// by kernels_scalar.cpp, kernels_avx2.cpp and kernels_avx512.cpp. Include only
// from those files: everything here has internal linkage on purpose.
//
// Why the results cannot depend on the path, the block shape or the number of
// rows processed together: every output element (a lane) is computed by the
// same sequence of IEEE operations in the same order as the scalar reference.
// Vector lanes always hold DIFFERENT outputs (output neurons, query rows, key
// positions or sequences), never parts of one sum. Tiles only change which
// outputs are computed side by side.
#pragma once

#include <cstdint>
#include <type_traits>

#include "kernels/kernel_ops.h"
#include "kernels/kernels.h"

namespace {

using lmzip::kAttnMaxRows;
using lmzip::kFreqScale;
using lmzip::kLockstepGroup;

constexpr float kNegInf = -__builtin_inff();

// Loops over a tile's fixed dimensions must be unrolled completely, or the
// accumulators live in memory instead of registers (GCC's -O2 does not unroll
// a 16-iteration loop by itself). Unrolling never reorders arithmetic.
#define LMZIP_UNROLL _Pragma("GCC unroll 32")

template <class T>
inline T min_of(T a, T b) { return a < b ? a : b; }
template <class T>
inline T max_of(T a, T b) { return a > b ? a : b; }

// exp(x), our own (Cephes expf's polynomial): range reduction x = n ln2 + r,
// |r| <= ln2/2, with ln2 split in two; 2^n built from the exponent bits. Inputs
// are clamped to [-87, 88] (NaN becomes -87), so the result is always a finite
// positive normal number; relative error ~2 ulp.
template <class O>
inline typename O::V vexp(typename O::V x) {
  using V = typename O::V;
  x = O::min(O::max(x, O::set1(-87.0f)), O::set1(88.0f));
  const V t = O::mul(x, O::set1(1.44269504088896341f));
  // Round to nearest integer (|t| < 2^22): the 1.5 * 2^23 trick.
  const V n = O::sub(O::add(t, O::set1(12582912.0f)), O::set1(12582912.0f));
  V r = O::fma(n, O::set1(-0.693359375f), x);
  r = O::fma(n, O::set1(2.12194440e-4f), r);
  V p = O::set1(1.9875691500e-4f);
  p = O::fma(p, r, O::set1(1.3981999507e-3f));
  p = O::fma(p, r, O::set1(8.3334519073e-3f));
  p = O::fma(p, r, O::set1(4.1665795894e-2f));
  p = O::fma(p, r, O::set1(1.6666665459e-1f));
  p = O::fma(p, r, O::set1(5.0000001201e-1f));
  const V y = O::add(O::fma(p, O::mul(r, r), r), O::set1(1.0f));
  return O::mul(y, O::pow2i(n));
}

template <class O>
inline typename O::V vgelu(typename O::V x) {
  using V = typename O::V;
  const V x3 = O::mul(O::mul(x, x), x);
  const V u = O::mul(O::set1(0.7978845608028654f), O::fma(O::set1(0.044715f), x3, x));
  const V e = vexp<O>(O::add(u, u));                                          // exp(2u)
  const V th = O::sub(O::set1(1.0f), O::div(O::set1(2.0f), O::add(e, O::set1(1.0f))));  // tanh(u)
  return O::mul(O::mul(O::set1(0.5f), x), O::add(O::set1(1.0f), th));
}

// ---- gemm ------------------------------------------------------------------
// Weights as f32, binary16 or bfloat16; a 16-bit weight is converted exactly,
// so the products are the same and gemm_f16 / gemm_bf16 equal gemm on the
// converted matrix.
template <class O>
inline typename O::V load_w(const float* p) { return O::load(p); }
template <class O>
inline typename O::V load_w(const uint16_t* p) { return O::load_h(p); }
template <class O>
inline typename O::V load_w(const lmzip::BFloat16* p) { return O::load_b(&p->bits); }

// A tile of MR rows x NV vectors of outputs; every output an fma chain over k.
template <class O, int MR, int NV, class T>
inline void gemm_tile(int K, const float* x, int ldx, const T* w, int ldw, float* y, int ldy,
                      const float* r) {
  using V = typename O::V;
  V acc[MR][NV];
  LMZIP_UNROLL
  for (int i = 0; i < MR; ++i)
    LMZIP_UNROLL
    for (int v = 0; v < NV; ++v) acc[i][v] = O::zero();
  for (int k = 0; k < K; ++k) {
    V b[NV];
    LMZIP_UNROLL
    for (int v = 0; v < NV; ++v) b[v] = load_w<O>(w + int64_t(k) * ldw + v * O::W);
    LMZIP_UNROLL
    for (int i = 0; i < MR; ++i) {
      const V a = O::set1(x[int64_t(i) * ldx + k]);
      LMZIP_UNROLL
      for (int v = 0; v < NV; ++v) acc[i][v] = O::fma(a, b[v], acc[i][v]);
    }
  }
  LMZIP_UNROLL
  for (int i = 0; i < MR; ++i)
    LMZIP_UNROLL
    for (int v = 0; v < NV; ++v) {
      V out = acc[i][v];
      if (r) out = O::add(O::load(r + int64_t(i) * ldy + v * O::W), out);
      O::store(y + int64_t(i) * ldy + v * O::W, out);
    }
}

template <class O, int MR, int NV, class T>
inline void gemm_cols(int M, int n, int K, const float* x, int ldx, const T* w, int ldw, float* y,
                      int ldy, const float* r) {
  int m = 0;
  for (; m + MR <= M; m += MR)
    gemm_tile<O, MR, NV>(K, x + int64_t(m) * ldx, ldx, w + n, ldw, y + int64_t(m) * ldy + n, ldy,
                         r ? r + int64_t(m) * ldy + n : nullptr);
  for (; m < M; ++m)
    gemm_tile<O, 1, NV>(K, x + int64_t(m) * ldx, ldx, w + n, ldw, y + int64_t(m) * ldy + n, ldy,
                        r ? r + int64_t(m) * ldy + n : nullptr);
}

template <class C, class T>
void gemm_impl(int M, int N, int K, const float* x, int ldx, const T* w, int ldw, float* y, int ldy,
               const float* r) {
  using O = typename C::O;
  constexpr int W = O::W, MR = C::gemm_mr, NV = C::gemm_nv;
  int n = 0;
  if (M < MR) {  // a few rows (the decoder's single row): wider tiles, more chains in flight
    for (; n + 4 * NV * W <= N; n += 4 * NV * W) gemm_cols<O, 1, 4 * NV>(M, n, K, x, ldx, w, ldw, y, ldy, r);
  }
  for (; n + NV * W <= N; n += NV * W) gemm_cols<O, MR, NV>(M, n, K, x, ldx, w, ldw, y, ldy, r);
  for (; n + W <= N; n += W) gemm_cols<O, MR, 1>(M, n, K, x, ldx, w, ldw, y, ldy, r);
  for (; n < N; ++n) gemm_cols<OpsScalar, MR, 1>(M, n, K, x, ldx, w, ldw, y, ldy, r);
}

// ---- element-wise and row-wise ---------------------------------------------
template <class C>
void rmsnorm_impl(int M, int d, const float* x, int ldx, const float* w, float eps, float* y,
                  int ldy) {
  using O = typename C::O;
  constexpr int W = O::W;
  constexpr int RB = 4;  // rows side by side: independent fma chains for the CPU to overlap
  for (int m0 = 0; m0 < M; m0 += RB) {
    const int rb = min_of(RB, M - m0);
    float ss[RB] = {0.0f, 0.0f, 0.0f, 0.0f};
    if (rb == RB) {
      const float* x0 = x + int64_t(m0) * ldx;
      for (int i = 0; i < d; ++i)
        for (int k = 0; k < RB; ++k) {
          const float v = x0[int64_t(k) * ldx + i];
          ss[k] = __builtin_fmaf(v, v, ss[k]);
        }
    } else {
      for (int k = 0; k < rb; ++k) {
        const float* xr = x + int64_t(m0 + k) * ldx;
        for (int i = 0; i < d; ++i) ss[k] = __builtin_fmaf(xr[i], xr[i], ss[k]);
      }
    }
    for (int k = 0; k < rb; ++k) {
      const float inv = 1.0f / __builtin_sqrtf(ss[k] / float(d) + eps);
      const float* xr = x + int64_t(m0 + k) * ldx;
      float* yr = y + int64_t(m0 + k) * ldy;
      const typename O::V iv = O::set1(inv);
      int i = 0;
      for (; i + W <= d; i += W) O::store(yr + i, O::mul(O::mul(O::load(xr + i), iv), O::load(w + i)));
      for (; i < d; ++i) yr[i] = (xr[i] * inv) * w[i];
    }
  }
}

template <class O>
inline void rope_span(int n, float* a, float* b, const float* c, const float* s, float scale) {
  using V = typename O::V;
  const V sc = O::set1(scale);
  for (int i = 0; i + O::W <= n; i += O::W) {
    const V x0 = O::load(a + i), x1 = O::load(b + i), cv = O::load(c + i), sv = O::load(s + i);
    O::store(a + i, O::mul(O::sub(O::mul(x0, cv), O::mul(x1, sv)), sc));
    O::store(b + i, O::mul(O::add(O::mul(x0, sv), O::mul(x1, cv)), sc));
  }
}

template <class C>
void rope_impl(int M, int n_heads, int hd, float* x, int ldx, const float* cs, int ldcs,
               float scale) {
  using O = typename C::O;
  const int half = hd / 2, vec = half / O::W * O::W;
  for (int m = 0; m < M; ++m) {
    const float* c = cs + int64_t(m) * ldcs;
    const float* s = c + half;
    for (int h = 0; h < n_heads; ++h) {
      float* a = x + int64_t(m) * ldx + h * hd;
      rope_span<O>(vec, a, a + half, c, s, scale);
      rope_span<OpsScalar>(half - vec, a + vec, a + half + vec, c + vec, s + vec, scale);
    }
  }
}

template <class C>
void gelu_impl(int64_t n, float* x) {
  using O = typename C::O;
  int64_t i = 0;
  for (; i + O::W <= n; i += O::W) O::store(x + i, vgelu<O>(O::load(x + i)));
  for (; i < n; ++i) x[i] = vgelu<OpsScalar>(x[i]);
}

// Clamped to [-kF16Max, kF16Max] with the max/min order of lmzip::f16_round
// (a NaN becomes -kF16Max), then rounded to binary16: the same value in every
// path, and what the f16 KV caches store exactly.
template <class O>
inline typename O::V vround_f16(typename O::V x) {
  const typename O::V c = O::min(O::max(x, O::set1(-lmzip::kF16Max)), O::set1(lmzip::kF16Max));
  return O::f16_trip(c);
}

template <class C>
void round_f16_impl(int M, int n, float* x, int ldx) {
  using O = typename C::O;
  for (int m = 0; m < M; ++m) {
    float* r = x + int64_t(m) * ldx;
    int i = 0;
    for (; i + O::W <= n; i += O::W) O::store(r + i, vround_f16<O>(O::load(r + i)));
    for (; i < n; ++i) r[i] = vround_f16<OpsScalar>(r[i]);
  }
}

template <class C>
void freqs_impl(int M, const float* logits, int ld, uint32_t* freqs, uint32_t* totals) {
  using O = typename C::O;
  using V = typename O::V;
  constexpr int A = 256, W = O::W;
  static_assert(A % W == 0);
  for (int m = 0; m < M; ++m) {
    const float* l = logits + int64_t(m) * ld;
    uint32_t* f = freqs + int64_t(m) * A;
    // The max of a set is independent of the order it is taken in (NaNs are
    // skipped: max(s, m) keeps m when s is NaN), so a lane-wise max followed by
    // a lane reduction equals the scalar loop.
    V mv = O::set1(kNegInf);
    for (int i = 0; i < A; i += W) mv = O::max(O::load(l + i), mv);
    float lanes[W];
    for (int k = 0; k < W; ++k) lanes[k] = 0.0f;
    O::store(lanes, mv);
    float mx = kNegInf;
    for (int k = 0; k < W; ++k) mx = max_of(lanes[k], mx);
    const V mb = O::set1(mx), sc = O::set1(kFreqScale);
    for (int i = 0; i < A; i += W) {
      const V e = vexp<O>(O::sub(O::load(l + i), mb));
      O::store_trunc_u32(f + i, O::min(O::mul(e, sc), sc));
    }
    uint32_t total = 0;
    for (int i = 0; i < A; ++i) total += ++f[i];
    totals[m] = total;
  }
}

// ---- attention over a segment of one sequence ------------------------------
// Rows (query positions) across lanes: a block of R = NV*W consecutive rows is
// processed together against every key any of them sees; lanes for which a key
// is outside the causal window are masked (their accumulators are untouched,
// so each row sees exactly its own keys, in ascending order).
template <class O, int NV, int JT, int CT>
void attn_block(int nact, int n_heads, int hd, const float* q, int ldq, const float* kc,
                const float* vc, int ldkv, int64_t P0, int64_t cbase, int64_t window, float* out,
                int ldo, float* scratch) {
  using V = typename O::V;
  using Mk = typename O::M;
  constexpr int W = O::W, R = NV * W;
  static_assert(R <= kAttnMaxRows);
  float* qt = scratch;         // (hd, R)
  float* se = scratch + hd * R;  // (nkeys, R): scores, then exp(score - max)
  const int64_t Plast = P0 + nact - 1;
  const int64_t jlo = max_of<int64_t>(0, P0 - window + 1), jhi = Plast;
  const int64_t nk = jhi - jlo + 1;
  // Keys every active row sees: no masking needed there.
  const int64_t full_lo = max_of<int64_t>(0, Plast - window + 1), full_hi = P0;
  auto mask = [&](int64_t j, int v) -> Mk {
    // Lane i (row P0+i) sees key j iff j <= P0+i <= j+window-1 and i < nact.
    const int64_t lo = j - P0 - int64_t(v) * W;
    const int64_t hi = min_of<int64_t>(nact - 1, j + window - 1 - P0) - int64_t(v) * W;
    return O::mask_range(int(max_of<int64_t>(-1, min_of<int64_t>(lo, R))),
                         int(max_of<int64_t>(-1, min_of<int64_t>(hi, R))));
  };
  for (int h = 0; h < n_heads; ++h) {
    for (int c = 0; c < hd; ++c)
      for (int i = 0; i < R; ++i) qt[c * R + i] = i < nact ? q[int64_t(i) * ldq + h * hd + c] : 0.0f;
    const float* kh = kc + (jlo - cbase) * ldkv + h * hd;
    const float* vh = vc + (jlo - cbase) * ldkv + h * hd;
    // Scores s[j][i] = q_i . k_j: an fma chain over c.
    int64_t j = 0;
    for (; j + JT <= nk; j += JT) {
      V acc[JT][NV];
      LMZIP_UNROLL
      for (int t = 0; t < JT; ++t)
        LMZIP_UNROLL
        for (int v = 0; v < NV; ++v) acc[t][v] = O::zero();
      for (int c = 0; c < hd; ++c) {
        V qv[NV];
        LMZIP_UNROLL
        for (int v = 0; v < NV; ++v) qv[v] = O::load(qt + c * R + v * W);
        LMZIP_UNROLL
        for (int t = 0; t < JT; ++t) {
          const V kb = O::set1(kh[(j + t) * ldkv + c]);
          LMZIP_UNROLL
          for (int v = 0; v < NV; ++v) acc[t][v] = O::fma(qv[v], kb, acc[t][v]);
        }
      }
      LMZIP_UNROLL
      for (int t = 0; t < JT; ++t)
        LMZIP_UNROLL
        for (int v = 0; v < NV; ++v) O::store(se + (j + t) * R + v * W, acc[t][v]);
    }
    for (; j < nk; ++j) {
      V acc[NV];
      LMZIP_UNROLL
      for (int v = 0; v < NV; ++v) acc[v] = O::zero();
      for (int c = 0; c < hd; ++c) {
        const V kb = O::set1(kh[j * ldkv + c]);
        LMZIP_UNROLL
        for (int v = 0; v < NV; ++v) acc[v] = O::fma(O::load(qt + c * R + v * W), kb, acc[v]);
      }
      LMZIP_UNROLL
      for (int v = 0; v < NV; ++v) O::store(se + j * R + v * W, acc[v]);
    }
    // Max over each row's keys, then e = exp(s - max) and den = sum of e (ascending j).
    V mx[NV], den[NV];
    LMZIP_UNROLL
    for (int v = 0; v < NV; ++v) mx[v] = O::set1(kNegInf), den[v] = O::zero();
    for (j = 0; j < nk; ++j)
      LMZIP_UNROLL
      for (int v = 0; v < NV; ++v) {
        const Mk mk = mask(jlo + j, v);
        mx[v] = O::select(mk, O::max(O::load(se + j * R + v * W), mx[v]), mx[v]);
      }
    for (j = 0; j < nk; ++j)
      LMZIP_UNROLL
      for (int v = 0; v < NV; ++v) {
        const Mk mk = mask(jlo + j, v);
        const V e = O::select(mk, vexp<O>(O::sub(O::load(se + j * R + v * W), mx[v])), O::zero());
        O::store(se + j * R + v * W, e);
        den[v] = O::select(mk, O::add(den[v], e), den[v]);
      }
    // o[i][c] = sum_j e[j][i] v_j[c] (fma chain, ascending j), out = o / den.
    auto av = [&](auto ct_tag, int c0) {
      constexpr int CTn = decltype(ct_tag)::value;
      V acc[CTn][NV];
      LMZIP_UNROLL
      for (int t = 0; t < CTn; ++t)
        LMZIP_UNROLL
        for (int v = 0; v < NV; ++v) acc[t][v] = O::zero();
      for (int64_t jj = 0; jj < nk; ++jj) {
        V ev[NV];
        LMZIP_UNROLL
        for (int v = 0; v < NV; ++v) ev[v] = O::load(se + jj * R + v * W);
        const float* vr = vh + jj * ldkv + c0;
        const int64_t jp = jlo + jj;
        if (jp >= full_lo && jp <= full_hi) {
          LMZIP_UNROLL
          for (int t = 0; t < CTn; ++t) {
            const V vb = O::set1(vr[t]);
            LMZIP_UNROLL
            for (int v = 0; v < NV; ++v) acc[t][v] = O::fma(ev[v], vb, acc[t][v]);
          }
        } else {
          Mk mk[NV];
          LMZIP_UNROLL
          for (int v = 0; v < NV; ++v) mk[v] = mask(jp, v);
          LMZIP_UNROLL
          for (int t = 0; t < CTn; ++t) {
            const V vb = O::set1(vr[t]);
            LMZIP_UNROLL
            for (int v = 0; v < NV; ++v) acc[t][v] = O::fma_mask(mk[v], ev[v], vb, acc[t][v]);
          }
        }
      }
      float lanes[R];
      LMZIP_UNROLL
      for (int t = 0; t < CTn; ++t) {
        LMZIP_UNROLL
        for (int v = 0; v < NV; ++v) O::store(lanes + v * W, O::div(acc[t][v], den[v]));
        for (int i = 0; i < nact; ++i) out[int64_t(i) * ldo + h * hd + c0 + t] = lanes[i];
      }
    };
    int c0 = 0;
    for (; c0 + CT <= hd; c0 += CT) av(std::integral_constant<int, CT>{}, c0);
    for (; c0 < hd; ++c0) av(std::integral_constant<int, 1>{}, c0);
  }
}

template <class C>
void attention_segment_impl(int T, int n_heads, int hd, const float* q, int ldq, const float* kc,
                            const float* vc, int ldkv, int64_t p0, int64_t cbase, int64_t window,
                            float* out, int ldo, float* scratch) {
  using O = typename C::O;
  constexpr int W = O::W, NV = C::att_nv, R = NV * W;
  for (int t0 = 0; t0 < T; t0 += R) {
    const int nact = min_of(R, T - t0);
    const float* qb = q + int64_t(t0) * ldq;
    float* ob = out + int64_t(t0) * ldo;
    if (nact <= W)
      attn_block<O, 1, C::att_jt, C::att_ct>(nact, n_heads, hd, qb, ldq, kc, vc, ldkv, p0 + t0,
                                               cbase, window, ob, ldo, scratch);
    else
      attn_block<O, NV, C::att_jt, C::att_ct>(nact, n_heads, hd, qb, ldq, kc, vc, ldkv, p0 + t0,
                                                cbase, window, ob, ldo, scratch);
  }
}

// ---- attention, one position of kLockstepGroup sequences --------------------
// Sequences across lanes: every lane sees the same key slots (all sequences
// are at the same position), so no masks; each lane runs the same operation
// sequence as a row of attention_segment.
template <class C>
void attention_lockstep_impl(int n_heads, int hd, const float* qg, const uint16_t* kc,
                             const uint16_t* vc, int64_t cap, int64_t s_lo, int64_t s_hi, float* og,
                             float* scratch) {
  using O = typename C::O;
  using V = typename O::V;
  constexpr int W = O::W, G = kLockstepGroup, NV = G / W, JT = C::ls_jt, CT = C::ls_ct;
  static_assert(G % W == 0);
  const int64_t nk = s_hi - s_lo + 1;
  const int64_t ld = int64_t(hd) * G;  // one slot of one head
  for (int h = 0; h < n_heads; ++h) {
    LMZIP_UNROLL
    for (int v = 0; v < NV; ++v) {
      const uint16_t* kb = kc + (h * cap + s_lo) * ld + v * W;
      const uint16_t* vb = vc + (h * cap + s_lo) * ld + v * W;
      const float* qb = qg + int64_t(h) * hd * G + v * W;
      float* se = scratch + v * W;
      int64_t j = 0;
      for (; j + JT <= nk; j += JT) {
        V acc[JT];
        LMZIP_UNROLL
        for (int t = 0; t < JT; ++t) acc[t] = O::zero();
        for (int c = 0; c < hd; ++c) {
          const V qv = O::load(qb + c * G);
          LMZIP_UNROLL
          for (int t = 0; t < JT; ++t) acc[t] = O::fma(qv, O::load_h(kb + (j + t) * ld + c * G), acc[t]);
        }
        LMZIP_UNROLL
        for (int t = 0; t < JT; ++t) O::store(se + (j + t) * G, acc[t]);
      }
      for (; j < nk; ++j) {
        V acc = O::zero();
        for (int c = 0; c < hd; ++c) acc = O::fma(O::load(qb + c * G), O::load_h(kb + j * ld + c * G), acc);
        O::store(se + j * G, acc);
      }
      V mx = O::set1(kNegInf), den = O::zero();
      for (j = 0; j < nk; ++j) mx = O::max(O::load(se + j * G), mx);
      for (j = 0; j < nk; ++j) {
        const V e = vexp<O>(O::sub(O::load(se + j * G), mx));
        O::store(se + j * G, e);
        den = O::add(den, e);
      }
      auto av = [&](auto ct_tag, int c0) {
        constexpr int CTn = decltype(ct_tag)::value;
        V acc[CTn];
        LMZIP_UNROLL
        for (int t = 0; t < CTn; ++t) acc[t] = O::zero();
        for (int64_t jj = 0; jj < nk; ++jj) {
          const V ev = O::load(se + jj * G);
          const uint16_t* vr = vb + jj * ld + int64_t(c0) * G;
          LMZIP_UNROLL
          for (int t = 0; t < CTn; ++t) acc[t] = O::fma(ev, O::load_h(vr + t * G), acc[t]);
        }
        LMZIP_UNROLL
        for (int t = 0; t < CTn; ++t) O::store(og + int64_t(h * hd + c0 + t) * G + v * W, O::div(acc[t], den));
      };
      int c0 = 0;
      for (; c0 + CT <= hd; c0 += CT) av(std::integral_constant<int, CT>{}, c0);
      for (; c0 < hd; ++c0) av(std::integral_constant<int, 1>{}, c0);
    }
  }
}

// ---- attention, one position of one sequence --------------------------------
// Keys across lanes for the scores and exp (keys transposed in the cache), then
// values: output dims across lanes, every head's den (a scalar chain) in the
// same loop so that the chains of all heads overlap.
template <class C>
void attention_row_impl(int n_heads, int hd, const float* q, const float* kt, int64_t ldkt,
                        const float* vc, int ldv, int64_t s_lo, int64_t s_hi, float* out,
                        float* scratch) {
  using O = typename C::O;
  using V = typename O::V;
  constexpr int W = O::W, JT = 4;
  const int64_t nk = s_hi - s_lo + 1;
  float* den = scratch + int64_t(n_heads) * nk;
  for (int h = 0; h < n_heads; ++h) {
    float* e = scratch + h * nk;
    const float* qh = q + h * hd;
    const float* kh = kt + int64_t(h) * hd * ldkt + s_lo;
    int64_t j = 0;
    for (; j + JT * W <= nk; j += JT * W) {
      V acc[JT];
      LMZIP_UNROLL
      for (int t = 0; t < JT; ++t) acc[t] = O::zero();
      for (int c = 0; c < hd; ++c) {
        const V qb = O::set1(qh[c]);
        LMZIP_UNROLL
        for (int t = 0; t < JT; ++t) acc[t] = O::fma(qb, O::load(kh + c * ldkt + j + t * W), acc[t]);
      }
      LMZIP_UNROLL
      for (int t = 0; t < JT; ++t) O::store(e + j + t * W, acc[t]);
    }
    for (; j + W <= nk; j += W) {
      V acc = O::zero();
      for (int c = 0; c < hd; ++c) acc = O::fma(O::set1(qh[c]), O::load(kh + c * ldkt + j), acc);
      O::store(e + j, acc);
    }
    for (; j < nk; ++j) {
      float acc = 0.0f;
      for (int c = 0; c < hd; ++c) acc = __builtin_fmaf(qh[c], kh[c * ldkt + j], acc);
      e[j] = acc;
    }
    // max: order-free (see freqs_impl), so lanes then a lane reduction.
    float mx = kNegInf;
    j = 0;
    if (nk >= W) {
      V mv = O::set1(kNegInf);
      for (; j + W <= nk; j += W) mv = O::max(O::load(e + j), mv);
      float lanes[W];
      O::store(lanes, mv);
      for (int k = 0; k < W; ++k) mx = max_of(lanes[k], mx);
    }
    for (; j < nk; ++j) mx = max_of(e[j], mx);
    const V mb = O::set1(mx);
    for (j = 0; j + W <= nk; j += W) O::store(e + j, vexp<O>(O::sub(O::load(e + j), mb)));
    for (; j < nk; ++j) e[j] = vexp<OpsScalar>(e[j] - mx);
    den[h] = 0.0f;
  }
  // o[c] = fma chain over j of e_j v_j[c]; den[h] = e chain (same loop, first pass).
  const int d = n_heads * hd;
  auto tile = [&](auto ct_tag, int f0, bool with_den) {
    constexpr int CT = decltype(ct_tag)::value;
    V acc[CT];
    const float* eh[CT];
    LMZIP_UNROLL
    for (int v = 0; v < CT; ++v) acc[v] = O::zero(), eh[v] = scratch + int64_t((f0 + v * W) / hd) * nk;
    for (int64_t jj = 0; jj < nk; ++jj) {
      const float* vr = vc + (s_lo + jj) * ldv + f0;
      LMZIP_UNROLL
      for (int v = 0; v < CT; ++v) acc[v] = O::fma(O::set1(eh[v][jj]), O::load(vr + v * W), acc[v]);
      if (with_den)
        for (int h = 0; h < n_heads; ++h) den[h] = den[h] + scratch[h * nk + jj];
    }
    LMZIP_UNROLL
    for (int v = 0; v < CT; ++v) O::store(out + f0 + v * W, acc[v]);
  };
  if (hd % W == 0) {  // no vector straddles two heads
    constexpr int CT = C::att_ct;
    int f0 = 0;
    bool first = true;
    for (; f0 + CT * W <= d; f0 += CT * W, first = false) tile(std::integral_constant<int, CT>{}, f0, first);
    for (; f0 < d; f0 += W, first = false) tile(std::integral_constant<int, 1>{}, f0, first);
  } else {
    for (int h = 0; h < n_heads; ++h) {
      const float* e = scratch + h * nk;
      for (int c = 0; c < hd; ++c) {
        float acc = 0.0f;
        for (int64_t jj = 0; jj < nk; ++jj) acc = __builtin_fmaf(e[jj], vc[(s_lo + jj) * ldv + h * hd + c], acc);
        out[h * hd + c] = acc;
      }
      for (int64_t jj = 0; jj < nk; ++jj) den[h] = den[h] + e[jj];
    }
  }
  for (int h = 0; h < n_heads; ++h)
    for (int c = 0; c < hd; ++c) out[h * hd + c] = out[h * hd + c] / den[h];
}

template <class C>
lmzip::KernelTable kernel_table_make(const char* name) {
  return lmzip::KernelTable{name,
                            &gemm_impl<C, float>,
                            &gemm_impl<C, uint16_t>,
                            &gemm_impl<C, lmzip::BFloat16>,
                            &rmsnorm_impl<C>,
                            &rope_impl<C>,
                            &gelu_impl<C>,
                            &round_f16_impl<C>,
                            &attention_segment_impl<C>,
                            &attention_lockstep_impl<C>,
                            &attention_row_impl<C>,
                            &freqs_impl<C>};
}

}  // namespace
