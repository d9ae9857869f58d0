// The transformer's Predictor: the engine (transformer_engine.h) behind the
// Predictor interface, with the filter and mixer of the model in front.
// predict()/update() run one position of every lane (the decoder);
// predict_batch() runs one lane's positions in segments of kSegmentRows
// (the encoder). Both call the same forward pass on the same per-row data,
// hence bit-identical frequencies.
#include <algorithm>
#include <cstring>

#include "kernels/kernels.h"
#include "model/filtered_predictor.h"
#include "transformer/transformer.h"
#include "transformer/transformer_engine.h"

namespace lmzip {

namespace {

class TransformerPredictor final : public Predictor {
 public:
  TransformerPredictor(std::shared_ptr<const TransformerModel> model, size_t lanes, ThreadPool* pool)
      : c_(model->config()), engine_(std::move(model), lanes, pool) {
    reset(1);
  }

  int alphabet_size() const override { return kOutVocab; }
  size_t max_lanes() const override { return engine_.max_lanes(); }

  void reset(size_t lanes) override {
    engine_.reset(lanes);
    inputs_.assign(engine_.active(), c_.bos());
    computed_ = false;
    const size_t rows = engine_.rows(1);
    if (totals_.size() < rows) {
      freqs_.resize(rows * kOutVocab);
      totals_.resize(rows);
    }
  }

  void predict(uint32_t* freqs, uint32_t* totals) override {
    if (!computed_) {
      engine_.forward(inputs_.data(), 1, freqs_.data(), totals_.data());
      computed_ = true;
    }
    std::memcpy(freqs, freqs_.data(), inputs_.size() * kOutVocab * sizeof(uint32_t));
    std::memcpy(totals, totals_.data(), inputs_.size() * sizeof(uint32_t));
  }

  void update(std::span<const Symbol> symbols) override {
    if (!computed_) engine_.forward(inputs_.data(), 1, nullptr, nullptr);  // the cache needs this position
    if (symbols.size() < inputs_.size()) {  // the last lanes ended
      inputs_.resize(symbols.size());
      engine_.retire(symbols.size());
    }
    for (size_t b = 0; b < inputs_.size(); ++b) inputs_[b] = c_.input_id(symbols[b]);
    computed_ = false;
  }

  void predict_batch(std::span<const Symbol> symbols, uint32_t* freqs, uint32_t* totals) override {
    if (!engine_.takes_segments()) {  // lanes in groups: the step-by-step form
      Predictor::predict_batch(symbols, freqs, totals);
      return;
    }
    size_t i = 0;
    if (computed_ && !symbols.empty()) {  // the first answer is already known
      predict(freqs, totals);
      update(symbols.first(1));
      i = 1;
    }
    int inputs[TransformerEngine::kSegmentRows];
    while (i < symbols.size()) {
      const int T = int(std::min<size_t>(TransformerEngine::kSegmentRows, symbols.size() - i));
      inputs[0] = inputs_[0];
      for (int t = 1; t < T; ++t) inputs[t] = c_.input_id(symbols[i + t - 1]);
      engine_.forward(inputs, T, freqs + i * kOutVocab, totals + i);
      inputs_[0] = c_.input_id(symbols[i + T - 1]);
      computed_ = false;
      i += size_t(T);
    }
  }

 private:
  const TransformerConfig& c_;  // the engine's model's
  TransformerEngine engine_;
  std::vector<int> inputs_;  // (active lanes) input ids at the engine's position
  bool computed_ = false;    // that position has run: its keys are cached, freqs_ holds its answer
  std::vector<uint32_t> freqs_, totals_;  // (engine_.rows(1), 256), (engine_.rows(1))
};

}  // namespace

std::unique_ptr<Predictor> TransformerModel::make_predictor() const { return make_predictor_lanes(1, nullptr); }

std::unique_ptr<Predictor> TransformerModel::make_predictor_lanes(size_t lanes, ThreadPool* pool) const {
  // Lanes are capped so that their KV caches (binary16) stay under kLaneCacheBudget.
  constexpr uint64_t kLaneCacheBudget = uint64_t{1} << 30;
  const uint64_t slots = uint64_t(KvCache::slots_max(config_, config_.context_length));
  const uint64_t per_lane = uint64_t(config_.layers) * slots * config_.d * 2 * sizeof(uint16_t);
  const uint64_t cap = std::max<uint64_t>(kLockstepGroup, kLaneCacheBudget / std::max<uint64_t>(per_lane, 1));
  lanes = std::max<size_t>(1, std::min<uint64_t>(lanes, cap / kLockstepGroup * kLockstepGroup));
  return filtered_predictor_make(std::make_unique<TransformerPredictor>(shared_from_this(), lanes, pool),
                                 config_.filter, /*inner_takes_tags=*/true, config_.mixer);
}

// Bytes per chunk and step (bench/bench_transformer.cpp: both ways are bound
// by memory on current hardware): the f32 weights, and the KV cache of every
// layer over the positions a step sees, averaged over a chunk of the model's
// length: f32 for one lane, binary16 in lanes of groups of kLockstepGroup.
StepCost TransformerModel::step_cost() const {
  const TransformerConfig& c = config_;
  const double ctx = c.context_length, w = std::min<double>(c.window, ctx);
  const double slot_bytes = double(c.layers) * c.d * 2 * 4;  // K and V, all layers, f32
  StepCost cost;
  cost.weights = double(c.parameters()) * 4;
  cost.state = slot_bytes * (w < ctx ? w - w * w / (2 * ctx) : ctx / 2);
  cost.state_max = slot_bytes * w;
  cost.lane_state = cost.state / 2;
  cost.lane_group = kLockstepGroup;
  return cost;
}

}  // namespace lmzip
