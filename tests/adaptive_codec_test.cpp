// Frames coded by the adaptive stage (format version 4): round trips alone
// and with a network (order2, a random transformer: the encoder's batched
// network predictions against the decoder's step by step), the same bytes
// whatever the thread count, the encoder's choice between with and without
// the network, and what frame_list says of such frames.
#include <gtest/gtest.h>

#include "adaptive/adaptive_model.h"
#include "adaptive/history.h"
#include "codec/chunk_codec.h"
#include "codec/single_lanes.h"
#include "common/thread_pool.h"
#include "lmzip/engine.h"
#include "test_util.h"
#include "transformer_test_util.h"

namespace lmzip::test {
namespace {

Bytes compress_adaptive(std::span<const uint8_t> data, std::shared_ptr<const Model> model, bool network,
                        uint32_t chunk_size, unsigned threads, uint8_t lane_log2 = 14) {
  MemorySource src(data);
  MemorySink sink;
  CompressOptions o;
  o.model = std::move(model);
  o.chunk_size = chunk_size;
  o.threads = threads;
  o.adaptive = true;
  o.adaptive_network = network;
  o.adaptive_lane_log2 = lane_log2;
  const Status st = compress(src, sink, o);
  EXPECT_TRUE(st.ok()) << st.message();
  return std::move(sink.bytes());
}

Bytes mixed_content() {
  Bytes b = text_like(30000, 7);
  const Bytes noise = random_bytes(5000, 8);
  b.insert(b.begin() + 12000, noise.begin(), noise.end());
  const Bytes again(b.begin(), b.begin() + 9000);  // a long repeat the stage must find
  b.insert(b.end(), again.begin(), again.end());
  return b;
}

// A transformer small enough for tests; its random weights predict nothing,
// which the adaptive stage does not mind.
std::shared_ptr<const Model> small_random_model() {
  RandomModelOptions o;
  o.d = 32;
  o.layers = 2;
  o.heads = 2;
  o.window = 64;
  o.context_length = 512;
  return random_model(o);
}

// The encoder's network input for `data` in `lanes` segments (chunk_paths of each).
std::vector<uint16_t> lane_paths(const Model& model, const Bytes& data, uint32_t lanes) {
  const uint32_t bytes = uint32_t(data.size());
  std::vector<uint16_t> paths(data.size() * 8);
  auto one = model.make_predictor();
  for (uint32_t k = 0; k < lanes; ++k) {
    const uint32_t start = adaptive::segment_start(bytes, lanes, k);
    chunk_paths(*one, std::span<const uint8_t>(data).subspan(start, adaptive::segment_size(bytes, lanes, k)),
                paths.data() + size_t(start) * 8);
  }
  return paths;
}

TEST(AdaptiveCodec, RoundTripsAloneAndWithOrder2AcrossThreads) {
  const Bytes data = mixed_content();
  for (const bool network : {false, true}) {
    for (const uint32_t chunk : {4096u, 65536u}) {
      const Bytes one = compress_adaptive(data, pooled_order2(), network, chunk, 1);
      EXPECT_EQ(one[4], 4) << "version 4";
      const Bytes two = compress_adaptive(data, pooled_order2(), network, chunk, 2);
      EXPECT_EQ(one, two) << "the thread count changes nothing";
      for (const unsigned threads : {1u, 2u}) {
        const Decoded d = decompress_bytes(one, threads);
        ASSERT_TRUE(d.status.ok()) << d.status.message();
        EXPECT_EQ(d.out, data);
      }
    }
  }
}

TEST(AdaptiveCodec, LearnsTheChunkBetterThanTheModelAlone) {
  const Bytes data = mixed_content();
  const Bytes plain = compress_bytes(data, 65536);
  const Bytes alone = compress_adaptive(data, pooled_order2(), false, 65536, 1);
  const Bytes both = compress_adaptive(data, pooled_order2(), true, 65536, 1);
  EXPECT_LT(alone.size(), plain.size());
  EXPECT_LE(both.size(), alone.size() + 16) << "with the network, the encoder keeps the smaller coding";
}

TEST(AdaptiveCodec, TransformerNetworkBatchedMatchesStepwise) {
  const auto model = small_random_model();
  ASSERT_NE(model, nullptr);
  const Bytes data = text_like(6000, 9);
  const Bytes lmz = compress_adaptive(data, model, true, 2500, 2);
  auto fixed = model_resolver_fixed(model);
  const Decoded d = decompress_bytes(lmz, 2, fixed);
  ASSERT_TRUE(d.status.ok()) << d.status.message();
  EXPECT_EQ(d.out, data);
}

// A chunk in lanes: the network stepped as the model's own lanes on the
// decoder's threads, or as one-lane predictors in turn, any thread count:
// the same bytes; the encoder's output does not depend on its threads.
TEST(AdaptiveCodec, LanesDecodeTheSameWithOrWithoutTheModelsLanes) {
  const auto model = small_random_model();
  ASSERT_NE(model, nullptr);
  const Bytes data = text_like(24000, 10);
  const Bytes lmz = compress_adaptive(data, model, true, 20000, 1, 10);  // 19 lanes, then 3
  EXPECT_EQ(lmz, compress_adaptive(data, model, true, 20000, 2, 10));
  const Bytes one_lane = compress_adaptive(data, model, true, 20000, 1, 0);
  for (const LaneMode mode : {LaneMode::always, LaneMode::never})
    for (const unsigned threads : {1u, 2u})
      for (const Bytes* frame : {&lmz, &one_lane}) {
        MemorySource src(*frame);
        MemorySink sink;
        DecompressOptions d;
        d.resolve = model_resolver_fixed(model);
        d.threads = threads;
        d.engine.lanes = mode;
        const Status st = decompress(src, sink, d);
        ASSERT_TRUE(st.ok()) << st.message();
        EXPECT_EQ(sink.bytes(), data);
      }
}

TEST(AdaptiveCodec, LaneCountOutsideTheFormatIsRefused) {
  MemorySource src(text_like(100, 1));
  MemorySink sink;
  CompressOptions o;
  o.model = pooled_order2();
  o.adaptive = true;
  o.adaptive_lane_log2 = 9;
  EXPECT_EQ(compress(src, sink, o).code(), ErrorCode::invalid_argument);
}

// The same at the chunk level, where the network's coding is kept whether it
// pays or not: the lanes' paths computed segment by segment (the encoder),
// decoded by the model's lanes on a pool or by one-lane predictors in turn.
TEST(AdaptiveCodec, ChunkInLanesDecodesWithLanesOrOneLanePredictors) {
  const auto model = small_random_model();
  ASSERT_NE(model, nullptr);
  const Bytes data = text_like(12000, 13);
  const uint8_t lane_log2 = 10;
  const uint32_t lanes = adaptive_lanes(uint32_t(data.size()), lane_log2);
  ASSERT_EQ(lanes, 11u);
  const std::vector<uint16_t> paths = lane_paths(*model, data, lanes);
  AdaptiveModel stage(kAdaptiveStage2);
  Bytes payload;
  ASSERT_TRUE(chunk_encode_adaptive(stage, paths.data(), lane_log2, data, payload));
  ThreadPool pool(2);
  auto with_lanes = model->make_predictor_lanes(kAdaptiveLanesMax, &pool);
  SingleLanes single(*model, lanes);
  for (Predictor* network : {static_cast<Predictor*>(with_lanes.get()), static_cast<Predictor*>(&single)}) {
    Bytes out(data.size());
    EXPECT_TRUE(chunk_decode_adaptive(stage, network, payload, out, {}));
    EXPECT_EQ(out, data);
  }
}

// Every kernel path this machine has (scalar, AVX2, AVX-512; NEON on ARM)
// gives the network's lanes the same numbers: the same payload, decoded alike.
TEST(AdaptiveCodec, ChunkInLanesIsTheSameOnEveryKernelPath) {
  const auto model = small_random_model();
  ASSERT_NE(model, nullptr);
  const Bytes data = text_like(8000, 14);
  const uint8_t lane_log2 = 10;
  const uint32_t lanes = adaptive_lanes(uint32_t(data.size()), lane_log2);
  const std::string before = kernels_in_use();
  Bytes reference;
  int paths_tried = 0;
  for (const char* path : {"scalar", "avx2", "avx512", "neon"}) {
    if (!kernels_use(path)) continue;
    ++paths_tried;
    const std::vector<uint16_t> paths = lane_paths(*model, data, lanes);
    AdaptiveModel stage(kAdaptiveStage2);
    Bytes payload;
    ASSERT_TRUE(chunk_encode_adaptive(stage, paths.data(), lane_log2, data, payload)) << path;
    if (reference.empty()) reference = payload;
    EXPECT_EQ(payload, reference) << path;
    ThreadPool pool(2);
    auto network = model->make_predictor_lanes(kAdaptiveLanesMax, &pool);
    Bytes out(data.size());
    EXPECT_TRUE(chunk_decode_adaptive(stage, network.get(), reference, out, {})) << path;
    EXPECT_EQ(out, data) << path;
  }
  kernels_use(before);
  EXPECT_GE(paths_tried, 1);
}

// The payload's lane byte (stage 2 with a network): 0 or 10 ..= 26, else
// the chunk is rejected as damaged.
TEST(AdaptiveCodec, PayloadWithABadLaneByteIsRejected) {
  AdaptiveModel stage(kAdaptiveStage2);
  auto network = pooled_order2()->make_predictor();
  const Bytes data = text_like(5000, 3);
  std::vector<uint16_t> paths(data.size() * 8);
  chunk_paths(*network, data, paths.data());
  Bytes payload;
  ASSERT_TRUE(chunk_encode_adaptive(stage, paths.data(), 0, data, payload));
  EXPECT_EQ(payload[0], 0);
  Bytes out(data.size());
  EXPECT_TRUE(chunk_decode_adaptive(stage, network.get(), payload, out, {}));
  EXPECT_EQ(out, data);
  for (const uint8_t bad : {1, 9, 27, 255}) {
    payload[0] = bad;
    EXPECT_FALSE(chunk_decode_adaptive(stage, network.get(), payload, out, {})) << int(bad);
  }
}

TEST(AdaptiveCodec, ListShowsVersion4AndNoStoredChunksForText) {
  const Bytes data = text_like(20000, 11);
  const Bytes lmz = compress_adaptive(data, pooled_order2(), false, 8192, 1);
  MemorySource src(lmz);
  auto frames = frame_list(src);
  ASSERT_TRUE(frames.ok()) << frames.status().message();
  ASSERT_EQ(frames->size(), 1u);
  EXPECT_EQ((*frames)[0].version, 4);
  EXPECT_EQ((*frames)[0].chunks, 3u);
  EXPECT_EQ((*frames)[0].raw_chunks, 0u);
  EXPECT_EQ((*frames)[0].original_size, data.size());
}

TEST(AdaptiveCodec, RandomBytesAreStored) {
  const Bytes data = random_bytes(10000, 12);
  const Bytes lmz = compress_adaptive(data, pooled_order2(), true, 4096, 1);
  EXPECT_LE(lmz.size(), data.size() + 120);
  const Decoded d = decompress_bytes(lmz);
  ASSERT_TRUE(d.status.ok()) << d.status.message();
  EXPECT_EQ(d.out, data);
}

}  // namespace
}  // namespace lmzip::test
