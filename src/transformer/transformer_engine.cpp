// The forward pass over lanes x positions (transformer_engine.h).
#include "transformer/transformer_engine.h"

#include <algorithm>
#include <cstring>

#include "common/f16.h"
#include "kernels/kernels.h"

namespace lmzip {

namespace {
constexpr int G = kLockstepGroup;
}  // namespace

TransformerEngine::TransformerEngine(std::shared_ptr<const TransformerModel> model, size_t max_lanes,
                                     ThreadPool* pool)
    : model_(std::move(model)), c_(model_->config()), max_lanes_(std::max<size_t>(1, max_lanes)), pool_(pool),
      cache_(c_) {
  const unsigned workers = pool_ ? pool_->size() : 1;
  rope_tmp_.resize(size_t(workers) * kSegmentRows * c_.hd());
  reset(1);
}

void TransformerEngine::reset(size_t lanes) {
  active_ = std::clamp<size_t>(lanes, 1, max_lanes_);
  pos_ = 0;
  const size_t ng = active_ == 1 ? 0 : (active_ + G - 1) / G;  // one lane: the rows layout
  cache_.reset(ng ? KvCache::Layout::groups : KvCache::Layout::rows, ng);
  const size_t rows = ng ? ng * G : size_t(kSegmentRows), d = c_.d;
  if (inputs_.size() < rows) {
    inputs_.resize(rows);
    x_.resize(rows * d);
    h_.resize(rows * d);
    qkv_.resize(rows * 3 * d);
    att_.resize(rows * d);
    ff_.resize(rows * c_.ffn);
    logits_.resize(rows * kOutVocab);
  }
  if (groups_.size() < ng) {
    groups_.resize(ng);
    for (Group& g : groups_) {
      g.qg.resize(d * G);
      g.og.resize(d * G);
    }
  }
}

size_t TransformerEngine::rows(int T) const {
  return cache_.layout() == KvCache::Layout::rows ? size_t(T) : (active_ + G - 1) / G * G;
}

const float* TransformerEngine::rope_rows(int T, float* tmp) const {
  if (pos_ + T <= model_->rope_rows()) return model_->rope(pos_, nullptr);
  const int hd = c_.hd();
  for (int t = 0; t < T; ++t) {
    float* row = tmp + t * hd;
    const float* r = model_->rope(pos_ + t, row);
    if (r != row) std::memcpy(row, r, size_t(hd) * 4);
  }
  return tmp;
}

void TransformerEngine::forward(const int* inputs, int T, uint32_t* freqs, uint32_t* totals) {
  const int hd = c_.hd(), H = int(c_.heads);
  if (cache_.layout() == KvCache::Layout::rows) {
    cache_.reserve(pos_, T, 0);
    std::copy_n(inputs, T, inputs_.begin());
    // Attention scratch for the keys this segment can see (grown on demand:
    // a model's window may be far longer than the chunks it is used on).
    const int64_t keys = std::min<int64_t>(c_.window, pos_ + 1) + T;
    const int64_t need = std::max(attention_segment_scratch(hd, keys), int64_t(H) * (keys + 1));
    if (int64_t(scratch_.size()) < need) scratch_.resize(size_t(need));
    forward_rows(0, T, T, freqs != nullptr, freqs, totals, 0);
  } else if (active_ > 0) {
    const size_t ng = (active_ + G - 1) / G;
    cache_.reserve(pos_, 1, ng);
    for (size_t b = 0; b < ng * G; ++b) inputs_[b] = b < active_ ? inputs[b] : c_.bos();
    const int64_t keys = pos_ - std::max<int64_t>(cache_.base(), pos_ - int64_t(c_.window) + 1) + 1;
    for (size_t g = 0; g < ng; ++g)
      if (int64_t(groups_[g].scratch.size()) < keys * G) groups_[g].scratch.resize(size_t(keys * G));
    const unsigned workers = unsigned(std::min<size_t>(pool_ ? pool_->size() : 1, ng));
    auto run = [&](unsigned w) {
      const size_t g0 = ng * w / workers, g1 = ng * (w + 1) / workers;
      if (g1 > g0) forward_rows(g0 * G, int(g1 - g0) * G, 1, freqs != nullptr, freqs, totals, w);
    };
    if (workers > 1)
      pool_->run(workers, run);
    else
      run(0);
  }
  pos_ += T;
}

void TransformerEngine::forward_rows(size_t r0, int n, int T, bool want_freqs, uint32_t* freqs, uint32_t* totals,
                                     unsigned worker) {
  const KernelTable& K = kernels();
  const int d = int(c_.d), f = int(c_.ffn), hd = c_.hd(), H = int(c_.heads);
  float* x = x_.data() + r0 * d;  // (n, d) residual stream
  float* h = h_.data() + r0 * d;
  float* qkv = qkv_.data() + r0 * 3 * d;
  float* att = att_.data() + r0 * d;
  float* ff = ff_.data() + r0 * f;
  for (int r = 0; r < n; ++r)
    std::memcpy(x + size_t(r) * d, model_->token_embd() + size_t(inputs_[r0 + r]) * d, size_t(d) * 4);
  // Rotary angles: one row per position; lanes at one position share it (ldcs 0).
  const float* cs = rope_rows(T, rope_tmp_.data() + size_t(worker) * kSegmentRows * hd);
  const int ldcs = T == 1 ? 0 : hd;
  const float qscale = 1.0f / __builtin_sqrtf(float(hd));
  for (uint32_t l = 0; l < c_.layers; ++l) {
    const LayerWeights& w = model_->layer(int(l));
    K.rmsnorm(n, d, x, d, w.attn_norm, c_.eps, h, d);
    K.gemm(n, 3 * d, d, h, d, w.wqkv, 3 * d, qkv, 3 * d, nullptr);  // (n, 3d)
    K.rope(n, H, hd, qkv, 3 * d, cs, ldcs, qscale);                 // q, scaled
    K.rope(n, H, hd, qkv + d, 3 * d, cs, ldcs, 1.0f);               // k
    K.round_f16(n, 2 * d, qkv + d, 3 * d);  // k, v rounded to binary16 (kernels.h)
    attend(l, r0, n, T, qkv, att);
    K.gemm(n, d, d, att, d, w.wo, d, x, d, x);  // x += att Wo
    K.rmsnorm(n, d, x, d, w.ffn_norm, c_.eps, h, d);
    K.gemm(n, f, d, h, d, w.wup, f, ff, f, nullptr);  // (n, f)
    K.gelu(int64_t(n) * f, ff);
    K.gemm(n, d, f, ff, f, w.wdown, d, x, d, x);  // x += gelu(.) Wdown
  }
  if (!want_freqs) return;
  float* lg = logits_.data() + r0 * kOutVocab;
  K.rmsnorm(n, d, x, d, model_->output_norm(), c_.eps, h, d);
  K.gemm(n, kOutVocab, d, h, d, model_->wout(), kOutVocab, lg, kOutVocab, nullptr);
  K.freqs(n, lg, kOutVocab, freqs + r0 * kOutVocab, totals + r0);
}

void TransformerEngine::attend(uint32_t l, size_t r0, int n, int T, const float* qkv, float* att) {
  const KernelTable& K = kernels();
  const int d = int(c_.d), hd = c_.hd(), H = int(c_.heads);
  const int64_t cap = cache_.cap(), base = cache_.base(), slot0 = pos_ - base;
  const int64_t s_lo = std::max<int64_t>(base, pos_ - int64_t(c_.window) + 1) - base;
  if (cache_.layout() == KvCache::Layout::rows) {  // one lane, rows = positions
    float* kc = cache_.k(l);
    float* vc = cache_.v(l);
    float* kt = cache_.kt(l);
    for (int t = 0; t < T; ++t) {
      const float* kr = qkv + size_t(t) * 3 * d + d;
      std::memcpy(kc + (slot0 + t) * d, kr, size_t(d) * 4);
      std::memcpy(vc + (slot0 + t) * d, kr + d, size_t(d) * 4);
      for (int c = 0; c < d; ++c) kt[c * cap + slot0 + t] = kr[c];
    }
    if (T == 1)  // the decoder's step: keys across vector lanes
      K.attention_row(H, hd, qkv, kt, cap, vc, d, s_lo, slot0, att, scratch_.data());
    else
      K.attention_segment(T, H, hd, qkv, 3 * d, kc, vc, d, pos_, base, c_.window, att, d, scratch_.data());
    return;
  }
  // Lanes in groups of G, rows = lanes: each group's rows transposed into the
  // kernel's lanes, keys and values into its binary16 cache.
  for (size_t gi = r0 / G; gi < (r0 + size_t(n)) / G; ++gi) {
    Group& g = groups_[gi];
    const float* qr = qkv + (gi * G - r0) * 3 * d;
    uint16_t* kc = cache_.k(gi, l);
    uint16_t* vc = cache_.v(gi, l);
    for (int b = 0; b < G; ++b) {
      const float* row = qr + size_t(b) * 3 * d;
      for (int c = 0; c < d; ++c) g.qg[size_t(c) * G + b] = row[c];
      for (int h = 0; h < H; ++h) {
        const size_t at = size_t((h * cap + slot0) * hd) * G + b;
        for (int c = 0; c < hd; ++c) {
          kc[at + size_t(c) * G] = f32_to_f16(row[d + h * hd + c]);  // exact: already rounded
          vc[at + size_t(c) * G] = f32_to_f16(row[2 * d + h * hd + c]);
        }
      }
    }
    K.attention_lockstep(H, hd, g.qg.data(), kc, vc, cap, s_lo, slot0, g.og.data(), g.scratch.data());
    float* ar = att + (gi * G - r0) * d;
    for (int b = 0; b < G; ++b)
      for (int c = 0; c < d; ++c) ar[size_t(b) * d + c] = g.og[size_t(c) * G + b];
  }
}

}  // namespace lmzip
