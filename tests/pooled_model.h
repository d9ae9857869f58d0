// A Model wrapper that recycles predictors; shared by the tests and the fuzzer.
#pragma once

#include <memory>
#include <mutex>
#include <span>
#include <utility>
#include <vector>

#include "lmzip/model.h"
#include "lmzip/predictor.h"

namespace lmzip::test {

// A model that hands out recycled predictors of `inner`. The order-2
// predictor clears 34 MB when made, which would dominate tests that decode
// thousands of tiny frames; the codec resets a predictor at the start of
// every chunk, so reuse is exact.
class PooledModel final : public Model {
 public:
  explicit PooledModel(std::shared_ptr<const Model> inner) : inner_(std::move(inner)) {}
  const ModelInfo& info() const override { return inner_->info(); }
  uint32_t default_chunk_size() const override { return inner_->default_chunk_size(); }
  std::unique_ptr<Predictor> make_predictor() const override {
    std::unique_ptr<Predictor> p;
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (!pool_.empty()) {
        p = std::move(pool_.back());
        pool_.pop_back();
      }
    }
    if (!p) p = inner_->make_predictor();
    return std::make_unique<Lease>(this, std::move(p));
  }

 private:
  class Lease final : public Predictor {
   public:
    Lease(const PooledModel* owner, std::unique_ptr<Predictor> p) : owner_(owner), p_(std::move(p)) {}
    ~Lease() override {
      std::lock_guard<std::mutex> lock(owner_->mu_);
      owner_->pool_.push_back(std::move(p_));
    }
    int alphabet_size() const override { return p_->alphabet_size(); }
    void reset(size_t lanes) override { p_->reset(lanes); }
    void predict(uint32_t* freqs, uint32_t* totals) override { p_->predict(freqs, totals); }
    void update(std::span<const Symbol> symbols) override { p_->update(symbols); }
    void predict_batch(std::span<const Symbol> symbols, uint32_t* freqs, uint32_t* totals) override {
      p_->predict_batch(symbols, freqs, totals);
    }

   private:
    const PooledModel* owner_;
    std::unique_ptr<Predictor> p_;
  };

  std::shared_ptr<const Model> inner_;
  mutable std::mutex mu_;
  mutable std::vector<std::unique_ptr<Predictor>> pool_;
};

}  // namespace lmzip::test
