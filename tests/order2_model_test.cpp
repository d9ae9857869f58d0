// The order-2 model: valid frequency tables, batch form identical to the
// step-by-step form, and reset() really forgets.
#include <gtest/gtest.h>

#include <random>
#include <vector>

#include "lmzip/model.h"

namespace lmzip {
namespace {

std::vector<Symbol> text_like(size_t n, uint64_t seed) {
  std::mt19937_64 rng(seed);
  const char* words[] = {"the ", "model ", "predicts ", "next ", "byte ", "and ", "codes ", "it. "};
  std::vector<Symbol> out;
  while (out.size() < n) {
    if (rng() % 16 == 0) out.push_back(static_cast<Symbol>(rng() % 256));
    for (const char* c = words[rng() % 8]; *c && out.size() < n; ++c) out.push_back(static_cast<uint8_t>(*c));
  }
  return out;
}

TEST(Order2Model, FrequenciesAreValid) {
  auto model = model_open("order2");
  ASSERT_TRUE(model.ok());
  auto p = (*model)->make_predictor();
  ASSERT_EQ(p->alphabet_size(), 256);
  std::vector<uint32_t> freq(256);
  for (Symbol s : text_like(200000, 1)) {
    const uint32_t total = p->predict(freq.data());
    uint64_t sum = 0;
    for (uint32_t f : freq) {
      ASSERT_GE(f, 1u);
      sum += f;
    }
    ASSERT_EQ(sum, total);
    ASSERT_LE(total, kMaxFrequencyTotal);
    p->update(s);
  }
}

TEST(Order2Model, BatchEqualsStepwise) {
  auto model = *model_open("order2");
  auto a = model->make_predictor(), b = model->make_predictor();
  const auto data = text_like(50000, 2);
  std::vector<uint32_t> freqs(data.size() * 256), totals(data.size()), f(256);
  a->predict_batch(data, freqs.data(), totals.data());
  for (size_t i = 0; i < data.size(); ++i) {
    ASSERT_EQ(b->predict(f.data()), totals[i]) << i;
    ASSERT_TRUE(std::equal(f.begin(), f.end(), freqs.begin() + static_cast<long>(i * 256))) << i;
    b->update(data[i]);
  }
}

TEST(Order2Model, ResetForgets) {
  auto model = *model_open("order2");
  auto used = model->make_predictor(), fresh = model->make_predictor();
  for (Symbol s : text_like(100000, 3)) used->update(s);
  used->reset();
  std::vector<uint32_t> f1(256), f2(256);
  for (Symbol s : text_like(5000, 4)) {
    ASSERT_EQ(used->predict(f1.data()), fresh->predict(f2.data()));
    ASSERT_EQ(f1, f2);
    used->update(s);
    fresh->update(s);
  }
}

TEST(Order2Model, LearnsRepetition) {
  // After a few repetitions of a phrase, its bytes get most of the probability.
  auto p = (*model_open("order2"))->make_predictor();
  const std::string phrase = "abcabcabd";
  std::vector<uint32_t> f(256);
  for (int rep = 0; rep < 50; ++rep)
    for (char c : phrase) p->update(static_cast<uint8_t>(c));
  const uint32_t total = p->predict(f.data());  // context "bd" is followed by 'a'
  EXPECT_GT(f['a'], total / 2);
}

}  // namespace
}  // namespace lmzip
