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
  explicit LlmPredictor(std::shared_ptr<const LlmModel> model)
      : model_(model), engine_(model), V_(model->config().n_vocab), logits_(size_t(V_)), freqs_(size_t(V_)) {}

  int alphabet_size() const override { return V_; }

  void reset(size_t) override {
    engine_.reset();
    pending_ = model_->start_id();
    have_ = false;
  }

  void predict(uint32_t* freqs, uint32_t* totals) override {
    if (!have_) {
      engine_.forward(&pending_, 1, logits_.data());
      llm_freqs(1, V_, logits_.data(), freqs_.data(), &total_);
      have_ = true;
    }
    std::copy(freqs_.begin(), freqs_.end(), freqs);
    totals[0] = total_;
  }

  void update(std::span<const Symbol> symbols) override {
    if (symbols.empty()) return;
    if (!have_) engine_.forward(&pending_, 1, nullptr);  // its keys and values still belong in the cache
    pending_ = symbols[0];
    have_ = false;
  }

  // The encoder: the chunk's positions a segment at a time (matrix-matrix
  // work), each row computed as the decoder's one-at-a-time step computes it.
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
      inputs.assign(1, pending_);
      inputs.insert(inputs.end(), symbols.begin() + ptrdiff_t(i), symbols.begin() + ptrdiff_t(i + seg - 1));
      batch_logits_.resize(seg * V);
      engine_.forward(inputs.data(), int(seg), batch_logits_.data());
      llm_freqs(int(seg), V_, batch_logits_.data(), freqs + i * V, totals + i);
      pending_ = symbols[i + seg - 1];
      i += seg;
    }
  }

 private:
  std::shared_ptr<const LlmModel> model_;
  LlmEngine engine_;
  int V_;
  Symbol pending_ = 0;  // the input of the next position
  bool have_ = false;   // freqs_ holds the prediction after pending_ (its position already run)
  std::vector<float> logits_, batch_logits_;
  std::vector<uint32_t> freqs_;
  uint32_t total_ = 0;
};

}  // namespace

std::unique_ptr<Predictor> LlmModel::make_predictor() const {
  auto p = std::make_unique<LlmPredictor>(shared_from_this());
  p->reset(1);
  return p;
}

}  // namespace lmzip
