// Every benchmark codec round-trips on small inputs of every shape, the
// harness finds the applicable ones, and the accounting is the paper's.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "accounting.h"
#include "baseline.h"
#include "baseline_lmzip.h"
#include "dataset.h"
#include "image_layout.h"
#include "measure.h"

namespace {

using namespace lmzip::harness;

Bytes bytes_varied(size_t n, uint32_t seed) {
  Bytes b(n);
  uint32_t x = seed;
  for (size_t i = 0; i < n; ++i) {
    x = x * 1103515245u + 12345u;
    b[i] = static_cast<uint8_t>((i % 64) * 3 + ((x >> 16) & 7));  // smooth with noise: image- and audio-like
  }
  return b;
}

std::vector<std::unique_ptr<Baseline>> codecs_all() {
  auto all = baseline_classical_all();
  auto lm = baseline_lmzip("order2", 1);
  EXPECT_TRUE(lm.ok());
  all.push_back(std::move(*lm));
  return all;
}

struct ShapeCase {
  const char* name;
  DataShape shape;
  size_t size;
};

TEST(HarnessCodecs, EveryCodecRoundTripsOnEveryShape) {
  const ShapeCase cases[] = {
      {"text", {Modality::text, 1, 0, 8}, 3001},
      {"image", {Modality::image, 1, 64, 8}, 2 * 2048},
      {"image-rgb", {Modality::image, 3, 64, 8}, 6144},
      {"audio8", {Modality::audio, 1, 0, 8}, 2048},
      {"audio16", {Modality::audio, 1, 0, 16}, 2048},
  };
  for (const auto& codec : codecs_all())
    for (const ShapeCase& c : cases) {
      if (!codec->applies_to(c.shape)) continue;
      for (size_t n : {c.size, size_t{c.shape.unit_bytes()}}) {  // a real input and the header probe
        const Bytes in = bytes_varied(n, 7);
        auto enc = codec->encode(in, c.shape);
        ASSERT_TRUE(enc.ok()) << codec->name() << " on " << c.name << ": " << enc.status().message();
        auto dec = codec->decode(*enc, c.shape);
        ASSERT_TRUE(dec.ok()) << codec->name() << " on " << c.name << ": " << dec.status().message();
        EXPECT_EQ(*dec, in) << codec->name() << " on " << c.name << ", " << n << " bytes";
      }
    }
}

TEST(HarnessCodecs, ImageCodecsOnlyOnImages) {
  const DataShape text{Modality::text, 1, 0, 8};
  const DataShape image{Modality::image, 1, 64, 8};
  EXPECT_FALSE(baseline_jxl()->applies_to(text));
  EXPECT_FALSE(baseline_webp()->applies_to(text));
  EXPECT_FALSE(baseline_png(false)->applies_to(text));
  EXPECT_TRUE(baseline_png(true)->applies_to(text));
  EXPECT_TRUE(baseline_jxl()->applies_to(image));
}

TEST(HarnessCodecs, GarbageIsADecodeErrorNotACrash) {
  const Bytes junk = bytes_varied(300, 3);
  const DataShape image{Modality::image, 1, 64, 8};
  for (const auto& codec : codecs_all()) {
    auto r = codec->decode(junk, image);
    EXPECT_FALSE(r.ok() && *r == junk) << codec->name();
  }
}

TEST(HarnessCodecs, PaperLayoutIsTheTwoClosestFactors) {
  const ImageLayout l = image_layout_closest_factors(2048);
  EXPECT_EQ(l.width, 32u);  // PIL size (32, 64): 32 wide, 64 high
  EXPECT_EQ(l.height, 64u);
  EXPECT_EQ(image_layout_closest_factors(1).width, 1u);
  const ImageLayout patch = image_layout_for(2048, DataShape{Modality::image, 1, 64, 8});
  EXPECT_EQ(patch.width, 64u);
  EXPECT_EQ(patch.height, 32u);
}

TEST(HarnessCodecs, AccountingFollowsThePaper) {
  Measurement m;
  m.mode = ChunkMode::chunked;
  m.raw_bytes = m.full_bytes = 4 * 2048;
  m.chunks = 4;
  m.compressed_bytes = 4 * 1000;
  m.header_bytes = 20;
  m.parameters = 1'000'000;
  m.verified = true;
  EXPECT_DOUBLE_EQ(accounted_bytes(m, HeaderCount::once), 4000.0 - 3 * 20);
  EXPECT_DOUBLE_EQ(rate_raw(m, HeaderCount::per_chunk), 4000.0 / 8192);
  EXPECT_DOUBLE_EQ(rate_adjusted(m, HeaderCount::once, 1e9), 3940.0 / 8192 + 2e6 / 1e9);
  EXPECT_DOUBLE_EQ(rate_adjusted(m, HeaderCount::per_chunk, 8192), (4000.0 + 2e6) / 8192);
}

TEST(HarnessCodecs, MeasureDecodesAndComparesEveryChunk) {
  DataSet d;
  d.kind = DataKind::text;
  d.bytes = bytes_varied(5000, 1);
  d.chunk_sizes = {2048, 2048, 904};
  d.full_bytes = d.bytes.size();
  const Measurement m = measure_run(*baseline_gzip(), d, ChunkMode::chunked, nullptr);
  EXPECT_TRUE(m.ok()) << m.error;
  EXPECT_EQ(m.chunks, 3u);
  EXPECT_GT(m.header_bytes, 18u);  // gzip: 10-byte header, 8-byte trailer, and a little deflate

  const DataSet s = dataset_sample(d, 2048);
  EXPECT_EQ(s.bytes.size(), 2048u);
  EXPECT_TRUE(s.sampled());
}

}  // namespace

namespace {

TEST(HarnessCodecs, NativeChunksAreAccountedAsSeparateStreams) {
  DataSet d;
  d.kind = DataKind::text;
  d.bytes = bytes_varied(3 * 2048 + 100, 5);
  d.chunk_sizes = {2048, 2048, 2048, 100};
  d.full_bytes = d.bytes.size();
  auto lm = baseline_lmzip("order2", 1);
  ASSERT_TRUE(lm.ok());
  const Measurement m = measure_run(**lm, d, ChunkMode::chunked, nullptr);
  ASSERT_TRUE(m.ok()) << m.error;
  EXPECT_EQ(m.chunks, 4u);
  EXPECT_EQ(m.streams, 1u);  // one frame: three full chunks and the short tail
  EXPECT_GT(m.stream_overhead_bytes, 0u);
  // Per chunk: the four separate frames' sizes (a frame of one chunk has no
  // chunk checksum, docs/FORMAT.md version 4: the probes account for it), to
  // a byte a chunk: sizes are varints, and the short chunk's frame end
  // records its size in one byte where the probes' full chunks take two.
  uint64_t separate = 0;
  size_t pos = 0;
  for (uint32_t s : d.chunk_sizes) {
    auto e = (*lm)->encode_chunks(std::span<const uint8_t>(d.bytes).subspan(pos, s), 2048, d.shape);
    ASSERT_TRUE(e.ok());
    separate += e->size();
    pos += s;
  }
  EXPECT_NEAR(accounted_bytes(m, HeaderCount::per_chunk), static_cast<double>(separate),
              static_cast<double>(d.chunk_sizes.size()));
}

}  // namespace
