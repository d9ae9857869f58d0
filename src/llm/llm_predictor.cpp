// The Predictor over LlmEngine: symbols are token ids; a chunk starts from
// the model's start id (BOS), which is context, never coded.
#include <algorithm>
#include <cstring>

#include "llm/llm_forward.h"
#include "llm/llm_model.h"

namespace lmzip {

namespace {

class LlmPredictor final : public Predictor {
 public:
  LlmPredictor(std::shared_ptr<const LlmModel> model, size_t lanes)
      : model_(model), engine_(model, lanes), V_(model->config().n_vocab) {}

  int alphabet_size() const override { return V_; }
  size_t max_lanes() const override { return engine_.max_lanes(); }

  void reset(size_t lanes) override {
    engine_.reset(lanes);
    pending_.assign(engine_.active(), model_->start_id());
    have_ = false;
  }

  // Lanes step together: row b of one forward pass is lane b's position,
  // computed as it would be alone.
  void predict(uint32_t* freqs, uint32_t* totals) override {
    const size_t B = engine_.active(), V = size_t(V_);
    if (!have_) {
      logits_.resize(B * V);
      freqs_.resize(B * V);
      totals_.resize(B);
      engine_.forward(pending_.data(), 1, logits_.data());
      llm_freqs(int(B), V_, logits_.data(), freqs_.data(), totals_.data());
      have_ = true;
    }
    std::copy_n(freqs_.begin(), B * V, freqs);
    std::copy_n(totals_.begin(), B, totals);
  }

  void update(std::span<const Symbol> symbols) override {
    if (symbols.empty()) return;
    if (!have_) engine_.forward(pending_.data(), 1, nullptr);  // its keys and values still belong in the cache
    if (symbols.size() < engine_.active()) engine_.retire(symbols.size());  // the last lanes ended
    pending_.assign(symbols.begin(), symbols.end());
    have_ = false;
  }

  // The encoder (one lane): the chunk's positions a segment at a time
  // (matrix-matrix work), each row computed as the decoder's step computes it.
  void predict_batch(std::span<const Symbol> symbols, uint32_t* freqs, uint32_t* totals) override {
    constexpr size_t kSegment = 64;
    const size_t n = symbols.size(), V = size_t(V_);
    size_t i = 0;
    if (have_ && n > 0) {
      predict(freqs, totals);
      update(symbols.subspan(0, 1));
      i = 1;
    }
    std::vector<Symbol> inputs;
    while (i < n) {
      const size_t seg = std::min(kSegment, n - i);
      inputs.assign(1, pending_[0]);
      inputs.insert(inputs.end(), symbols.begin() + ptrdiff_t(i), symbols.begin() + ptrdiff_t(i + seg - 1));
      logits_.resize(seg * V);
      engine_.forward(inputs.data(), int(seg), logits_.data());
      llm_freqs(int(seg), V_, logits_.data(), freqs + i * V, totals + i);
      pending_[0] = symbols[i + seg - 1];
      i += seg;
    }
  }

 private:
  std::shared_ptr<const LlmModel> model_;
  LlmEngine engine_;
  int V_;
  std::vector<Symbol> pending_;  // (lanes) the input of each lane's next position
  bool have_ = false;            // freqs_ holds the prediction after pending_ (its position already run)
  std::vector<float> logits_;
  std::vector<uint32_t> freqs_, totals_;
};

}  // namespace

std::unique_ptr<Predictor> LlmModel::make_predictor() const { return make_predictor_lanes(1, nullptr); }

std::unique_ptr<Predictor> LlmModel::make_predictor_lanes(size_t lanes, ThreadPool*) const {
  // The lanes' KV caches stay under about 1 GiB for chunks of up to 2048 positions.
  const uint64_t per_lane = LlmEngine::kv_bytes(c_, std::min<int64_t>(c_.context_length, 2048));
  lanes = std::clamp<size_t>(lanes, 1, std::max<uint64_t>(1, (uint64_t{1} << 30) / std::max<uint64_t>(1, per_lane)));
  auto p = std::make_unique<LlmPredictor>(shared_from_this(), lanes);
  p->reset(1);
  return p;
}

StepCost LlmModel::step_cost() const {
  StepCost c;
  for (const LlmLayer& L : layers_)
    for (const LlmMatrix* m : {&L.wq, &L.wk, &L.wv, &L.wo, &L.gate, &L.up, &L.down}) c.weights += double(m->bytes());
  c.weights += double(output_.bytes());
  // A default chunk's tokens: at least a byte each, two on average (chunk_size_for).
  c.state_max = double(LlmEngine::kv_bytes(c_, chunk_size_));
  c.state = c.lane_state = c.state_max / 4;
  c.lane_group = 8;  // the block kernels' rows per weight read
  return c;
}

}  // namespace lmzip
