// The Predictor of one chunk: a KV cache, and a forward pass over a segment
// of consecutive positions. predict()/update() run segments of one position
// (the decoder); predict_batch() runs the whole batch in segments of up to
// kSegmentRows positions (the encoder). Both call the same kernels on the same
// per-row data; the kernels' results for a row do not depend on which rows
// are computed with it (kernels.h), hence bit-identical frequencies.
#include <algorithm>
#include <cstring>

#include "kernels/kernels.h"
#include "model/filtered_predictor.h"
#include "transformer/transformer.h"

namespace lmzip {

namespace {

constexpr int kSegmentRows = 128;  // rows per batched pass: activations stay in L2

class TransformerPredictor final : public Predictor {
 public:
  explicit TransformerPredictor(std::shared_ptr<const TransformerModel> model)
      : model_(std::move(model)), c_(model_->config()) {
    const int d = int(c_.d), S = kSegmentRows;
    x_.resize(size_t(S) * d);
    h_.resize(size_t(S) * d);
    qkv_.resize(size_t(S) * 3 * d);
    att_.resize(size_t(S) * d);
    ff_.resize(size_t(S) * c_.ffn);
    logits_.resize(size_t(S) * kOutVocab);
    cs_.resize(size_t(S) * c_.hd());
    freq_.resize(kOutVocab);
    k_.resize(c_.layers);
    v_.resize(c_.layers);
    kt_.resize(c_.layers);
    reset();
  }

  int alphabet_size() const override { return kOutVocab; }

  void reset() override {
    pos_ = 0;
    input_ = c_.bos();
    computed_ = false;
    cbase_ = 0;
  }

  uint32_t predict(uint32_t* freq) override {
    if (!computed_) {
      forward(pos_, &input_, 1, freq_.data(), &total_);
      computed_ = true;
    }
    std::memcpy(freq, freq_.data(), kOutVocab * sizeof(uint32_t));
    return total_;
  }

  void update(Symbol symbol) override {
    if (!computed_) forward(pos_, &input_, 1, nullptr, nullptr);  // the cache needs this position
    input_ = c_.input_id(symbol);
    ++pos_;
    computed_ = false;
  }

  void predict_batch(std::span<const Symbol> symbols, uint32_t* freqs, uint32_t* totals) override {
    size_t i = 0;
    if (computed_ && !symbols.empty()) {  // the first answer is already known
      std::memcpy(freqs, freq_.data(), kOutVocab * sizeof(uint32_t));
      totals[0] = total_;
      update(symbols[0]);
      i = 1;
    }
    int tokens[kSegmentRows];
    while (i < symbols.size()) {
      const int T = int(std::min<size_t>(kSegmentRows, symbols.size() - i));
      tokens[0] = input_;
      for (int t = 1; t < T; ++t) tokens[t] = c_.input_id(symbols[i + t - 1]);
      forward(pos_, tokens, T, freqs + i * kOutVocab, totals + i);
      pos_ += T;
      input_ = c_.input_id(symbols[i + T - 1]);
      computed_ = false;
      i += size_t(T);
    }
  }

 private:
  // Makes room in the KV cache for positions p0 .. p0+T-1, keeping the keys
  // they can see (positions >= p0 - window + 1).
  void cache_reserve(int64_t p0, int T) {
    const int64_t d = c_.d;
    if (p0 + T - cbase_ <= cap_) return;
    // Grow (geometrically) up to what the window can need plus a segment of
    // slack, and only then slide: sliding at a capacity just above the window
    // would copy the whole cache at every step.
    const int64_t limit = int64_t(c_.window) - 1 + kSegmentRows;
    const int64_t keep_from = std::max<int64_t>(cbase_, p0 - int64_t(c_.window) + 1);
    const int64_t keep = p0 - keep_from, drop = keep_from - cbase_;
    const int64_t need = p0 + T - keep_from;  // slots after dropping what nobody sees again
    const int64_t old_cap = cap_;
    if (cap_ < limit) cap_ = std::min(limit, std::max<int64_t>(2 * cap_, 256));
    cap_ = std::max(cap_, need);
    if (cap_ == old_cap) {  // slide in place
      for (uint32_t l = 0; l < c_.layers; ++l) {
        std::memmove(k_[l].data(), k_[l].data() + drop * d, size_t(keep * d) * 4);
        std::memmove(v_[l].data(), v_[l].data() + drop * d, size_t(keep * d) * 4);
        for (int64_t c = 0; c < d; ++c)
          std::memmove(kt_[l].data() + c * cap_, kt_[l].data() + c * cap_ + drop, size_t(keep) * 4);
      }
    } else {  // re-lay into the larger capacity, dropping what nobody sees again
      std::vector<float> kt(size_t(cap_ * d));
      for (uint32_t l = 0; l < c_.layers; ++l) {
        if (drop > 0) {
          std::memmove(k_[l].data(), k_[l].data() + drop * d, size_t(keep * d) * 4);
          std::memmove(v_[l].data(), v_[l].data() + drop * d, size_t(keep * d) * 4);
        }
        k_[l].resize(size_t(cap_ * d));
        v_[l].resize(size_t(cap_ * d));
        for (int64_t c = 0; c < d && keep > 0; ++c)
          std::memcpy(kt.data() + c * cap_, kt_[l].data() + c * old_cap + drop, size_t(keep) * 4);
        kt_[l].swap(kt);
        kt.assign(size_t(cap_ * d), 0.0f);
      }
    }
    cbase_ = keep_from;
  }

