// The frame codec through the public API: round trips, thread-count
// independence, stored-chunk fallback, and model identity checks.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "lmzip/codec.h"

namespace lmzip {
namespace {

std::vector<uint8_t> compress_bytes(const std::vector<uint8_t>& in, unsigned threads,
                                    uint32_t chunk_size) {
  MemorySource src(in);
  MemorySink sink;
  CompressOptions o;
  o.model = *model_open("order2");
  o.threads = threads;
  o.chunk_size = chunk_size;
  Status st = compress(src, sink, o);
  EXPECT_TRUE(st.ok()) << st.message();
  return sink.bytes();
}

Result<std::vector<uint8_t>> decompress_bytes(const std::vector<uint8_t>& in, unsigned threads) {
  MemorySource src(in);
  MemorySink sink;
  DecompressOptions o;
  o.threads = threads;
  if (Status st = decompress(src, sink, o); !st) return st;
  return std::move(sink.bytes());
}

std::vector<uint8_t> sample_text(size_t n) {
  std::mt19937_64 rng(7);
  std::string s;
  const char* w[] = {"compression ", "is ", "prediction ", "and ", "prediction ", "is ", "learning. "};
  while (s.size() < n) s += w[rng() % 7];
  s.resize(n);
  return {s.begin(), s.end()};
}

TEST(Codec, RoundTripSizes) {
  for (size_t n : {0, 1, 2, 1000, 4095, 4096, 4097, 70000}) {
    const auto in = sample_text(n);
    const auto z = compress_bytes(in, 2, 4096);
    auto out = decompress_bytes(z, 2);
    ASSERT_TRUE(out.ok()) << n << ": " << out.status().message();
    EXPECT_EQ(*out, in) << n;
  }
}

TEST(Codec, ThreadCountDoesNotChangeOutput) {
  const auto in = sample_text(300000);
  const auto one = compress_bytes(in, 1, 8192);
  for (unsigned t : {2u, 3u, 8u}) {
    EXPECT_EQ(compress_bytes(in, t, 8192), one) << t << " threads";
    auto out = decompress_bytes(one, t);
    ASSERT_TRUE(out.ok());
    EXPECT_EQ(*out, in);
  }
}

TEST(Codec, IncompressibleChunksAreStored) {
  std::mt19937_64 rng(9);
  std::vector<uint8_t> in(100000);
  for (auto& b : in) b = static_cast<uint8_t>(rng());
  const auto z = compress_bytes(in, 2, 16384);
  MemorySource src(z);
  auto frames = frame_list(src);
  ASSERT_TRUE(frames.ok());
  ASSERT_EQ(frames->size(), 1u);
  EXPECT_EQ((*frames)[0].chunks, 7u);
  EXPECT_EQ((*frames)[0].raw_chunks, 7u);
  EXPECT_EQ((*frames)[0].original_size, in.size());
  EXPECT_EQ((*frames)[0].compressed_size, z.size());
  auto out = decompress_bytes(z, 1);
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(*out, in);
}

TEST(Codec, TextCompresses) {
  const auto in = sample_text(200000);
  EXPECT_LT(compress_bytes(in, 1, 0).size(), in.size() / 4);
}

class OtherModel final : public Model {
 public:
  OtherModel() {
    info_ = (*model_open("order2"))->info();
    info_.identity[0] ^= 1;
  }
  const ModelInfo& info() const override { return info_; }
  uint32_t default_chunk_size() const override { return 4096; }
  std::unique_ptr<Predictor> make_predictor() const override {
    return (*model_open("order2"))->make_predictor();
  }

