// The transformer through the public codec API: compress with predict_batch,
// decompress with the lockstep engine (full chunks) and the Predictor (the
// short last chunk); the model's LockstepPredictor matches its Predictor.
#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>
#include <random>

#include "lmzip/codec.h"
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

// Forces the lockstep engine on (small models would otherwise decode chunk by chunk).
struct LockstepAlways {
  LockstepAlways() { setenv("LMZIP_LOCKSTEP", "always", 1); }
  ~LockstepAlways() { unsetenv("LMZIP_LOCKSTEP"); }
};

TEST(TransformerCodec, LockstepPredictorMatchesPredictor) {
  LockstepAlways force;
  auto m = confident_model();
  ASSERT_TRUE(m);
  auto lp = m->make_lockstep_predictor(40);
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

TEST(TransformerCodec, NoLockstepWhenItDoesNotPay) {
  setenv("LMZIP_LOCKSTEP", "never", 1);
  EXPECT_EQ(confident_model()->make_lockstep_predictor(16), nullptr);
  unsetenv("LMZIP_LOCKSTEP");
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
  for (const char* mode : {"always", "never"}) {
    setenv("LMZIP_LOCKSTEP", mode, 1);
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
      MemorySource csrc(sink.bytes());
      MemorySink out;
      Status s = decompress(csrc, out, dopt);
      ASSERT_TRUE(s) << mode << ": " << s.message();
      EXPECT_EQ(out.bytes(), data) << mode;
    }
  }
  unsetenv("LMZIP_LOCKSTEP");
}

}  // namespace
}  // namespace lmzip
