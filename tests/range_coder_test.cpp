// The range coder alone: exact round trips and closeness to the ideal code
// length over 1 MB of symbols with known frequency tables.
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

#include "coder/range_coder.h"
#include "lmzip/predictor.h"

namespace lmzip {
namespace {

struct Table {
  std::vector<uint32_t> freq, cum;
  uint32_t total = 0;
};

Table table_make(std::mt19937_64& rng, int alphabet, uint32_t total_max, double skew) {
  Table t;
  std::exponential_distribution<double> e(1.0);
  std::vector<double> w(alphabet);
  double sum = 0;
  for (auto& x : w) sum += (x = std::pow(e(rng), skew));
  for (int s = 0; s < alphabet; ++s) {
    t.cum.push_back(t.total);
    uint32_t f = 1 + static_cast<uint32_t>(w[s] / sum * (total_max - alphabet));
    t.freq.push_back(f);
    t.total += f;
  }
  return t;
}

int symbol_draw(std::mt19937_64& rng, const Table& t) {
  uint32_t x = std::uniform_int_distribution<uint32_t>(0, t.total - 1)(rng);
  int s = 0;
  while (t.cum[s] + t.freq[s] <= x) ++s;
  return s;
}

// Codes 1 MB of symbols drawn from changing tables; checks the exact round
// trip and that the output is within 0.1% (+8 bytes) of sum -log2(f/total).
void check_near_ideal(uint32_t total_max, double skew, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<Table> tables;
  for (int i = 0; i < 16; ++i) tables.push_back(table_make(rng, 256, total_max, skew));
  const size_t n = 1 << 20;
  std::vector<int> symbols(n), which(n);
  double ideal_bits = 0;
  std::vector<uint8_t> out;
  RangeEncoder enc(out);
  for (size_t i = 0; i < n; ++i) {
    which[i] = static_cast<int>(rng() % tables.size());
    const Table& t = tables[which[i]];
    symbols[i] = symbol_draw(rng, t);
    enc.encode(t.cum[symbols[i]], t.freq[symbols[i]], t.total);
    ideal_bits -= std::log2(static_cast<double>(t.freq[symbols[i]]) / t.total);
  }
  enc.finish();
  const double ideal_bytes = ideal_bits / 8;
  EXPECT_LE(static_cast<double>(out.size()), ideal_bytes * 1.001 + 8)
      << "total " << total_max << " skew " << skew;
  EXPECT_GE(static_cast<double>(out.size()), ideal_bytes - 8);

  RangeDecoder dec(out, true);
  for (size_t i = 0; i < n; ++i) {
    const Table& t = tables[which[i]];
    const uint32_t target = dec.decode_target(t.total);
    int s = 0;
    while (t.cum[s] + t.freq[s] <= target) ++s;
    ASSERT_EQ(s, symbols[i]) << "at symbol " << i;
    dec.consume(t.cum[s], t.freq[s]);
  }
}

TEST(RangeCoder, NearIdealTotal2e16) { check_near_ideal(1u << 16, 1.0, 1); }
TEST(RangeCoder, NearIdealSkewed) { check_near_ideal(1u << 16, 6.0, 2); }
TEST(RangeCoder, NearIdealLargeTotal) { check_near_ideal(1u << 30, 3.0, 3); }

TEST(RangeCoder, CarriesAndExtremes) {
  // Symbols at the top of the range with tiny frequencies force long carry chains.
  std::mt19937_64 rng(4);
  std::vector<std::pair<uint32_t, uint32_t>> coded;  // (start, freq) with total
  const uint32_t total = kMaxFrequencyTotal;
  std::vector<uint8_t> out;
  RangeEncoder enc(out);
  for (int i = 0; i < 200000; ++i) {
    uint32_t start, freq;
    switch (rng() % 4) {
      case 0: start = total - 1, freq = 1; break;              // last, least likely
      case 1: start = 0, freq = total - 1; break;               // most likely
      case 2: start = total / 2, freq = 1; break;
      default: start = static_cast<uint32_t>(rng() % (total - 1)), freq = 1;
    }
    coded.emplace_back(start, freq);
    enc.encode(start, freq, total);
  }
  enc.finish();
  RangeDecoder dec(out, true);
  for (size_t i = 0; i < coded.size(); ++i) {
    const uint32_t target = dec.decode_target(total);
    ASSERT_GE(target, coded[i].first) << i;
    ASSERT_LT(target, coded[i].first + coded[i].second) << i;
    dec.consume(coded[i].first, coded[i].second);
  }
}

TEST(RangeCoder, EmptyStreamIsOneByteOrTrimmedEmpty) {
  std::vector<uint8_t> out;
  RangeEncoder(out).finish();
  EXPECT_EQ(out, std::vector<uint8_t>{0});
  RangeDecoder dec(out, true);
  EXPECT_TRUE(dec.at_canonical_end());
  out.clear();
  RangeEncoder(out).finish(true);
  EXPECT_TRUE(out.empty());
}

TEST(RangeCoder, GarbageInputNeverCrashes) {
  std::mt19937_64 rng(5);
  std::vector<uint8_t> junk(4096);
  for (auto& b : junk) b = static_cast<uint8_t>(rng());
  RangeDecoder dec(junk, true);
  for (int i = 0; i < 100000; ++i) {
    const uint32_t total = 1 + static_cast<uint32_t>(rng() % kMaxFrequencyTotal);
    const uint32_t t = dec.decode_target(total);
    ASSERT_LT(t, total);
    dec.consume(t, 1);
  }
}

}  // namespace
}  // namespace lmzip