 private:
  ModelInfo info_;
};

TEST(Codec, ModelsThatAreNotByteModelsAreRefused) {
  auto other = std::make_shared<OtherModel>();
  EXPECT_EQ(other->info().alphabet, uint32_t(other->make_predictor()->alphabet_size()));
  class Tokens final : public Model {
   public:
    Tokens() { info_ = OtherModel().info(), info_.alphabet = 512; }
    const ModelInfo& info() const override { return info_; }
    uint32_t default_chunk_size() const override { return 4096; }
    std::unique_ptr<Predictor> make_predictor() const override { return nullptr; }  // never made

   private:
    ModelInfo info_;
  };
  const auto in = sample_text(100);
  MemorySource src(in);
  MemorySink sink;
  CompressOptions o;
  o.model = std::make_shared<Tokens>();
  const Status st = compress(src, sink, o);
  EXPECT_EQ(st.code(), ErrorCode::invalid_argument);
  EXPECT_NE(st.message().find("is not a byte model"), std::string::npos) << st.message();
}

TEST(Codec, WrongModelIsRefusedWithItsName) {
  const auto z = compress_bytes(sample_text(1000), 1, 0);
  MemorySource src(z);
  MemorySink sink;
  DecompressOptions o;
  o.resolve = model_resolver_fixed(std::make_shared<OtherModel>());
  Status st = decompress(src, sink, o);
  EXPECT_EQ(st.code(), ErrorCode::model_mismatch);
  EXPECT_NE(st.message().find("needs model 'order2'"), std::string::npos) << st.message();
  EXPECT_TRUE(sink.bytes().empty());
}

}  // namespace
}  // namespace lmzip

namespace lmzip {
namespace {

// Order-2 predictors side by side as the lanes of one predictor, to drive
// the codec's many-lane decoding path with a model whose one-lane answer is known.
class LanesOrder2 final : public Predictor {
 public:
  LanesOrder2(size_t lanes, int* resets) : resets_(resets) {
    for (size_t i = 0; i < lanes; ++i) lanes_.push_back((*model_open("order2"))->make_predictor());
  }
  int alphabet_size() const override { return 256; }
  size_t max_lanes() const override { return lanes_.size(); }
  void reset(size_t lanes) override {
    active_ = lanes;
    ++*resets_;
    for (size_t i = 0; i < lanes; ++i) lanes_[i]->reset();
  }
  void predict(uint32_t* freqs, uint32_t* totals) override {
    for (size_t i = 0; i < active_; ++i) totals[i] = lanes_[i]->predict(freqs + 256 * i);
  }
  void update(std::span<const Symbol> symbols) override {
    active_ = std::min(active_, symbols.size());
    for (size_t i = 0; i < active_; ++i) lanes_[i]->update(symbols[i]);
  }

 private:
  std::vector<std::unique_ptr<Predictor>> lanes_;
  size_t active_ = 0;
  int* resets_;
};

class Order2WithLanes final : public Model {
 public:
  const ModelInfo& info() const override { return (*model_open("order2"))->info(); }
  uint32_t default_chunk_size() const override { return 1000; }
  std::unique_ptr<Predictor> make_predictor() const override {
    return (*model_open("order2"))->make_predictor();
  }
  std::unique_ptr<Predictor> make_predictor_lanes(size_t, ThreadPool*) const override {
    return std::make_unique<LanesOrder2>(3, &resets);
  }
  mutable int resets = 0;
};

TEST(Codec, LanesDecodingMatchesStepwise) {
  auto model = std::make_shared<Order2WithLanes>();
  const auto in = sample_text(23500);  // 23 full chunks of 1000 and a partial one
  MemorySource src(in);
  MemorySink z;
  CompressOptions co;
  co.model = model;
  co.threads = 2;
  ASSERT_TRUE(compress(src, z, co).ok());
  for (unsigned threads : {1u, 2u}) {
    MemorySource zsrc(z.bytes());
    MemorySink out;
    DecompressOptions d;
    d.resolve = model_resolver_fixed(model);
    d.threads = threads;
    d.engine.lanes = LaneMode::always;
    model->resets = 0;
    Status st = decompress(zsrc, out, d);
    ASSERT_TRUE(st.ok()) << st.message();
    EXPECT_EQ(out.bytes(), in);
    EXPECT_GE(model->resets, 8) << "23 full chunks in groups of at most 3 lanes";
  }
}

}  // namespace
}  // namespace lmzip
