// Predictors of one lane each, stepped as one predictor of many lanes: what
// the adaptive decoder steps when a model has no lanes of its own (or lanes
// are turned off). Lane by lane the same frequencies, by the Predictor contract.
#pragma once

#include <memory>
#include <vector>

#include "lmzip/model.h"
#include "lmzip/predictor.h"

namespace lmzip {

class SingleLanes final : public Predictor {
 public:
  SingleLanes(const Model& model, size_t lanes) {
    for (size_t i = 0; i < lanes; ++i) lanes_.push_back(model.make_predictor());
  }
  int alphabet_size() const override { return lanes_[0]->alphabet_size(); }
  size_t max_lanes() const override { return lanes_.size(); }
  void reset(size_t lanes) override {
    going_ = lanes;
    for (size_t i = 0; i < lanes; ++i) lanes_[i]->reset();
  }
  void predict(uint32_t* freqs, uint32_t* totals) override {
    const size_t a = size_t(alphabet_size());
    for (size_t i = 0; i < going_; ++i) totals[i] = lanes_[i]->predict(freqs + i * a);
  }
  void update(std::span<const Symbol> symbols) override {
    going_ = symbols.size();
    for (size_t i = 0; i < going_; ++i) lanes_[i]->update(symbols[i]);
  }

 private:
  std::vector<std::unique_ptr<Predictor>> lanes_;
  size_t going_ = 0;
};

}  // namespace lmzip
