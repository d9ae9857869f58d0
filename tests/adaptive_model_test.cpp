// The adaptive stage (src/adaptive): deterministic (two instances, reset vs
// fresh), always a valid probability, and each of its parts earns its place:
// the match model codes a repeat almost for free, a network that is always
// right is followed, and text compresses well.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

#include "adaptive/adaptive_model.h"

namespace lmzip {
namespace {

using Bytes = std::vector<uint8_t>;

Bytes random_bytes(size_t n, uint64_t seed) {
  std::mt19937_64 rng(seed);
  Bytes out(n);
  for (uint8_t& b : out) b = uint8_t(rng());
  return out;
}

Bytes text_like(size_t n, uint64_t seed) {
  std::mt19937_64 rng(seed);
  const char* words[] = {"the ", "model ", "predicts ", "next ", "byte ", "and ", "codes ", "it.\n", "1,2,3\t"};
  Bytes out;
  while (out.size() < n) {
    if (rng() % 16 == 0) out.push_back(uint8_t(rng()));
    for (const char* c = words[rng() % 9]; *c && out.size() < n; ++c) out.push_back(uint8_t(*c));
  }
  return out;
}

// Codes `data` (no network), returns every p1 in order; checks each is valid.
std::vector<uint32_t> p1_sequence(AdaptiveModel& m, const Bytes& data) {
  std::vector<uint32_t> out;
  out.reserve(data.size() * 8);
  m.reset(uint32_t(data.size()), 1);
  for (uint8_t c : data) {
    m.byte_begin(0, nullptr);
    for (int i = 7; i >= 0; --i) {
      const uint32_t p = m.p1();
      EXPECT_EQ(p, m.p1()) << "p1 must not advance";
      out.push_back(p);
      m.update((c >> i) & 1);
    }
  }
  return out;
}

// The ideal code length in bits of data[from, to) after coding data[0, from).
// freq: optional per-byte network frequencies (256 per byte).
double cost_bits(AdaptiveModel& m, const Bytes& data, size_t from, size_t to,
                 const std::vector<uint32_t>* freq = nullptr) {
  double bits = 0;
  m.reset(uint32_t(data.size()), 1);
  for (size_t k = 0; k < to; ++k) {
    m.byte_begin(0, freq ? &(*freq)[k * 256] : nullptr);
    for (int i = 7; i >= 0; --i) {
      const int bit = (data[k] >> i) & 1;
      const uint32_t p = m.p1();
      EXPECT_GE(p, 1u);
      EXPECT_LE(p, 65535u);
      if (k >= from) bits -= std::log2((bit ? p : 65536 - p) / 65536.0);
      m.update(bit);
    }
  }
  return bits;
}

class AdaptiveStages : public testing::TestWithParam<uint8_t> {};

TEST_P(AdaptiveStages, TwoInstancesGiveTheSameProbabilities) {
  const Bytes data = text_like(60000, 1);
  AdaptiveModel a(GetParam()), b(GetParam());
  EXPECT_EQ(p1_sequence(a, data), p1_sequence(b, data));
}

TEST_P(AdaptiveStages, ResetEqualsAFreshInstance) {
  const Bytes first = text_like(50000, 2), second = text_like(50000, 3);
  AdaptiveModel used(GetParam()), fresh(GetParam());
  p1_sequence(used, first);  // p1_sequence resets the stage
  EXPECT_EQ(p1_sequence(used, second), p1_sequence(fresh, second));
}

TEST_P(AdaptiveStages, ProbabilityStaysInRangeOnExtremeData) {
  // Long runs drive every counter and weight to its limit; random data after
  // them must not break anything.
  Bytes data(200000, 0);
  for (size_t i = 100000; i < 150000; ++i) data[i] = 0xFF;
  const Bytes noise = random_bytes(50000, 4);
  std::copy(noise.begin(), noise.end(), data.begin() + 150000);
  AdaptiveModel m(GetParam());
  for (uint32_t p : p1_sequence(m, data)) {
    ASSERT_GE(p, 1u);
    ASSERT_LE(p, 65535u);
  }
}

TEST_P(AdaptiveStages, MatchModelCodesARepeatAlmostForFree) {
  Bytes data = random_bytes(64 * 1024, 5);
  data.insert(data.end(), data.begin(), data.end());
  AdaptiveModel m(GetParam());
  const double first = cost_bits(m, data, 0, data.size() / 2);
  const double second = cost_bits(m, data, data.size() / 2, data.size());
  EXPECT_GT(first, 64 * 1024 * 8 * 0.99);  // random: no gain, little loss
  EXPECT_LT(second, 0.02 * first) << "first copy " << first / 8 << " bytes, second " << second / 8;
}

TEST_P(AdaptiveStages, FollowsANetworkThatIsAlwaysRight) {
  const Bytes data = random_bytes(20000, 6);
  std::vector<uint32_t> freq(data.size() * 256, 1);
  for (size_t k = 0; k < data.size(); ++k) freq[k * 256 + data[k]] = 1u << 20;
  AdaptiveModel with(GetParam()), without(GetParam());
  const double net = cost_bits(with, data, 0, data.size(), &freq);
  const double none = cost_bits(without, data, 0, data.size());
  EXPECT_GT(none, 7.9 * double(data.size()));
  EXPECT_LT(net, 0.1 * double(data.size())) << net / double(data.size()) << " bits per byte";
}

TEST_P(AdaptiveStages, TextCompressesBelowTwoAndAHalfBitsPerByte) {
  std::ifstream f(std::string(LMZIP_DATA_DIR) + "/text/enwik/enwik6", std::ios::binary);
  if (!f) GTEST_SKIP() << "text/enwik/enwik6 is missing";
  Bytes data((std::istreambuf_iterator<char>(f)), {});
  ASSERT_GE(data.size(), 200000u);
  data.resize(200000);
  AdaptiveModel m(GetParam());
  const double bpb = cost_bits(m, data, 0, data.size()) / double(data.size());
  EXPECT_LT(bpb, 2.5);
}

TEST_P(AdaptiveStages, MemoryFollowsTheBlockAndIsBounded) {
  AdaptiveModel small(GetParam()), large(GetParam());
  small.reset(4096, 1);
  if (GetParam() != kAdaptiveStage1) {  // stage 1's tables are fixed
    EXPECT_LE(small.memory_bytes(), size_t(16) << 20);
  }
  large.reset(1 << 20, 64);
  EXPECT_LE(large.memory_bytes(), size_t(192) << 20);
  EXPECT_GE(large.memory_bytes(), size_t(64) << 20);  // counts the tables
}

INSTANTIATE_TEST_SUITE_P(Stages, AdaptiveStages, testing::Values(kAdaptiveStage1, kAdaptiveStage2, kAdaptiveStage3),
                         [](const testing::TestParamInfo<uint8_t>& i) { return "stage" + std::to_string(int(i.param)); });

}  // namespace
}  // namespace lmzip
