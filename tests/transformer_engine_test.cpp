// The transformer engine's determinism: batched == step-by-step frequencies,
// identical across kernel paths, and close to a naive reference forward.
#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "common/f16.h"
#include "kernels/kernels.h"
#include "transformer/transformer.h"
#include "transformer_test_util.h"

namespace lmzip {
namespace {

using test::random_bytes;
using test::random_model;

// Restores the default kernel path after a test that forces one.
struct KernelGuard {
  std::string saved = kernels().name;
  ~KernelGuard() { kernels_select(saved.c_str()); }
};

std::vector<const char*> available_paths() {
  std::vector<const char*> v;
  for (const char* n : {"scalar", "avx2", "avx512", "neon"})
    if (kernels_available(n)) v.push_back(n);
  return v;
}

// A random small model: odd sizes on purpose so that vector tails, masks,
// windows shorter than the chunk and positions beyond the context are all hit.
RandomModelOptions random_shape(std::mt19937_64& rng, uint64_t seed) {
  RandomModelOptions o;
  const int heads = 1 + int(rng() % 3);
  int hd = 2 * (1 + int(rng() % 9));  // 2..18
  if (rng() % 3 == 0) hd = rng() % 2 ? 16 : 32;  // whole vectors: the decoder's tiled path
  o.d = uint32_t(heads * hd);
  o.heads = uint32_t(heads);
  o.layers = 1 + uint32_t(rng() % 2);
  o.ffn = 1 + uint32_t(rng() % 70);
  o.context_length = 8 + uint32_t(rng() % 60);
  o.window = 1 + uint32_t(rng() % 80);
  o.seed = seed;
  o.f16 = rng() % 4 == 0;
  return o;
}

std::vector<uint32_t> run_stepwise(Predictor& p, const std::vector<uint32_t>& chunk,
                                   std::vector<uint32_t>* totals) {
  std::vector<uint32_t> freqs(chunk.size() * 256);
  totals->assign(chunk.size(), 0);
  p.reset();
  for (size_t i = 0; i < chunk.size(); ++i) {
    (*totals)[i] = p.predict(&freqs[i * 256]);
    p.update(chunk[i]);
  }
  return freqs;
}

std::vector<uint32_t> run_batched(Predictor& p, const std::vector<uint32_t>& chunk,
                                  std::vector<uint32_t>* totals) {
  std::vector<uint32_t> freqs(chunk.size() * 256);
  totals->assign(chunk.size(), 0);
  p.reset();
  p.predict_batch(chunk, freqs.data(), totals->data());
  return freqs;
}

// The key/value rounding: every kernel path equals the scalar definition
// (common/f16.h) on ties, subnormals, overflow, NaN and a sweep of all
// exponents; lengths that leave vector tails.
TEST(TransformerKernels, RoundF16IsTheDefinitionOnEveryPath) {
  EXPECT_EQ(f16_round(65519.0f), 65504.0f);
  EXPECT_EQ(f16_round(1e30f), 65504.0f);
  EXPECT_EQ(f16_round(-__builtin_inff()), -65504.0f);
  EXPECT_EQ(f16_round(__builtin_nanf("")), -65504.0f);
  EXPECT_EQ(f16_round(1.0f + 1.0f / 2048), 1.0f);  // tie -> even
  EXPECT_EQ(f16_round(0.333333f), 0.333251953125f);
  std::vector<float> in;
  for (float x : {0.0f, -0.0f, 1.0f, 65504.0f, 65520.0f, -65520.0f, 5.96e-8f, 2.98e-8f, 8.9e-8f,
                  6.1e-5f, __builtin_inff(), __builtin_nanf("")})
    in.push_back(x);
  for (uint64_t u = 0; u < (1ull << 32); u += 65521) {  // every exponent, both signs
    const uint32_t b = uint32_t(u);
    float x;
    std::memcpy(&x, &b, 4);
    in.push_back(x);
  }
  KernelGuard guard;
  for (const char* path : available_paths()) {
    ASSERT_TRUE(kernels_select(path));
    for (int n : {int(in.size()), 7, 33}) {
      std::vector<float> y(in.begin(), in.begin() + n);
      kernels().round_f16(1, n, y.data(), n);
      for (int i = 0; i < n; ++i) {
        const float want = f16_round(in[size_t(i)]);
        ASSERT_EQ(std::memcmp(&y[size_t(i)], &want, 4), 0) << path << " x=" << in[size_t(i)];
      }
    }
  }
}

// gemm_f16 and gemm_bf16 are gemm of the weights converted to f32, bit for
// bit, and all three are the same on every path: odd shapes leave vector
// tails, the decoder's single row takes the wide tiles, and a residual is added.
TEST(TransformerKernels, SixteenBitGemmsAreGemmOfTheConvertedWeights) {
  std::mt19937_64 rng(7);
  KernelGuard guard;
  for (int trial = 0; trial < 40; ++trial) {
    const int M = 1 + int(rng() % 13), N = 1 + int(rng() % 300), K = 1 + int(rng() % 70);
    std::vector<uint16_t> wh(size_t(K) * size_t(N));
    std::vector<BFloat16> wb(wh.size());
    std::vector<float> wfh(wh.size()), wfb(wh.size()), x(size_t(M) * size_t(K)), r(size_t(M) * size_t(N));
    for (size_t i = 0; i < wh.size(); ++i) {
      wh[i] = uint16_t(rng() % 0x7C00) | uint16_t(rng() % 2 ? 0x8000 : 0);  // finite, subnormals too
      wfh[i] = f16_to_f32(wh[i]);
      wb[i].bits = uint16_t(rng() % 0x7F80) | uint16_t(rng() % 2 ? 0x8000 : 0);
      const uint32_t u = uint32_t(wb[i].bits) << 16;
      std::memcpy(&wfb[i], &u, 4);
    }
    std::normal_distribution<float> g(0.f, 1.f);
    for (float& v : x) v = g(rng);
    for (float& v : r) v = g(rng);
    const bool residual = trial % 2 == 1;
    std::vector<float> want_h, want_b;
    for (const char* path : available_paths()) {
      ASSERT_TRUE(kernels_select(path));
      const KernelTable& k = kernels();
      std::vector<float> yh(r), yb(r), y16(r), yb16(r);
      float* res[4] = {nullptr, nullptr, nullptr, nullptr};
      if (residual) res[0] = yh.data(), res[1] = yb.data(), res[2] = y16.data(), res[3] = yb16.data();
      k.gemm(M, N, K, x.data(), K, wfh.data(), N, yh.data(), N, res[0]);
      k.gemm(M, N, K, x.data(), K, wfb.data(), N, yb.data(), N, res[1]);
      k.gemm_f16(M, N, K, x.data(), K, wh.data(), N, y16.data(), N, res[2]);
      k.gemm_bf16(M, N, K, x.data(), K, wb.data(), N, yb16.data(), N, res[3]);
      ASSERT_EQ(std::memcmp(yh.data(), y16.data(), yh.size() * 4), 0) << path << " f16 M=" << M << " N=" << N;
      ASSERT_EQ(std::memcmp(yb.data(), yb16.data(), yb.size() * 4), 0) << path << " bf16 M=" << M << " N=" << N;
      if (want_h.empty()) want_h = yh, want_b = yb;
      ASSERT_EQ(std::memcmp(want_h.data(), y16.data(), yh.size() * 4), 0) << path << " differs from scalar";
      ASSERT_EQ(std::memcmp(want_b.data(), yb16.data(), yb.size() * 4), 0) << path << " differs from scalar";
    }
  }
}

TEST(TransformerEngine, FrequenciesAreValid) {
  RandomModelOptions o;
  o.d = 32;
  o.heads = 2;
  o.layers = 2;
  o.context_length = 64;
  o.window = 64;
  auto m = random_model(o);
  ASSERT_TRUE(m);
  std::mt19937_64 rng(1);
  auto chunk = random_bytes(rng, 50);
  auto p = m->make_predictor();
  EXPECT_EQ(p->alphabet_size(), 256);
  std::vector<uint32_t> totals;
  auto freqs = run_batched(*p, chunk, &totals);
  for (size_t i = 0; i < chunk.size(); ++i) {
    uint64_t sum = 0;
    uint32_t mx = 0;
    for (int s = 0; s < 256; ++s) {
      ASSERT_GE(freqs[i * 256 + s], 1u);
      sum += freqs[i * 256 + s];
      mx = std::max(mx, freqs[i * 256 + s]);
    }
    EXPECT_EQ(sum, totals[i]);
    EXPECT_LE(sum, kMaxFrequencyTotal);
    EXPECT_EQ(mx, 1u << 22);  // the most likely symbol gets exactly the scale + 1
  }
  // predict() does not advance.
  p->reset();
  std::vector<uint32_t> a(256), b(256);
  EXPECT_EQ(p->predict(a.data()), p->predict(b.data()));
  EXPECT_EQ(a, b);
}

TEST(TransformerEngine, BatchedEqualsStepwiseOnRandomModels) {
  KernelGuard guard;
  std::mt19937_64 rng(12345);
  for (int trial = 0; trial < 24; ++trial) {
    RandomModelOptions o = random_shape(rng, uint64_t(trial + 1));
    auto m = random_model(o);
    ASSERT_TRUE(m) << "d=" << o.d << " heads=" << o.heads;
    auto chunk = random_bytes(rng, 1 + rng() % 300);
    auto p = m->make_predictor();
    std::vector<uint32_t> t1, t2;
    const auto step = run_stepwise(*p, chunk, &t1);
    const auto batch = run_batched(*p, chunk, &t2);
    ASSERT_EQ(t1, t2) << "trial " << trial << " d=" << o.d << " window=" << o.window;
    ASSERT_EQ(step, batch) << "trial " << trial;
    // Mixed: random pieces through predict_batch, with predict()/update() between.
    p->reset();
    std::vector<uint32_t> mixed(chunk.size() * 256), tm(chunk.size());
    size_t i = 0;
    while (i < chunk.size()) {
      const size_t n = std::min<size_t>(chunk.size() - i, rng() % 3 == 0 ? 1 : 1 + rng() % 150);
      if (n == 1 && rng() % 2) {
        tm[i] = p->predict(&mixed[i * 256]);
        if (rng() % 2) p->predict(&mixed[i * 256]);  // twice: no effect
        p->update(chunk[i]);
      } else {
        if (rng() % 3 == 0) {
          std::vector<uint32_t> dummy(256);
          p->predict(dummy.data());  // predict_batch must reuse this answer
        }
        p->predict_batch(std::span<const uint32_t>(chunk).subspan(i, n), &mixed[i * 256], &tm[i]);
      }
      i += n;
    }
    ASSERT_EQ(step, mixed) << "trial " << trial;
  }
}

TEST(TransformerEngine, UpdateWithoutPredict) {
  std::mt19937_64 rng(7);
  RandomModelOptions o = random_shape(rng, 99);
  auto m = random_model(o);
  auto chunk = random_bytes(rng, 120);
  auto p = m->make_predictor();
  std::vector<uint32_t> t1;
  const auto step = run_stepwise(*p, chunk, &t1);
  p->reset();
  for (size_t i = 0; i < 60; ++i) p->update(chunk[i]);
  std::vector<uint32_t> f(256);
  for (size_t i = 60; i < chunk.size(); ++i) {
    ASSERT_EQ(p->predict(f.data()), t1[i]);
    ASSERT_TRUE(std::equal(f.begin(), f.end(), step.begin() + i * 256));
    p->update(chunk[i]);
  }
}

TEST(TransformerEngine, IdenticalAcrossKernelPaths) {
  KernelGuard guard;
  const auto paths = available_paths();
  std::mt19937_64 rng(2024);
  for (int trial = 0; trial < 10; ++trial) {
    RandomModelOptions o = random_shape(rng, uint64_t(100 + trial));
    if (trial == 0) o.d = 64, o.heads = 4, o.ffn = 256, o.window = 256;  // a paper-like shape
    auto m = random_model(o);
    ASSERT_TRUE(m);
    auto chunk = random_bytes(rng, 1 + rng() % 200);
    std::vector<uint32_t> ref_b, ref_s, ref_t;
    for (const char* path : paths) {
      ASSERT_TRUE(kernels_select(path));
      auto p = m->make_predictor();
      std::vector<uint32_t> tb, ts;
      auto b = run_batched(*p, chunk, &tb);
      auto s = run_stepwise(*p, chunk, &ts);
      if (ref_b.empty()) {
        ref_b = b;
        ref_s = s;
        ref_t = tb;
      }
      ASSERT_EQ(b, ref_b) << "batched, path " << path << ", trial " << trial;
      ASSERT_EQ(s, ref_s) << "stepwise, path " << path << ", trial " << trial;
      ASSERT_EQ(b, s) << "path " << path;
    }
  }
}

TEST(TransformerEngine, AgreesWithNaiveReference) {
  std::mt19937_64 rng(77);
  for (int trial = 0; trial < 6; ++trial) {
    RandomModelOptions o = random_shape(rng, uint64_t(500 + trial));
    auto m = random_model(o);
    ASSERT_TRUE(m);
    auto chunk = random_bytes(rng, 1 + rng() % 100);
    auto ref = test::reference_forward(*m, chunk);
    auto p = m->make_predictor();
    std::vector<uint32_t> totals;
    auto freqs = run_batched(*p, chunk, &totals);
    double worst = 0;
    for (size_t t = 0; t < chunk.size(); ++t)
      for (int s = 0; s < 256; ++s) {
        // f = 1 + trunc(e * S): e recovered to within 1/S.
        const double e = double(freqs[t * 256 + s] - 1) / double(kFreqScale);
        worst = std::max(worst, std::abs(e - ref[t][size_t(s)]));
      }
    RecordProperty("worst" + std::to_string(trial), std::to_string(worst));
    // Not 1e-4: a key or value within float rounding of a binary16 tie can
    // round the other way in the reference, an error of 2^-11 in that element.
    EXPECT_LT(worst, 1e-3) << "trial " << trial << " d=" << o.d << " f16=" << o.f16;
  }
}

TEST(TransformerEngine, LongChunkBeyondContextAndWindow) {
  RandomModelOptions o;
  o.d = 16;
  o.heads = 2;
  o.layers = 1;
  o.context_length = 32;  // positions beyond it use computed rotary angles
  o.window = 20;          // the cache slides many times
  auto m = random_model(o);
  std::mt19937_64 rng(3);
  auto chunk = random_bytes(rng, 700);
  auto p = m->make_predictor();
  std::vector<uint32_t> t1, t2;
  EXPECT_EQ(run_stepwise(*p, chunk, &t1), run_batched(*p, chunk, &t2));
  EXPECT_EQ(t1, t2);
}

// Without LMZIP_KERNELS the engine runs the fastest path this CPU has (and
// AArch64 always has NEON); the properties tell scripts which paths ran.
TEST(TransformerEngine, PathsAvailableHere) {
  for (const char* n : {"scalar", "avx2", "avx512", "neon"}) RecordProperty(n, kernels_available(n) ? "yes" : "no");
#if defined(__aarch64__)
  EXPECT_TRUE(kernels_available("neon"));
#endif
  EXPECT_TRUE(kernels_available("scalar"));
  if (const char* env = std::getenv("LMZIP_KERNELS"); env && *env) GTEST_SKIP() << "LMZIP_KERNELS is set";
  const char* best = "scalar";
  for (const char* n : {"neon", "avx2", "avx512"})
    if (kernels_available(n)) best = n;
  EXPECT_STREQ(kernels().name, best);
}

}  // namespace
}  // namespace lmzip
