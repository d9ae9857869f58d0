#include "llm/llm_forward.h"

#include <algorithm>
#include <cassert>
#include <cmath>

#include "kernels/kernel_ops.h"
#include "kernels/kernels.h"
#include "kernels/kernels_impl.h"
#include "llm/llm_kernels.h"

namespace lmzip {

namespace {

float exp_canonical(float x) { return vexp<OpsScalar>(x); }

// In place on the first `rot` elements of each of n_heads heads of hd in x.
void rope_rows(float* x, int n_heads, int hd, int rot, const float* cs, RopeMode mode) {
  const int half = rot / 2;
  for (int h = 0; h < n_heads; ++h) {
    float* xh = x + size_t(h) * size_t(hd);
    for (int i = 0; i < half; ++i) {
      const int a = mode == RopeMode::norm ? 2 * i : i, b = mode == RopeMode::norm ? 2 * i + 1 : i + half;
      const float c = cs[i], s = cs[half + i];
      const float x0 = xh[a], x1 = xh[b];
      xh[a] = x0 * c - x1 * s;
      xh[b] = x0 * s + x1 * c;
    }
  }
}

void add_bias(float* x, int T, int n, const float* b) {
  if (!b) return;
  for (int t = 0; t < T; ++t)
    for (int i = 0; i < n; ++i) x[size_t(t) * size_t(n) + size_t(i)] = x[size_t(t) * size_t(n) + size_t(i)] + b[i];
}

}  // namespace

LlmEngine::LlmEngine(std::shared_ptr<const LlmModel> model, size_t max_lanes)
    : model_(std::move(model)), c_(model_->config()), k_(std::max<size_t>(1, max_lanes)), v_(k_.size()) {
  for (size_t b = 0; b < k_.size(); ++b) k_[b].resize(size_t(c_.n_layers)), v_[b].resize(size_t(c_.n_layers));
}

uint64_t LlmEngine::kv_bytes(const LlmConfig& c, int64_t positions) {
  return uint64_t(positions) * uint64_t(c.n_layers) * uint64_t(c.n_kv_heads) * uint64_t(c.hd) * 2 * sizeof(float);
}

void LlmEngine::reset(size_t lanes) {
  pos_ = 0;
  lanes_ = std::clamp<size_t>(lanes, 1, k_.size());
}

void LlmEngine::reserve(int64_t positions) {
  if (positions > cap_) cap_ = std::max<int64_t>(positions, std::max<int64_t>(64, 2 * cap_));
  const size_t want = size_t(cap_) * size_t(c_.n_kv_heads) * size_t(c_.hd);
  for (size_t b = 0; b < lanes_; ++b)  // a lane started after the last growth may hold less
    for (int l = 0; l < c_.n_layers; ++l) {
      if (k_[b][size_t(l)].size() < want) k_[b][size_t(l)].resize(want);
      if (v_[b][size_t(l)].size() < want) v_[b][size_t(l)].resize(want);
    }
}

void LlmEngine::matmul(float* out, int ldo, const float* in, int ldi, int T, const LlmMatrix& w, const float* r) {
  if (w.blocks() && xq_of_ != in) {
    llm_q8_quantize(xq_, in, T, w.K, ldi);
    xq_of_ = in;
  }
  llm_matmul_forward(out, ldo, in, ldi, xq_, T, w, r);
}

void LlmEngine::attend(int l, int R, bool lanes) {
  const int hd = c_.hd, kvd = c_.n_kv_heads * hd, group = c_.n_heads / c_.n_kv_heads;
  const float scale = float(1.0 / std::sqrt(double(hd)));
  const LlmKernels& lk = llm_kernels();
  scores_.resize(size_t(pos_ + (lanes ? 1 : R)));
  for (int r = 0; r < R; ++r) {
    const size_t lane = lanes ? size_t(r) : 0;
    const int64_t p = pos_ + (lanes ? 0 : r);
    const float* kc = k_[lane][size_t(l)].data();
    const float* vc = v_[lane][size_t(l)].data();
    for (int h = 0; h < c_.n_heads; ++h) {
      const float* q = q_.data() + size_t(r) * size_t(c_.d) + size_t(h * hd);
      const size_t off = size_t((h / group) * hd);
      lk.attn_scores(q, kc + off, size_t(kvd), p + 1, hd, scale, scores_.data());
      float m = -__builtin_inff();
      for (int64_t j = 0; j <= p; ++j) m = scores_[size_t(j)] > m ? scores_[size_t(j)] : m;
      float den = 0.f;
      for (int64_t j = 0; j <= p; ++j) {
        scores_[size_t(j)] = exp_canonical(scores_[size_t(j)] - m);
        den = den + scores_[size_t(j)];
      }
      float* o = att_.data() + size_t(r) * size_t(c_.d) + size_t(h * hd);
      lk.attn_mix(scores_.data(), vc + off, size_t(kvd), p + 1, hd, o);
      for (int i = 0; i < hd; ++i) o[i] = o[i] / den;
    }
  }
}

void LlmEngine::forward(const Symbol* ids, int T, float* logits) {
  const bool lanes = lanes_ > 1;
  assert(!lanes || T == 1);
  const int R = lanes ? int(lanes_) : T;  // rows: one per lane still going, or per position
  const int d = c_.d, hd = c_.hd, kvd = c_.n_kv_heads * hd, f = c_.ffn, rot = c_.rope_dims;
  const size_t rows = size_t(R);
  x_.resize(rows * size_t(d));
  h_.resize(rows * size_t(d));
  q_.resize(rows * size_t(d));
  att_.resize(rows * size_t(d));
  k_new_.resize(rows * size_t(kvd));
  v_new_.resize(rows * size_t(kvd));
  g_.resize(rows * size_t(f));
  u_.resize(rows * size_t(f));
  cs_.resize(size_t(T) * size_t(rot));
  reserve(pos_ + T);
  for (int r = 0; r < R; ++r) model_->embed(ids[r], x_.data() + size_t(r) * size_t(d));
  for (int t = 0; t < T; ++t) model_->rope(pos_ + t, cs_.data() + size_t(t) * size_t(rot));
  const KernelTable& kt = kernels();
  for (int l = 0; l < c_.n_layers; ++l) {
    const LlmLayer& L = model_->layer(l);
    kt.rmsnorm(R, d, x_.data(), d, L.attn_norm, c_.rms_eps, h_.data(), d);
    xq_of_ = nullptr;
    matmul(q_.data(), d, h_.data(), d, R, L.wq, nullptr);
    matmul(k_new_.data(), kvd, h_.data(), d, R, L.wk, nullptr);
    matmul(v_new_.data(), kvd, h_.data(), d, R, L.wv, nullptr);
    add_bias(q_.data(), R, d, L.bq);
    add_bias(k_new_.data(), R, kvd, L.bk);
    add_bias(v_new_.data(), R, kvd, L.bv);
    for (int r = 0; r < R; ++r) {
      const float* cs = cs_.data() + size_t(lanes ? 0 : r) * size_t(rot);
      rope_rows(q_.data() + size_t(r) * size_t(d), c_.n_heads, hd, rot, cs, c_.rope_mode);
      rope_rows(k_new_.data() + size_t(r) * size_t(kvd), c_.n_kv_heads, hd, rot, cs, c_.rope_mode);
    }
    for (int r = 0; r < R; ++r) {
      const size_t lane = lanes ? size_t(r) : 0;
      const size_t at = size_t(pos_ + (lanes ? 0 : r)) * size_t(kvd);
      std::copy_n(k_new_.begin() + ptrdiff_t(size_t(r) * size_t(kvd)), kvd, k_[lane][size_t(l)].begin() + ptrdiff_t(at));
      std::copy_n(v_new_.begin() + ptrdiff_t(size_t(r) * size_t(kvd)), kvd, v_[lane][size_t(l)].begin() + ptrdiff_t(at));
    }
    attend(l, R, lanes);
    matmul(x_.data(), d, att_.data(), d, R, L.wo, x_.data());
    kt.rmsnorm(R, d, x_.data(), d, L.ffn_norm, c_.rms_eps, h_.data(), d);
    xq_of_ = nullptr;
    matmul(g_.data(), f, h_.data(), d, R, L.gate, nullptr);
    matmul(u_.data(), f, h_.data(), d, R, L.up, nullptr);
    for (size_t i = 0; i < rows * size_t(f); ++i) {
      const float g = g_[i];
      g_[i] = (g / (1.f + exp_canonical(-g))) * u_[i];
    }
    matmul(x_.data(), d, g_.data(), f, R, L.down, x_.data());
  }
  pos_ += T;
  if (!logits) return;
  kt.rmsnorm(R, d, x_.data(), d, model_->output_norm(), c_.rms_eps, h_.data(), d);
  xq_of_ = nullptr;
  matmul(logits, c_.n_vocab, h_.data(), d, R, model_->output(), nullptr);
}

void llm_freqs(int M, int n, const float* logits, uint32_t* freqs, uint32_t* totals) {
  assert(n >= 1 && n <= kLlmMaxVocab);
  constexpr double S = double((1u << 30) - (1u << 24));
  std::vector<float> e(static_cast<size_t>(n));
  for (int r = 0; r < M; ++r) {
    const float* l = logits + size_t(r) * size_t(n);
    float m = -__builtin_inff();
    for (int i = 0; i < n; ++i) m = l[i] > m ? l[i] : m;  // NaN never wins
    if (!(m < __builtin_inff())) m = 0.f;                  // all NaN / -inf, or an inf: exp clamps the rest
    double sum = 0.0;
    for (int i = 0; i < n; ++i) {
      e[size_t(i)] = exp_canonical(l[i] - m);
      sum = sum + double(e[size_t(i)]);
    }
    const double k = S / sum;
    uint32_t* f = freqs + size_t(r) * size_t(n);
    uint64_t total = 0;
    for (int i = 0; i < n; ++i) {
      const double v = double(e[size_t(i)]) * k;
      f[i] = 1u + uint32_t(v < S ? v : S);
      total += f[i];
    }
    assert(total <= (uint64_t{1} << 30));
    totals[r] = uint32_t(total);
  }
}

}  // namespace lmzip
