// Many lanes (chunks stepped together, groups of lanes on threads) give
// exactly the frequencies of one lane per chunk.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "kernels/kernels.h"
#include "common/thread_pool.h"
#include "lmzip/engine.h"
#include "transformer_test_util.h"

namespace lmzip {
namespace {

struct KernelGuard {
  std::string saved = kernels().name;
  ~KernelGuard() { kernels_select(saved.c_str()); }
};

// Chunks of different lengths, longest first (as the codec would order them).
std::vector<std::vector<uint32_t>> make_chunks(std::mt19937_64& rng, unsigned n, size_t max_len) {
  std::vector<std::vector<uint32_t>> chunks;
  for (unsigned i = 0; i < n; ++i) chunks.push_back(test::random_bytes(rng, 1 + rng() % max_len));
  std::stable_sort(chunks.begin(), chunks.end(), [](auto& a, auto& b) { return a.size() > b.size(); });
  return chunks;
}

void expect_lanes_match(const std::shared_ptr<const TransformerModel>& m,
                             const std::vector<std::vector<uint32_t>>& chunks, unsigned threads,
                             const std::string& what) {
  // Reference: one predictor per chunk, batched (the encoder's form).
  std::vector<std::vector<uint32_t>> ref(chunks.size()), ref_t(chunks.size());
  auto p = m->make_predictor();
  for (size_t c = 0; c < chunks.size(); ++c) {
    ref[c].resize(chunks[c].size() * 256);
    ref_t[c].resize(chunks[c].size());
    p->reset();
    p->predict_batch(chunks[c], ref[c].data(), ref_t[c].data());
  }
  ThreadPool pool(threads);
  auto ls = m->make_predictor_lanes(chunks.size(), &pool);
  ASSERT_EQ(ls->max_lanes(), chunks.size());
  ls->reset(chunks.size());
  std::vector<uint32_t> freqs(chunks.size() * 256), totals(chunks.size()), syms(chunks.size());
  for (size_t i = 0; i < chunks[0].size(); ++i) {
    size_t active = 0;  // lanes with a symbol at i (the others ended)
    while (active < chunks.size() && chunks[active].size() > i) ++active;
    ls->predict(freqs.data(), totals.data());
    for (unsigned b = 0; b < active; ++b) {
      ASSERT_EQ(totals[b], ref_t[b][i]) << what << " chunk " << b << " pos " << i;
      ASSERT_TRUE(std::equal(freqs.begin() + b * 256, freqs.begin() + (b + 1) * 256, ref[b].begin() + i * 256))
          << what << " chunk " << b << " pos " << i;
      syms[b] = chunks[b][i];
    }
    if (i % 7 == 3) ls->predict(freqs.data(), totals.data());  // no effect
    ls->update({syms.data(), active});
  }
}

TEST(TransformerLanes, MatchesPredictorAcrossThreadsAndSizes) {
  std::mt19937_64 rng(31);
  for (int trial = 0; trial < 5; ++trial) {
    RandomModelOptions o;
    o.heads = 1 + unsigned(rng() % 3);
    o.d = o.heads * 2 * (1 + unsigned(rng() % 8));
    o.layers = 1 + unsigned(rng() % 2);
    o.ffn = 1 + unsigned(rng() % 50);
    o.context_length = 16 + unsigned(rng() % 40);
    o.window = 1 + unsigned(rng() % 60);
    o.seed = uint64_t(trial + 40);
    auto m = test::random_model(o);
    ASSERT_TRUE(m);
    const unsigned n = 1 + unsigned(rng() % 40);
    auto chunks = make_chunks(rng, n, 120);
    for (unsigned threads : {1u, 2u, 3u})
      expect_lanes_match(m, chunks, threads,
                              "trial " + std::to_string(trial) + " threads " + std::to_string(threads));
  }
}

TEST(TransformerLanes, MatchesAcrossKernelPaths) {
  KernelGuard guard;
  std::mt19937_64 rng(32);
  RandomModelOptions o;
  o.d = 48;
  o.heads = 3;
  o.layers = 2;
  o.context_length = 40;
  o.window = 30;
  auto m = test::random_model(o);
  auto chunks = make_chunks(rng, 19, 90);
  for (const char* path : {"scalar", "avx2", "avx512", "neon"}) {
    if (!kernels_select(path)) continue;
    expect_lanes_match(m, chunks, 2, path);
  }
}

TEST(TransformerLanes, ResetReusesEngine) {
  std::mt19937_64 rng(33);
  RandomModelOptions o;
  o.d = 16;
  o.heads = 2;
  o.layers = 1;
  o.window = 8;
  auto m = test::random_model(o);
  ThreadPool pool(2);
  auto ls = m->make_predictor_lanes(34, &pool);
  for (int round = 0; round < 3; ++round) {
    auto chunks = make_chunks(rng, 5 + unsigned(rng() % 30), 40);
    auto p = m->make_predictor();
    ls->reset(chunks.size());
    std::vector<uint32_t> freqs(chunks.size() * 256), totals(chunks.size()), syms(chunks.size()), f(256);
    for (size_t i = 0; i < chunks[0].size(); ++i) {
      size_t active = 0;
      while (active < chunks.size() && chunks[active].size() > i) ++active;
      if (i % 2) {
        ls->predict(freqs.data(), totals.data());
        // Spot-check chunk 0 against a predictor.
        p->reset();
        for (size_t k = 0; k < i; ++k) p->update(chunks[0][k]);
        ASSERT_EQ(p->predict(f.data()), totals[0]);
        ASSERT_TRUE(std::equal(f.begin(), f.end(), freqs.begin()));
      }
      for (size_t b = 0; b < active; ++b) syms[b] = chunks[b][i];
      ls->update({syms.data(), active});  // sometimes without predict: the cache must still fill
    }
  }
}

// A model without lanes gives one lane whatever it is asked for; the
// transformer caps its lanes by memory, in whole groups.
TEST(TransformerLanes, LanesOfModels) {
  auto order2 = model_open("order2");
  ASSERT_TRUE(order2);
  EXPECT_EQ((*order2)->make_predictor_lanes(kMaxLanes)->max_lanes(), 1u);
  RandomModelOptions o;
  o.d = 8;
  o.heads = 1;
  o.layers = 1;
  std::shared_ptr<const Model> m = test::random_model(o);
  EXPECT_EQ(m->make_predictor_lanes(kMaxLanes)->max_lanes(), kMaxLanes);
  EXPECT_EQ(m->make_predictor_lanes(5)->max_lanes(), 5u);
}

}  // namespace
}  // namespace lmzip
