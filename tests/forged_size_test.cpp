// A record that claims more content than its payload codes (issue 15,
// failure 2: a 1,864-byte frame claiming 64 MiB ran for 26 CPU-minutes): with
// exact payload ends a modelled chunk stops where the decoder would read past
// its payload; an adaptive chunk stops at its size check, with a network or
// without.
#include <gtest/gtest.h>

#include "adaptive/adaptive_model.h"
#include "codec/chunk_codec.h"
#include "test_util.h"

namespace lmzip::test {
namespace {

// order2, counting the symbols it is stepped over.
class Counting final : public Predictor {
 public:
  explicit Counting(size_t* steps) : p_((*model_open("order2"))->make_predictor()), steps_(steps) {}
  int alphabet_size() const override { return 256; }
  void reset(size_t lanes) override { p_->reset(lanes); }
  void predict(uint32_t* freqs, uint32_t* totals) override { p_->predict(freqs, totals); }
  void update(std::span<const Symbol> symbols) override {
    *steps_ += symbols.size();
    p_->update(symbols);
  }

 private:
  std::unique_ptr<Predictor> p_;
  size_t* steps_;
};

constexpr size_t kClaimed = 4u << 20;  // the forged content size

TEST(ForgedSize, ModelledChunkStopsAtItsPayloadsEnd) {
  for (const Bytes& content : {text_like(3000, 1), Bytes(3000, 0)}) {
    size_t steps = 0;
    Counting p(&steps);
    Bytes payload;
    ASSERT_TRUE(chunk_encode(p, content, payload));
    Bytes out(kClaimed);
    steps = 0;
    EXPECT_FALSE(chunk_decode(p, payload, out, true));
    // At most 8 bits of information past the payload: for order2 on zeros
    // (its surest symbol costs about 2^-13 bits) some ten thousand bytes.
    EXPECT_LT(steps, kClaimed / 16) << "decoded far past the payload";
    EXPECT_TRUE(std::equal(content.begin(), content.end(), out.begin()));
    Bytes exact(content.size());
    EXPECT_TRUE(chunk_decode(p, payload, exact, true));
    EXPECT_EQ(exact, content);
  }
}

// The size check: a claim the payload was not coded for (a forged size or
// lane byte), or bytes that are no coding at all, stop the decoder before its
// first content byte.
TEST(ForgedSize, AdaptiveChunkStopsAtItsSizeCheck) {
  AdaptiveModel stage(kAdaptiveStageDefault);
  for (const Bytes& content : {text_like(3000, 3), Bytes(3000, 0)}) {
    for (const bool network : {false, true}) {
      size_t steps = 0;
      Counting p(&steps);
      std::vector<uint16_t> paths(content.size() * 8);
      if (network) chunk_paths(p, content, paths.data());
      Bytes payload;
      ASSERT_TRUE(chunk_encode_adaptive(stage, network ? paths.data() : nullptr, 0, content, payload));
      Predictor* net = network ? &p : nullptr;
      Bytes out(kClaimed);
      steps = 0;
      EXPECT_FALSE(chunk_decode_adaptive(stage, net, payload, out, {}));
      EXPECT_EQ(steps, 0u) << "decoded content under a forged size";
      if (network) {
        Bytes lanes_forged = payload;
        lanes_forged[0] = 11;  // still one lane (3,000 bytes < 2 * 2^11), but not what was coded
        Bytes exact(content.size());
        EXPECT_FALSE(chunk_decode_adaptive(stage, net, lanes_forged, exact, {}));
        EXPECT_EQ(steps, 0u) << "decoded content under a forged lane byte";
      }
      Bytes exact(content.size());
      EXPECT_TRUE(chunk_decode_adaptive(stage, net, payload, exact, {}));
      EXPECT_EQ(exact, content);
    }
  }
}

TEST(ForgedSize, RandomAdaptivePayloadsStopAtTheSizeCheck) {
  AdaptiveModel stage(kAdaptiveStageDefault);
  size_t steps = 0;
  Counting p(&steps);
  Bytes out(1 << 16);
  for (uint32_t seed = 0; seed < 100; ++seed) {
    Bytes payload = random_bytes(64, seed);
    payload[0] = 0;  // one lane: the lane byte is not what is tried here
    EXPECT_FALSE(chunk_decode_adaptive(stage, &p, payload, out, {}));
  }
  EXPECT_EQ(steps, 0u);
}

}  // namespace
}  // namespace lmzip::test
