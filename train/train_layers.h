// The layers of the lmzip byte transformer (docs/ARCHITECTURE.md), each a
// forward/backward pair in the llm.c manner: outputs first, then inputs, then
// sizes. Templates on the real type so the gradient tests run in double.
//
// Conventions for backward passes (they let the model reuse a few scratch
// buffers across layers instead of zeroing a whole gradient arena per step):
//  - parameter gradients (dweight, dwte) are always accumulated (+=);
//  - activation gradients are accumulated (+=) where a tensor has several
//    consumers (rmsnorm's dinp feeds the residual stream, attention's dqkv
//    gets contributions from overlapping key blocks) and overwritten (=)
//    otherwise; each function says which.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "train_blas.h"
#include "train_vec.h"

namespace lmzip::train {

// Input ids: previous token + 256 * the position's context tag, BOS = 256 *
// tags at position 0 of every chunk (ModelConfig::tags). With one tag:
inline constexpr int kBos = 256;       // input id at position 0 of every chunk
inline constexpr int kVocabIn = 257;   // 256 bytes + BOS
inline constexpr int kVocabOut = 256;  // bytes

// ---- embedding ---------------------------------------------------------------

template <class R>
void embedding_forward(R* out,          // (N, C)
                       const int* inp,  // (N) ids in [0, in_vocab)
                       const R* wte,    // (in_vocab, C)
                       int N, int C) {
  for (int i = 0; i < N; ++i) std::copy_n(wte + size_t(inp[i]) * C, C, out + size_t(i) * C);
}

// dwte +=
template <class R>
void embedding_backward(R* dwte,         // (in_vocab, C)
                        const R* dout,   // (N, C)
                        const int* inp,  // (N)
                        int N, int C) {
  for (int i = 0; i < N; ++i) {
    R* d = dwte + size_t(inp[i]) * C;
    const R* g = dout + size_t(i) * C;
    for (int c = 0; c < C; ++c) d[c] += g[c];
  }
}

// ---- RMSNorm -----------------------------------------------------------------

template <class R>
void rmsnorm_forward(R* out,           // (N, C)
                     R* rstd,          // (N) 1/sqrt(mean(x^2)+eps), kept for backward
                     const R* inp,     // (N, C)
                     const R* weight,  // (C)
                     int N, int C, R eps) {
  for (int i = 0; i < N; ++i) {
    const R* x = inp + size_t(i) * C;
    R* y = out + size_t(i) * C;
    const R ss = dot(x, x, C);
    R r = R(1) / std::sqrt(ss / R(C) + eps);
    for (int c = 0; c < C; ++c) y[c] = x[c] * r * weight[c];
    rstd[i] = r;
  }
}

// dinp +=, dweight +=
template <class R>
void rmsnorm_backward(R* dinp,          // (N, C)
                      R* dweight,       // (C)
                      const R* dout,    // (N, C)
                      const R* inp,     // (N, C)
                      const R* weight,  // (C)
                      const R* rstd,    // (N)
                      int N, int C) {
  for (int i = 0; i < N; ++i) {
    const R* x = inp + size_t(i) * C;
    const R* dy = dout + size_t(i) * C;
    R* dx = dinp + size_t(i) * C;
    const R r = rstd[i];
    // y = x r w with r = (mean(x^2)+eps)^-1/2, so dr/dx_j = -r^3 x_j / C.
    R dot = 0;  // sum_j dy_j w_j x_j
    for (int c = 0; c < C; ++c) {
      dot += dy[c] * weight[c] * x[c];
      dweight[c] += dy[c] * x[c] * r;
    }
    const R k = r * r * r * dot / R(C);
    for (int c = 0; c < C; ++c) dx[c] += r * dy[c] * weight[c] - k * x[c];
  }
}

// ---- matmul (no bias) ---------------------------------------------------------

template <class R>
void matmul_forward(R* out,           // (N, OC)
                    const R* inp,     // (N, IC)
                    const R* weight,  // (OC, IC) row-major [out][in]
                    int N, int IC, int OC) {
  gemm(false, true, N, OC, IC, R(1), inp, IC, weight, IC, R(0), out, OC);
}

// dinp = (overwritten, skipped when null), dweight +=
template <class R>
void matmul_backward(R* dinp,          // (N, IC)
                     R* dweight,       // (OC, IC)
                     const R* dout,    // (N, OC)
                     const R* inp,     // (N, IC)
                     const R* weight,  // (OC, IC)
                     int N, int IC, int OC) {
  if (dinp) gemm(false, false, N, IC, OC, R(1), dout, OC, weight, IC, R(0), dinp, IC);
  gemm(true, false, OC, IC, N, R(1), dout, OC, inp, IC, R(1), dweight, IC);
}

// ---- rotary position embedding (NeoX layout) -----------------------------------

// cos/sin tables for positions [0, T): (T, hd/2). Angles in double so that
// float and double models see the same rotation up to rounding.
template <class R>
void rope_tables(std::vector<R>& cos_t, std::vector<R>& sin_t, int T, int hd, double base) {
  const int half = hd / 2;
  cos_t.resize(size_t(T) * half);
  sin_t.resize(size_t(T) * half);
  for (int t = 0; t < T; ++t)
    for (int i = 0; i < half; ++i) {
      double theta = std::pow(base, -2.0 * i / hd);
      double a = double(t) * theta;
      cos_t[size_t(t) * half + i] = R(std::cos(a));
      sin_t[size_t(t) * half + i] = R(std::sin(a));
    }
}

// Rotates q and k (the first 2C columns of qkv) in place; sign = +1 forward,
// -1 for backward (the transpose of a rotation is the rotation by -angle).
template <class R>
void rope_rotate(R* qkv,           // (B, T, 3C) q and k rotated in place
                 const R* cos_t,   // (T, hd/2)
                 const R* sin_t,   // (T, hd/2)
                 int B, int T, int C, int H, R sign) {
  const int hd = C / H, half = hd / 2;
  for (int b = 0; b < B; ++b)
    for (int t = 0; t < T; ++t) {
      R* row = qkv + (size_t(b) * T + t) * 3 * C;
      const R* cs = cos_t + size_t(t) * half;
      const R* sn = sin_t + size_t(t) * half;
      for (int part = 0; part < 2; ++part)
        for (int h = 0; h < H; ++h) {
          R* x = row + part * C + h * hd;
          for (int i = 0; i < half; ++i) {
            R x0 = x[i], x1 = x[i + half], c = cs[i], s = sign * sn[i];
            x[i] = x0 * c - x1 * s;
            x[i + half] = x0 * s + x1 * c;
          }
        }
    }
}

template <class R>
void rope_forward(R* qkv, const R* cos_t, const R* sin_t, int B, int T, int C, int H) {
  rope_rotate(qkv, cos_t, sin_t, B, T, C, H, R(1));
}
// dqkv: gradients wrt rotated q,k in; wrt unrotated q,k out (in place).
template <class R>
void rope_backward(R* dqkv, const R* cos_t, const R* sin_t, int B, int T, int C, int H) {
  rope_rotate(dqkv, cos_t, sin_t, B, T, C, H, R(-1));
}

// ---- causal sliding-window attention -------------------------------------------

// Queries are processed in blocks of `rows` positions; a block's keys span
// [max(0, t0-W+1), t0+rows), at most `span` of them. Small blocks skip most of
// the masked upper triangle (64-row blocks compute 5/8 of a 256x256 causal
// matrix instead of all of it), and with W < T the work stays O(T W) rather
// than O(T^2), which is what makes 2048-byte evaluation with W = 256 affordable.
struct AttnBlocking {
  int rows = 0;
  int span = 0;
};
inline AttnBlocking attn_blocking(int T, int W) {
  AttnBlocking b;
  b.rows = std::min(T, 64);
  b.span = std::min(T, b.rows + W - 1);
  return b;
}

// att holds, for query t of block starting at t0, the probabilities over keys
// k0 + j (j in [0, span)), zero outside the window.
template <class R>
void attention_forward(R* out,        // (B, T, C)
                       R* att,        // (B, H, T, span)
                       const R* qkv,  // (B, T, 3C) q, k already rotated
                       int B, int T, int C, int H, int W) {
  const int hd = C / H;
  const AttnBlocking bl = attn_blocking(T, W);
  const int S = bl.span;
  const R qk_scale = R(1) / std::sqrt(R(hd));
  for (int b = 0; b < B; ++b)
    for (int h = 0; h < H; ++h)
      for (int t0 = 0; t0 < T; t0 += bl.rows) {
        const int nq = std::min(bl.rows, T - t0);
        const int k0 = std::max(0, t0 - W + 1);
        const int nk = t0 + nq - k0;
        const R* Q = qkv + (size_t(b) * T + t0) * 3 * C + h * hd;
        const R* K = qkv + (size_t(b) * T + k0) * 3 * C + C + h * hd;
        const R* V = qkv + (size_t(b) * T + k0) * 3 * C + 2 * C + h * hd;
        R* P = att + ((size_t(b) * H + h) * T + t0) * S;
        gemm(false, true, nq, nk, hd, qk_scale, Q, 3 * C, K, 3 * C, R(0), P, S);
        for (int i = 0; i < nq; ++i) {
          const int t = t0 + i;
          const int lo = std::max(0, t - W + 1) - k0, hi = t - k0;  // valid columns [lo, hi]
          R* p = P + size_t(i) * S;
          const int len = hi - lo + 1;
          const R mx = max_of(p + lo, len);
          const R sum = exp_shift_sum(p + lo, len, mx);
          scale(p + lo, len, R(1) / sum);
          std::fill(p, p + lo, R(0));
          std::fill(p + hi + 1, p + nk, R(0));  // columns >= nk are never read
        }
        R* O = out + (size_t(b) * T + t0) * C + h * hd;
        gemm(false, false, nq, hd, nk, R(1), P, S, V, 3 * C, R(0), O, C);
      }
}

// dqkv += ; scratch must hold rows*span values.
template <class R>
void attention_backward(R* dqkv,        // (B, T, 3C)
                        R* scratch,     // (rows, span)
                        const R* dout,  // (B, T, C)
                        const R* qkv,   // (B, T, 3C) as in forward (rotated)
                        const R* att,   // (B, H, T, span)
                        int B, int T, int C, int H, int W) {
  const int hd = C / H;
  const AttnBlocking bl = attn_blocking(T, W);
  const int S = bl.span;
  const R qk_scale = R(1) / std::sqrt(R(hd));
  for (int b = 0; b < B; ++b)
    for (int h = 0; h < H; ++h)
      for (int t0 = 0; t0 < T; t0 += bl.rows) {
        const int nq = std::min(bl.rows, T - t0);
        const int k0 = std::max(0, t0 - W + 1);
        const int nk = t0 + nq - k0;
        const size_t qoff = (size_t(b) * T + t0) * 3 * C + h * hd;
        const size_t koff = (size_t(b) * T + k0) * 3 * C + C + h * hd;
        const size_t voff = koff + C;
        const R* P = att + ((size_t(b) * H + h) * T + t0) * S;
        const R* dO = dout + (size_t(b) * T + t0) * C + h * hd;
        R* dP = scratch;
        gemm(false, true, nq, nk, hd, R(1), dO, C, qkv + voff, 3 * C, R(0), dP, S);
        // softmax backward: dS = P (dP - sum_j P dP); masked entries have P = 0.
        for (int i = 0; i < nq; ++i) {
          const R* p = P + size_t(i) * S;
          R* d = dP + size_t(i) * S;
          softmax_grad(d, p, nk, dot(p, d, nk));
        }
        gemm(false, false, nq, hd, nk, qk_scale, dP, S, qkv + koff, 3 * C, R(1), dqkv + qoff, 3 * C);
        gemm(true, false, nk, hd, nq, qk_scale, dP, S, qkv + qoff, 3 * C, R(1), dqkv + koff, 3 * C);
        gemm(true, false, nk, hd, nq, R(1), P, S, dO, C, R(1), dqkv + voff, 3 * C);
      }
}

// ---- GELU (tanh approximation) --------------------------------------------------

// dgelu (may be null: inference) keeps gelu'(x) so backward is one product.
template <class R>
void gelu_forward(R* out,        // (N)
                  R* dgelu,      // (N) or null
                  const R* inp,  // (N)
                  size_t N) {
  gelu_eval(out, dgelu, inp, N);
}

// dinp = (overwritten; may alias dout)
template <class R>
void gelu_backward(R* dinp,         // (N)
                   const R* dgelu,  // (N) from gelu_forward
                   const R* dout,   // (N)
                   size_t N) {
  mul(dinp, dgelu, dout, N);
}

// ---- output softmax + cross-entropy -----------------------------------------------

// probs may alias logits. losses[i] = -ln p(target), in nats.
template <class R>
void crossentropy_forward(R* losses,        // (N)
                          R* probs,         // (N, V)
                          const R* logits,  // (N, V)
                          const int* targets,  // (N)
                          int N, int V) {
  for (int i = 0; i < N; ++i) {
    const R* z = logits + size_t(i) * V;
    R* p = probs + size_t(i) * V;
    const R mx = max_of(z, V);
    const R zt = z[targets[i]] - mx;  // read before p (which may alias z) is written
    if (p != z) std::copy_n(z, V, p);
    const R sum = exp_shift_sum(p, V, mx);
    scale(p, V, R(1) / sum);
    // Computed from the logits rather than log(p) so that a tiny probability
    // still gives a finite, exact loss.
    losses[i] = std::log(sum) - zt;
  }
}

// dlogits = (overwritten; may alias probs) dloss * (p - onehot(target))
template <class R>
void crossentropy_backward(R* dlogits,      // (N, V)
                           const R* probs,  // (N, V)
                           const int* targets,  // (N)
                           R dloss,         // d(total loss)/d(loss_i), e.g. 1/N for a mean
                           int N, int V) {
  for (int i = 0; i < N; ++i) {
    const R* p = probs + size_t(i) * V;
    R* d = dlogits + size_t(i) * V;
    for (int v = 0; v < V; ++v) d[v] = dloss * p[v];
    d[targets[i]] -= dloss;
  }
}

// ---- residual -------------------------------------------------------------------

template <class R>
void residual_forward(R* out, const R* a, const R* b, size_t N) {
  add(out, a, b, N);
}

}  // namespace lmzip::train