  // Runs positions p0 .. p0+T-1 with inputs tokens[0..T); appends their keys
  // and values to the cache; if freqs, writes each position's frequencies.
  void forward(int64_t p0, const int* tokens, int T, uint32_t* freqs, uint32_t* totals) {
    const KernelTable& K = kernels();
    const int d = int(c_.d), f = int(c_.ffn), hd = c_.hd(), H = int(c_.heads);
    cache_reserve(p0, T);
    // Attention scratch for the keys this segment can see (grown on demand:
    // a model's window may be far longer than the chunks it is used on).
    const int64_t keys = std::min<int64_t>(c_.window, p0 + 1) + T;
    const int64_t need = std::max(attention_segment_scratch(hd, keys), int64_t(H) * (keys + 1));
    if (int64_t(scratch_.size()) < need) scratch_.resize(size_t(need));
    float* x = x_.data();  // (T, d) residual stream
    for (int t = 0; t < T; ++t)
      std::memcpy(x + t * d, model_->token_embd() + tokens[t] * d, size_t(d) * 4);
    // Rotary angles of the segment's positions: (T, hd).
    const float* cs;
    if (p0 + T <= model_->rope_rows()) {
      cs = model_->rope(p0, nullptr);
    } else {
      for (int t = 0; t < T; ++t) {
        float* row = cs_.data() + t * hd;
        const float* r = model_->rope(p0 + t, row);
        if (r != row) std::memcpy(row, r, size_t(hd) * 4);
      }
      cs = cs_.data();
    }
    const float qscale = 1.0f / __builtin_sqrtf(float(hd));
    const int64_t slot0 = p0 - cbase_;
    for (uint32_t l = 0; l < c_.layers; ++l) {
      const LayerWeights& w = model_->layer(int(l));
      float* kc = k_[l].data();
      float* vc = v_[l].data();
      K.rmsnorm(T, d, x, d, w.attn_norm, c_.eps, h_.data(), d);
      K.gemm(T, 3 * d, d, h_.data(), d, w.wqkv, 3 * d, qkv_.data(), 3 * d, nullptr);  // (T, 3d)
      K.rope(T, H, hd, qkv_.data(), 3 * d, cs, hd, qscale);                       // q, scaled
      K.rope(T, H, hd, qkv_.data() + d, 3 * d, cs, hd, 1.0f);                     // k
      K.round_f16(T, 2 * d, qkv_.data() + d, 3 * d);  // k, v rounded to binary16 (kernels.h)
      float* kt = kt_[l].data();
      for (int t = 0; t < T; ++t) {
        const float* kr = qkv_.data() + size_t(t) * 3 * d + d;
        std::memcpy(kc + (slot0 + t) * d, kr, size_t(d) * 4);
        std::memcpy(vc + (slot0 + t) * d, kr + d, size_t(d) * 4);
        for (int c = 0; c < d; ++c) kt[c * cap_ + slot0 + t] = kr[c];
      }
      if (T == 1) {  // the decoder's step: keys across lanes (kernels.h)
        const int64_t s_lo = std::max<int64_t>(0, p0 - int64_t(c_.window) + 1) - cbase_;
        K.attention_row(H, hd, qkv_.data(), kt, cap_, vc, d, s_lo, slot0, att_.data(), scratch_.data());
      } else {
        K.attention_segment(T, H, hd, qkv_.data(), 3 * d, kc, vc, d, p0, cbase_, c_.window, att_.data(),
                            d, scratch_.data());
      }
      K.gemm(T, d, d, att_.data(), d, w.wo, d, x, d, x);  // x += att Wo
      K.rmsnorm(T, d, x, d, w.ffn_norm, c_.eps, h_.data(), d);
      K.gemm(T, f, d, h_.data(), d, w.wup, f, ff_.data(), f, nullptr);  // (T, f)
      K.gelu(int64_t(T) * f, ff_.data());
      K.gemm(T, d, f, ff_.data(), f, w.wdown, d, x, d, x);  // x += gelu(.) Wdown
    }
    if (!freqs) return;
    K.rmsnorm(T, d, x, d, model_->output_norm(), c_.eps, h_.data(), d);
    K.gemm(T, kOutVocab, d, h_.data(), d, model_->wout(), kOutVocab, logits_.data(), kOutVocab, nullptr);
    K.freqs(T, logits_.data(), kOutVocab, freqs, totals);
  }

  std::shared_ptr<const TransformerModel> model_;
  const TransformerConfig& c_;
  int64_t pos_ = 0;     // position of the next prediction
  int input_ = 0;       // input id at pos_
  bool computed_ = false;  // pos_ has run: its keys are cached and freq_ holds its answer
  std::vector<uint32_t> freq_;
  uint32_t total_ = 0;
  // KV cache: per layer, slot s holds position cbase_ + s; (cap_, d) row-major.
  // kt_: the keys again, transposed (d, cap_), for attention_row.
  std::vector<std::vector<float>> k_, v_, kt_;
  int64_t cbase_ = 0, cap_ = 0;
  std::vector<float> x_, h_, qkv_, att_, ff_, logits_, cs_, scratch_;
};

}  // namespace

std::unique_ptr<Predictor> TransformerModel::make_predictor() const {
  return filtered_predictor_make(std::make_unique<TransformerPredictor>(shared_from_this()), config_.filter,
                                 /*inner_takes_tags=*/true, config_.mixer);
}

}  // namespace lmzip
