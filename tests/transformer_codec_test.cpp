// The transformer through the public codec API: compress with predict_batch,
// decompress with the lockstep engine (full chunks) and the Predictor (the
// short last chunk); the model's LockstepPredictor matches its Predictor.
#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>
#include <random>

#include "lmzip/codec.h"
#include "kernels/kernels.h"
#include "lmzip/io.h"
#include "transformer_test_util.h"

namespace lmzip {
namespace {

// A model that is confident about 'a' after anything: constant embeddings
// (rmsnorm of them is ~1), small random blocks, and an output row for 'a' of
// large weights. Data that is mostly 'a' then compresses well, so chunks are
// modelled, not stored.
std::shared_ptr<const TransformerModel> confident_model() {
  RandomModelOptions o;
  o.d = 32;
  o.heads = 2;
  o.layers = 2;
  o.context_length = 256;
  o.window = 64;
  gguf::File f = transformer_random_gguf(o);
  for (auto& t : f.tensors) {
    float* w = reinterpret_cast<float*>(t.data.data());
    const size_t n = t.data.size() / 4;
    if (t.name == "token_embd.weight") {
      for (size_t i = 0; i < n; ++i) w[i] = 1.0f + 0.05f * w[i];
    } else if (t.name == "output.weight") {
      for (size_t i = 0; i < n; ++i) w[i] *= 0.3f;
      for (size_t i = 0; i < o.d; ++i) w['a' * o.d + i] = 0.5f;
    } else if (t.name.find("norm") == std::string::npos) {
      for (size_t i = 0; i < n; ++i) w[i] *= 0.1f;
    }
  }
  auto bytes = gguf::gguf_serialize(f);
  auto m = transformer_model_parse(bytes, "confident");
  return m ? *m : nullptr;
}

TEST(TransformerCodec, LanesMatchOneLane) {
  auto m = confident_model();
  ASSERT_TRUE(m);
  auto lp = m->make_predictor_lanes(40);
  ASSERT_TRUE(lp);
  EXPECT_GE(lp->max_lanes(), 1u);
  EXPECT_LE(lp->max_lanes(), 40u);
  const size_t lanes = std::min<size_t>(lp->max_lanes(), 20), len = 100;
  std::mt19937_64 rng(4);
  std::vector<std::vector<uint32_t>> chunks;
  for (size_t i = 0; i < lanes; ++i) chunks.push_back(test::random_bytes(rng, len));
  auto p = m->make_predictor();
  std::vector<std::vector<uint32_t>> ref(lanes, std::vector<uint32_t>(len * 256)), ref_t(lanes, std::vector<uint32_t>(len));
  for (size_t b = 0; b < lanes; ++b) {
    p->reset();
    p->predict_batch(chunks[b], ref[b].data(), ref_t[b].data());
  }
  lp->reset(lanes);
  std::vector<uint32_t> f(lanes * 256), t(lanes), s(lanes);
  for (size_t i = 0; i < len; ++i) {
    lp->predict(f.data(), t.data());
    for (size_t b = 0; b < lanes; ++b) {
      ASSERT_EQ(t[b], ref_t[b][i]);
      ASSERT_TRUE(std::equal(f.begin() + b * 256, f.begin() + (b + 1) * 256, ref[b].begin() + i * 256));
      s[b] = chunks[b][i];
    }
    lp->update(s);
  }
}

// The lane heuristic (measured shapes of docs/ENGINE.md): a model that fits
// in the cache with full attention decodes one chunk at a time, lanes pay
// off once the weights come from DRAM; the modes override it.
TEST(TransformerCodec, LanesWhenTheyPayOff) {
  auto m = confident_model();
  ASSERT_TRUE(m);
  const StepCost cost = m->step_cost();
  EXPECT_GT(cost.weights, 0);
  EXPECT_EQ(cost.lane_group, size_t(kLockstepGroup));
  EXPECT_EQ(cost.lane_state * 2, cost.state);  // binary16 lanes, f32 one lane
  EXPECT_FALSE(lanes_pay_off(StepCost{}, kCacheBytesMax));
  // d=128, 4 layers, window = context = 2048: 0.8M parameters, 4 KiB of K and V per position.
  StepCost full;
  full.weights = 0.8e6 * 4;
  full.state_max = 4096.0 * 2048;
  full.state = full.state_max / 2;
  full.lane_state = full.state / 2;
  full.lane_group = kLockstepGroup;
  EXPECT_FALSE(lanes_pay_off(full, kCacheBytesMax));
  EXPECT_TRUE(lanes_pay_off(full, kCacheBytesMax / 8));  // the cache cannot hold it
  StepCost big = full;
  big.weights = 3.2e6 * 4;  // d=256: lanes win
  EXPECT_TRUE(lanes_pay_off(big, kCacheBytesMax));
  EngineOptions e;
  e.lanes = LaneMode::always;
  EXPECT_EQ(decode_lanes(*m, e), kMaxLanes);
  e.lanes = LaneMode::never;
  EXPECT_EQ(decode_lanes(*m, e), 1u);
  EXPECT_EQ(decode_lanes(*model_open("order2").value(), EngineOptions{}), 1u);
  EXPECT_EQ(m->make_predictor_lanes(1)->max_lanes(), 1u);
}

TEST(TransformerCodec, RoundTripThroughCodec) {
  std::shared_ptr<const Model> m = confident_model();
  ASSERT_TRUE(m);
  std::mt19937_64 rng(8);
  std::vector<uint8_t> data(256 * 37 + 77, 'a');
  for (auto& c : data)
    if (rng() % 40 == 0) c = uint8_t(rng());
  // Decoded chunk by chunk and with the lockstep engine: the same bytes. The
  // compressed bytes do not depend on the thread count either.
  std::vector<uint8_t> first;
  for (LaneMode mode : {LaneMode::always, LaneMode::never}) {
    for (unsigned threads : {1u, 2u}) {
      CompressOptions co;
      co.model = m;
      co.threads = threads;
      MemorySource src(data);
      MemorySink sink;
      ASSERT_TRUE(compress(src, sink, co));
      EXPECT_LT(sink.bytes().size(), data.size() / 3) << "the model should compress this";
      if (first.empty()) first = sink.bytes();
      EXPECT_EQ(sink.bytes(), first) << "threads " << threads;
      DecompressOptions dopt;
      dopt.resolve = model_resolver_fixed(m);
      dopt.threads = threads;
      dopt.engine.lanes = mode;
      MemorySource csrc(sink.bytes());
      MemorySink out;
      Status s = decompress(csrc, out, dopt);
      ASSERT_TRUE(s) << int(mode) << ": " << s.message();
      EXPECT_EQ(out.bytes(), data) << int(mode);
    }
  }
}

}  // namespace
}  // namespace lmzip
