// A record that claims more content than its payload codes (issue 15,
// failure 2: a 1,864-byte frame claiming 64 MiB ran for 26 CPU-minutes): with
// exact payload ends the decoder stops where it would read past the payload,
// modelled and adaptive, with a network or without.
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

TEST(ForgedSize, AdaptiveChunkStopsAtItsPayloadsEnd) {
  AdaptiveModel stage(kAdaptiveStageDefault);
  for (const Bytes& content : {text_like(3000, 3), Bytes(3000, 0)}) {
    for (const bool network : {false, true}) {
      size_t steps = 0;
      Counting p(&steps);
      std::vector<uint16_t> paths(content.size() * 8);
      if (network) chunk_paths(p, content, paths.data());
      Bytes payload;
      ASSERT_TRUE(chunk_encode_adaptive(stage, network ? paths.data() : nullptr, 0, content, payload));
      Bytes out(kClaimed);
      steps = 0;
      EXPECT_FALSE(chunk_decode_adaptive(stage, network ? &p : nullptr, payload, out, true));
      // The stage's tables follow the block's size, so the forged size decodes
      // garbage from the first byte, until the payload runs out.
      if (network) EXPECT_LT(steps, kClaimed / 16) << "decoded far past the payload";
      Bytes exact(content.size());
      EXPECT_TRUE(chunk_decode_adaptive(stage, network ? &p : nullptr, payload, exact, true));
      EXPECT_EQ(exact, content);
    }
  }
}

}  // namespace
}  // namespace lmzip::test
