// The adaptive stage's parts: squash and stretch are inverse and monotone in
// 16-bit precision, counters learn and stay in range, the network's
// distribution becomes exact node probabilities, the mixer learns to trust a
// good input.
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "adaptive/bit_history.h"
#include "adaptive/context_slot.h"
#include "adaptive/counter.h"
#include "adaptive/mixer.h"
#include "adaptive/network_input.h"
#include "adaptive/squash.h"

namespace lmzip::adaptive {
namespace {

TEST(AdaptiveSquash, MonotoneAndInverse) {
  int prev = 0;
  for (int d = -kStretchMax; d <= kStretchMax; ++d) {
    const int p = squash(d);
    ASSERT_GE(p, prev);
    ASSERT_GE(p, 1);
    ASSERT_LE(p, 65535);
    prev = p;
  }
  EXPECT_EQ(squash(0), 32768);
  for (uint32_t p = 64; p < 65536 - 64; p += 7) {
    const int back = squash(stretch(p));
    ASSERT_NEAR(back, int(p), int(p) / 50 + 2) << p;  // within the knot spacing
  }
  for (uint32_t p = 1; p < 65536; ++p) ASSERT_LE(stretch(p - 1), stretch(p));
}

TEST(AdaptiveCounter, LearnsAndStaysInRange) {
  uint32_t c = kCounterInit;
  EXPECT_EQ(counter_p16(c), 32768u);
  for (int i = 0; i < 2000; ++i) counter_update(c, 1, 255);
  EXPECT_GT(counter_p16(c), 65000u);
  EXPECT_EQ(counter_n(c), 255u);
  for (int i = 0; i < 2000; ++i) counter_update(c, 0, 255);
  EXPECT_LT(counter_p16(c), 500u);
}

TEST(AdaptiveBitHistory, CountsRecentBitsAndNeverReturnsToUnseen) {
  uint8_t s = 0;
  for (int i = 0; i < 10; ++i) s = bit_history_next(s, 1);
  EXPECT_EQ(s & 7, 0);         // no 0 seen
  EXPECT_EQ((s >> 3) & 7, 7);  // 1s capped at 7
  EXPECT_EQ(s >> 6, 3);        // last two bits 1, 1
  s = bit_history_next(s, 0);
  EXPECT_EQ(s & 7, 1);
  EXPECT_EQ((s >> 3) & 7, 4);  // the run of 1s broke: 7 -> 4
  for (int st = 0; st < 256; ++st)
    for (int bit = 0; bit < 2; ++bit) ASSERT_NE(bit_history_next(uint8_t(st), bit), 0);
}

TEST(AdaptiveContextSlot, UnseenReadsAsHalfAndLearns) {
  uint32_t s = 0;
  EXPECT_EQ(slot_p16(s), 32768u);
  EXPECT_EQ(slot_state(s), 0);
  for (int i = 0; i < 300; ++i) slot_update(s, 0, 30);
  EXPECT_LT(slot_p16(s), 200u);
  EXPECT_EQ(slot_n(s), 30u);
  EXPECT_NE(slot_state(s), 0);
}

TEST(AdaptiveNetworkInput, NodeProbabilitiesAreTheDistributionsConditionals) {
  std::vector<uint32_t> freq(256, 1);
  freq[0x41] = 1000;  // 'A' = 0100 0001
  NetworkInput net;
  net.byte_begin(freq.data());
  ASSERT_TRUE(net.present());
  // The first bit: ones = 128 symbols of weight 1 out of 255 + 1000.
  EXPECT_EQ(net.p16(1, 0), int((uint64_t(128) << 16) / 1255));
  // Under 0100 000: only 0x40 and 0x41 remain, weights 1 and 1000.
  EXPECT_EQ(net.p16(0xA0, 7), int((uint64_t(1000) << 16) / 1001));
  net.byte_begin(nullptr);
  EXPECT_FALSE(net.present());
}

TEST(AdaptiveMixer, LearnsToTrustTheInputThatIsRight) {
  Mixer m(2, 1, 0, 6);
  int32_t x[8] = {};  // 2 inputs, padded to 8
  for (int i = 0; i < 5000; ++i) {
    const int bit = i % 3 == 0;
    x[0] = bit ? 400 : -400;    // right
    x[1] = (i % 2) ? 400 : -400;  // noise
    m.train(x, 0, bit, squash(m.dot(x, 0)));
  }
  x[0] = 400;
  x[1] = -400;
  EXPECT_GT(squash(m.dot(x, 0)), 60000);
  x[0] = -400;
  x[1] = 400;
  EXPECT_LT(squash(m.dot(x, 0)), 5000);
}

}  // namespace
}  // namespace lmzip
