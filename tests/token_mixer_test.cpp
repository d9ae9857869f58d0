// The token mixer (src/model/token_mixer.h): valid frequencies, a fresh mixer
// reproduces the network, it learns a chunk's statistics, and a media model
// with a mixer codes and decodes through every path.
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

#include "lmzip/codec.h"
#include "model/filtered_predictor.h"
#include "model/logistic.h"
#include "model/token_mixer.h"
#include "test_util.h"
#include "transformer_test_util.h"

namespace lmzip {
namespace {

FilterSpec med(DataSpec data) {
  auto s = filter_spec_parse("med", data);
  EXPECT_TRUE(s);
  return s ? *s : FilterSpec{};
}

// A network that knows nothing: every token equally likely.
class UniformPredictor final : public Predictor {
 public:
  int alphabet_size() const override { return 256; }
  void reset(size_t) override {}
  void predict(uint32_t* freq, uint32_t* total) override {
    std::fill_n(freq, 256, 1u);
    *total = 256;
  }
  void update(std::span<const Symbol>) override {}
};

const DataSpec kGray16{Media::image, 16, 1, 8}, kRgb8{Media::image, 8, 3, 8};

// A peaked token distribution, as a network gives: most mass near residual 0.
std::vector<uint32_t> peaked(uint32_t scale) {
  std::vector<uint32_t> f(256);
  for (int t = 0; t < 256; ++t) {
    const int r = int8_t(uint8_t(t));
    f[size_t(t)] = 1 + scale / uint32_t(1 + r * r);
  }
  return f;
}

double bits(const std::vector<uint32_t>& freq, uint8_t token) {
  uint64_t total = 0;
  for (uint32_t f : freq) total += f;
  return -std::log2(double(freq[token]) / double(total));
}

TEST(Logistic, SquashAndStretchAreInverse) {
  EXPECT_EQ(squash(0), 2048);
  EXPECT_EQ(squash(-5000), 1);
  EXPECT_EQ(squash(5000), 4095);
  for (int d = -kLogisticMax; d < kLogisticMax; ++d) EXPECT_LE(squash(d), squash(d + 1));
  for (int p = 1; p < 4095; ++p) EXPECT_GE(squash(stretch(p)), p) << p;
  for (int d = -kLogisticMax; d <= kLogisticMax; d += 7) EXPECT_LE(stretch(squash(d)), d) << d;
}

TEST(TokenMixer, ParsesOnlyWhatFitsTheFilter) {
  EXPECT_EQ(*mixer_parse("none", FilterSpec{}), MixerKind::none);
  EXPECT_EQ(*mixer_parse("image1", med(kGray16)), MixerKind::image1);
  EXPECT_FALSE(mixer_parse("image1", FilterSpec{}));
  EXPECT_FALSE(mixer_parse("image2", med(kGray16)));
  EXPECT_EQ(mixer_name(MixerKind::image1), "image1");
}

TEST(TokenMixer, FreshMixerKeepsTheNetworksDistribution) {
  TokenMixer mixer(med(kGray16));
  const std::vector<uint32_t> net = peaked(1u << 20);
  std::vector<uint32_t> mixed = net;
  mixer.mix(mixed.data());
  uint64_t total = 0;
  for (uint32_t f : mixed) {
    EXPECT_GE(f, 1u);
    total += f;
  }
  EXPECT_EQ(total, kMixTotal);
  // 12-bit node probabilities: the likely tokens cost what the network says.
  for (int r = -3; r <= 3; ++r) EXPECT_NEAR(bits(mixed, uint8_t(r)), bits(net, uint8_t(r)), 0.02) << r;
}

// Codes a gray image whose values are multiples of 5 plus a smooth gradient
// (like a quantised scan) under a network that knows nothing (uniform).
double mixer_bits_per_byte(MixerKind kind) {
  const FilterSpec s = med(kGray16);
  auto p = filtered_predictor_make(std::make_unique<UniformPredictor>(), s, false, kind);
  std::mt19937_64 rng(5);
  double sum = 0;
  const int n = 16 * 200;
  std::vector<uint32_t> freq(256);
  for (int i = 0; i < n; ++i) {
    const int x = i % 16, y = i / 16;
    const uint8_t v = uint8_t(5 * ((x + y) / 3 % 40 + int(rng() % 2)));
    const uint32_t total = p->predict(freq.data());
    sum += -std::log2(double(freq[v]) / total);
    p->update(v);
  }
  return sum / n;
}

TEST(TokenMixer, LearnsTheChunksStatistics) {
  EXPECT_NEAR(mixer_bits_per_byte(MixerKind::none), 8.0, 1e-9);
  // Two likely values per pixel: about 1 bit, once learned.
  EXPECT_LT(mixer_bits_per_byte(MixerKind::image1), 2.0);
}

TEST(TokenMixer, UpdateWithoutPredictLearnsTheSame) {
  // The decoder always predicts first; a caller that skips predict() for some
  // symbols must still end in the same state.
  const FilterSpec s = med(kRgb8);
  auto a = filtered_predictor_make(std::make_unique<UniformPredictor>(), s, false, MixerKind::image1);
  auto b = filtered_predictor_make(std::make_unique<UniformPredictor>(), s, false, MixerKind::image1);
  std::mt19937_64 rng(8);
  std::vector<uint32_t> fa(256), fb(256);
  for (int i = 0; i < 600; ++i) {
    const Symbol v = Symbol(100 + rng() % 9);
    a->predict(fa.data());
    a->update(v);
    b->update(v);
  }
  EXPECT_EQ(a->predict(fa.data()), b->predict(fb.data()));
  EXPECT_EQ(fa, fb);
}

TEST(TokenMixer, MediaModelWithMixerRoundTrips) {
  RandomModelOptions o;
  o.d = 32;
  o.layers = 2;
  o.heads = 2;
  o.window = 40;
  o.context_length = 512;
  o.filter = *filter_spec_parse("med", kRgb8);
  o.mixer = MixerKind::image1;
  auto m = test::random_model(o);
  ASSERT_TRUE(m);
  EXPECT_EQ(m->config().mixer, MixerKind::image1);
  std::mt19937_64 rng(3);
  std::vector<uint8_t> pixels;
  for (int i = 0; i < 8 * 3 * 120; ++i) pixels.push_back(uint8_t(4 * (i / 24 % 50) + rng() % 3));
  for (unsigned threads : {1u, 3u}) {
    const test::Bytes lmz = test::compress_bytes(pixels, 480, threads, m);
    EXPECT_LT(lmz.size(), pixels.size() / 2);
    const test::Decoded d = test::decompress_bytes(lmz, threads, model_resolver_fixed(m));
    ASSERT_TRUE(d.status.ok()) << d.status.message();
    EXPECT_EQ(d.out, pixels);
  }
}

}  // namespace
}  // namespace lmzip
