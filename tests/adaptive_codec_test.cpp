// Frames coded by the adaptive stage (format version 4): round trips alone
// and with a network (order2, a random transformer: the encoder's batched
// network predictions against the decoder's step by step), the same bytes
// whatever the thread count, the encoder's choice between with and without
// the network, and what frame_list says of such frames.
#include <gtest/gtest.h>

#include "test_util.h"
#include "transformer_test_util.h"

namespace lmzip::test {
namespace {

Bytes compress_adaptive(std::span<const uint8_t> data, std::shared_ptr<const Model> model, bool network,
                        uint32_t chunk_size, unsigned threads) {
  MemorySource src(data);
  MemorySink sink;
  CompressOptions o;
  o.model = std::move(model);
  o.chunk_size = chunk_size;
  o.threads = threads;
  o.adaptive = true;
  o.adaptive_network = network;
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
  RandomModelOptions o;
  o.d = 32;
  o.layers = 2;
  o.heads = 2;
  o.window = 64;
  o.context_length = 512;
  const auto model = random_model(o);
  ASSERT_NE(model, nullptr);
  const Bytes data = text_like(6000, 9);
  const Bytes lmz = compress_adaptive(data, model, true, 2500, 2);
  auto fixed = model_resolver_fixed(model);
  const Decoded d = decompress_bytes(lmz, 2, fixed);
  ASSERT_TRUE(d.status.ok()) << d.status.message();
  EXPECT_EQ(d.out, data);
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
