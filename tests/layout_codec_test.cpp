// Frames with file layouts (docs/FORMAT.md, "Layouts"): WAV,
// PGM/PPM, BMP and PNG pixels coded with image / audio models (test models:
// order2 under other names, tests/media_test_models.h), byte-exact round
// trips, the fall-backs to plain bytes, and forged frames.
#include <gtest/gtest.h>

#include <cmath>

#include "layout/chunk_plan.h"
#include "layout/kinds/png_read.h"
#include "layout/kinds/png_write.h"
#include "media_test_models.h"
#include "test_util.h"

namespace lmzip::test {
namespace {

Decoded decode(const Bytes& lmz, unsigned threads = 1) { return decompress_bytes(lmz, threads, media_test_resolver()); }

FrameInfo listed(const Bytes& lmz) {
  MemorySource src(lmz);
  auto frames = frame_list(src);
  EXPECT_TRUE(frames.ok()) << frames.status().message();
  if (!frames || frames->size() != 1) return {};
  return frames->front();
}

// Compresses with the test media models, checks the layout and model used,
// the listing, and the byte-exact round trip with 1 and 3 threads.
void round_trip(const Bytes& file, const std::string& layout, const std::string& model) {
  const LayoutCompressed c = compress_media(file);
  ASSERT_TRUE(c.status.ok()) << c.status.message();
  EXPECT_EQ(c.stats.layout, layout);
  EXPECT_EQ(c.stats.samples_model, model);
  EXPECT_EQ(c.stats.bytes_in, file.size());
  EXPECT_EQ(c.stats.bytes_out, c.lmz.size());
  for (unsigned threads : {1u, 3u}) {
    const Decoded d = decode(c.lmz, threads);
    ASSERT_TRUE(d.status.ok()) << d.status.message();
    EXPECT_TRUE(d.out == file) << "threads " << threads;
  }
  EXPECT_EQ(compress_media(file, 3).lmz, c.lmz) << "output depends on the thread count";
  const FrameInfo info = listed(c.lmz);
  EXPECT_EQ(info.layout, layout);
  EXPECT_EQ(info.original_size, file.size());
  EXPECT_EQ(info.compressed_size, c.lmz.size());
  EXPECT_EQ(info.version, 4);
  if (model.empty()) {
    EXPECT_EQ(c.lmz, compress_bytes(file)) << "plain bytes must be exactly the frame without a layout";
  } else {
    ASSERT_EQ(info.models.size(), 2u);
    EXPECT_EQ(info.models[0].name, "order2");
    EXPECT_EQ(info.models[1].name, model);
  }
}

TEST(LayoutCodec, WavRoundTrips) {
  round_trip(make_wav(1, 8, 3000), "wav", "test-audio8");
  round_trip(make_wav(2, 8, 3001), "wav", "test-audio8");
  round_trip(make_wav(1, 16, 2000), "wav", "test-audio16");
  round_trip(make_wav(2, 16, 2999, 3, to_bytes("trailing junk"), true), "wav", "test-audio16");
  round_trip(make_wav(5, 16, 257), "wav", "test-audio16");
  round_trip(make_wav(1, 16, 1), "wav", "test-audio16");
}

// lmzip -3: audio samples through the adaptive stage, the audio model as its
// input, in lanes that start on a sample (8192 bytes in 1 KiB lanes) or in one
// lane (8194 bytes would cut samples); the same output with 1 or 3 threads.
TEST(LayoutCodec, AudioThroughTheAdaptiveStage) {
  for (uint8_t lane_log2 : {uint8_t(0), uint8_t(10)}) {
    for (size_t frames : {4096, 4097}) {
      const Bytes file = make_wav(1, 16, frames);
      Bytes lmz[2];
      for (unsigned threads : {1u, 3u}) {
        CompressOptions o = media_options(threads);
        o.adaptive = o.adaptive_samples = true;
        o.adaptive_lane_log2 = lane_log2;
        LayoutCompressed c = compress_media_with(file, o);
        ASSERT_TRUE(c.status.ok());
        lmz[threads == 3] = std::move(c.lmz);
      }
      EXPECT_EQ(lmz[0], lmz[1]) << "output depends on the thread count";
      const FrameInfo info = listed(lmz[0]);
      EXPECT_EQ(info.layout, "wav");
      EXPECT_EQ(info.adaptive_stage, kAdaptiveStageFull);
      EXPECT_GE(info.adaptive_chunks, 1u) << "the stage coded no chunk of samples";
      for (unsigned threads : {1u, 3u}) {
        const Decoded d = decode(lmz[0], threads);
        ASSERT_TRUE(d.status.ok()) << d.status.message();
        EXPECT_TRUE(d.out == file) << "lanes 2^" << int(lane_log2) << ", " << frames << " frames";
      }
    }
  }
}

// Media models opened on demand: not for a text file, once for a WAV file,
// which then compresses exactly as with the models given.
TEST(LayoutCodec, MediaModelsOpenOnlyForFilesThatMayHaveALayout) {
  int opened = 0;
  auto compress_lazy = [&](const Bytes& file) {
    MemorySource src(file);
    MemorySink sink;
    CompressOptions o;
    o.model = pooled_order2();
    o.media_models_open = [&] {
      ++opened;
      return test_media_models();
    };
    EXPECT_TRUE(compress(src, sink, o).ok());
    return std::move(sink.bytes());
  };
  const Bytes text = to_bytes(std::string(5000, 'a'));
  EXPECT_EQ(compress_lazy(text), compress_bytes(text));
  EXPECT_EQ(opened, 0);
  const Bytes wav = make_wav(1, 16, 2000);
  EXPECT_EQ(compress_lazy(wav), compress_media(wav).lmz);
  EXPECT_EQ(opened, 1);
}

TEST(LayoutCodec, AudioWithoutAModelIsPlainBytes) {
  round_trip(make_wav(2, 24, 1000), "bytes", "");  // no 24-bit model
}

TEST(LayoutCodec, ImageRoundTrips) {
  round_trip(make_pnm(64, 40, 1), "pgm", "test-image-gray");
  round_trip(make_pnm(37, 23, 1), "pgm", "test-image-gray");  // 37: not a multiple of the tile width 16
  round_trip(make_pnm(16, 32, 1, 2, to_bytes("P5 next image")), "pgm", "test-image-gray");
  round_trip(make_pnm(21, 19, 3), "ppm", "test-image-rgb");
  round_trip(make_pnm(8, 3, 1), "pgm", "test-image-gray");  // half a tile
  round_trip(make_pnm(9, 100, 3), "ppm", "test-image-rgb");
  round_trip(make_bmp(13, 11, 3, false), "bmp", "test-image-rgb");  // padded rows, bottom-up, BGR
  round_trip(make_bmp(13, 11, 3, true), "bmp", "test-image-rgb");
  round_trip(make_bmp(30, 9, 1, false), "bmp", "test-image-gray");  // gray palette, padding 2
}

// Rows are padded to whole tiles (16 pixels for the test models): a picture
// narrower than half a tile would be coded as many times its pixels, slower
// and larger than its bytes, so it is plain bytes (issue 15, failure 3: a
// 1 x 4000 PGM took 7.4 s and came out larger than without the layout).
TEST(LayoutCodec, ImagesNarrowerThanHalfATileArePlainBytes) {
  round_trip(make_pnm(1, 4000, 1), "bytes", "");
  round_trip(make_pnm(7, 50, 1), "bytes", "");
  round_trip(make_pnm(1, 1, 3), "bytes", "");
  round_trip(make_bmp(1, 1, 1, true), "bytes", "");
  round_trip(make_pnm(17, 5, 1), "pgm", "test-image-gray");  // 32 of 17 pixels coded: the layout is kept
}

TEST(LayoutCodec, SixteenBitImagesArePlainBytes) {
  Bytes b = to_bytes("P5 4 4 65535\n");
  const Bytes px = random_bytes(32, 5);
  b.insert(b.end(), px.begin(), px.end());
  round_trip(b, "bytes", "");
}

// Anything not recognised with certainty is plain bytes, and compresses.
TEST(LayoutCodec, MalformedHeadersFallBackToPlainBytes) {
  const Bytes wav = make_wav(2, 16, 500);
  const Bytes ppm = make_pnm(20, 10, 3);
  const Bytes bmp = make_bmp(13, 11, 3, false);
  std::vector<Bytes> files = {
      Bytes(wav.begin(), wav.begin() + 30),   // cut inside 'fmt '
      Bytes(wav.begin(), wav.begin() + 44),   // no samples
      Bytes(ppm.begin(), ppm.begin() + 9),    // cut inside the header
      Bytes(ppm.begin(), ppm.end() - 1),      // short raster
      Bytes(bmp.begin(), bmp.begin() + 40),   // cut inside the info header
      Bytes(bmp.begin(), bmp.end() - 5),      // short raster
      to_bytes("P5 0 0 255\n"), to_bytes("P6 -3 4 255\nxxxx"), to_bytes("BM"), to_bytes("RIFF....WAVE"),
      to_bytes("P5"), to_bytes("P"), Bytes{},
  };
  Bytes bad_fmt = wav;
  set_le(bad_fmt, 20, 3, 2);  // format tag 3: float
  files.push_back(bad_fmt);
  Bytes bad_bits = bmp;
  set_le(bad_bits, 28, 32, 2);
  files.push_back(bad_bits);
  for (size_t i = 0; i < files.size(); ++i) {
    SCOPED_TRACE(i);
    round_trip(files[i], "bytes", "");
  }
}

TEST(LayoutCodec, NoLayoutOptionGivesPlainBytes) {
  const Bytes wav = make_wav(1, 16, 1000);
  CompressOptions o = media_options();
  o.layouts = false;
  const LayoutCompressed c = compress_media_with(wav, o);
  ASSERT_TRUE(c.status.ok());
  EXPECT_EQ(c.stats.layout, "bytes");
  EXPECT_EQ(c.lmz, compress_bytes(wav));
}

TEST(LayoutCodec, InputsAboveTheBufferLimitStreamAsPlainBytes) {
  const Bytes wav = make_wav(1, 16, 5000);
  for (uint64_t limit : {uint64_t{15}, uint64_t{16}, uint64_t{100}, wav.size() - 1}) {
    const LayoutCompressed c = compress_media(wav, 1, false, limit);
    ASSERT_TRUE(c.status.ok());
    EXPECT_EQ(c.stats.layout, "bytes");
    EXPECT_EQ(c.lmz, compress_bytes(wav)) << limit;
  }
  EXPECT_EQ(compress_media(wav, 1, false, wav.size()).stats.layout, "wav");
}

TEST(LayoutCodec, ChunkSizeOptionAppliesToLayouts) {
  const Bytes ppm = make_pnm(50, 30, 1);
  for (uint32_t c : {16u, 17u, 100u, 4096u}) {
    const LayoutCompressed r = compress_media(ppm, 2, false, kLayoutMaxBytes, c);
    ASSERT_TRUE(r.status.ok());
    EXPECT_EQ(r.stats.layout, "pgm") << c;
    EXPECT_EQ(listed(r.lmz).chunk_size, c);
    const Decoded d = decode(r.lmz, 2);
    ASSERT_TRUE(d.status.ok()) << d.status.message();
    EXPECT_TRUE(d.out == ppm);
  }
  // Tiles of 16 gray pixels need chunks of at least 16 bytes: below, plain bytes.
  EXPECT_EQ(compress_media(ppm, 1, false, kLayoutMaxBytes, 15).stats.layout, "bytes");
}

// ---- the transforms, independently of the codec -------------------------------------

// A 5 x 3 gray PGM layout with tiles 4 wide.
Layout layout_5x3(uint64_t header_bytes, bool strips) {
  Layout l;
  l.kind = LayoutKind::pnm;
  l.channels = 1;
  l.bits = 8;
  l.width = 5;
  l.height = 3;
  l.row_stride = 5;
  l.header_bytes = header_bytes;
  l.payload_bytes = 15;
  l.tile_width = 4;
  l.strips = strips;
  return l;
}

TEST(ChunkPlanTest, ImageTilesArePaddedWithTheRowsLastPixel) {
  // Chunk 8 bytes: 2 rows per tile, 2 tile columns, 2 tile rows.
  const Layout l = layout_5x3(11, false);
  ASSERT_EQ(layout_problem(l, 8), "");
  ChunkPlan plan(l, 8);
  EXPECT_EQ(plan.verbatim_chunks(), 2u);  // 8 + 3 header bytes
  ASSERT_EQ(plan.chunks(), 6u);
  EXPECT_EQ(plan.chunk_size(1), 3u);
  const Bytes px = {0, 1, 2, 3, 4, 10, 11, 12, 13, 14, 20, 21, 22, 23, 24};
  const std::vector<Bytes> want = {{0, 1, 2, 3, 10, 11, 12, 13}, {4, 4, 4, 4, 14, 14, 14, 14}, {20, 21, 22, 23}, {24, 24, 24, 24}};
  Bytes out, back;
  for (uint64_t j = 0; j < 4; ++j) {
    plan.sample_chunk(px, j, out);
    EXPECT_EQ(out, want[j]) << j;
    EXPECT_EQ(plan.chunk_size(plan.verbatim_chunks() + j), out.size());
    plan.sample_chunk_take(j, out, &back);
  }
  EXPECT_EQ(back, px);
}

TEST(ChunkPlanTest, StripsStackIntoATallImage) {
  // The same 5 x 3 image as strips: 2 strips 4 wide (the second padded),
  // stacked 6 rows tall, cut into chunks of 2 rows that span the strips.
  const Layout l = layout_5x3(0, true);
  ASSERT_EQ(layout_problem(l, 8), "");
  ChunkPlan plan(l, 8);
  ASSERT_EQ(plan.chunks(), 3u);
  const Bytes px = {0, 1, 2, 3, 4, 10, 11, 12, 13, 14, 20, 21, 22, 23, 24};
  const std::vector<Bytes> want = {{0, 1, 2, 3, 10, 11, 12, 13}, {20, 21, 22, 23, 4, 4, 4, 4}, {14, 14, 14, 14, 24, 24, 24, 24}};
  Bytes out, back;
  for (uint64_t j = 0; j < 3; ++j) {
    plan.sample_chunk(px, j, out);
    EXPECT_EQ(out, want[j]) << j;
    EXPECT_EQ(plan.chunk_size(j), out.size());
    plan.sample_chunk_take(j, out, &back);
    EXPECT_EQ(back.size(), j < 2 ? 0u : px.size()) << "the image is complete only with the last strip";
  }
  EXPECT_EQ(back, px);
  // Chunks of 3 rows: one strip each.
  EXPECT_EQ(ChunkPlan(l, 12).chunks(), 2u);
}

TEST(LayoutCodec, GridTilesStillRoundTrip) {
  // Files written with the first tile order (image_strips false) still decode.
  for (const Bytes& file : {make_pnm(37, 23, 1), make_pnm(21, 19, 3), make_bmp(13, 11, 3, false)}) {
    for (uint32_t c : {0u, 100u}) {
      const LayoutCompressed grid = compress_media(file, 2, false, kLayoutMaxBytes, c, false);
      const LayoutCompressed strips = compress_media(file, 2, false, kLayoutMaxBytes, c, true);
      ASSERT_TRUE(grid.status.ok() && strips.status.ok());
      EXPECT_NE(grid.lmz, strips.lmz);
      EXPECT_EQ(decode(grid.lmz, 2).out, file);
      EXPECT_EQ(decode(strips.lmz, 2).out, file);
    }
  }
}

TEST(ChunkPlanTest, AudioChunksHoldOneChannel) {
  // 3 channels of 16 bits, 5 frames, chunk 5 bytes: 2 samples per chunk.
  Layout l;
  l.kind = LayoutKind::wav;
  l.channels = 3;
  l.bits = 16;
  l.payload_bytes = 30;
  ASSERT_EQ(layout_problem(l, 5), "");
  ChunkPlan plan(l, 5);
  EXPECT_EQ(plan.verbatim_chunks(), 0u);
  ASSERT_EQ(plan.chunks(), 9u);  // blocks of 2, 2, 1 frames, 3 channels each
  Bytes px(30);
  for (size_t f = 0; f < 5; ++f)
    for (size_t c = 0; c < 3; ++c) px[6 * f + 2 * c] = static_cast<uint8_t>(10 * f + c), px[6 * f + 2 * c + 1] = 0xEE;
  Bytes out, back;
  plan.sample_chunk(px, 1, out);
  EXPECT_EQ(out, (Bytes{1, 0xEE, 11, 0xEE}));  // block 0, channel 1
  plan.sample_chunk(px, 8, out);
  EXPECT_EQ(out, (Bytes{42, 0xEE}));  // block 2 (frame 4), channel 2
  for (uint64_t j = 0; j < 9; ++j) {
    plan.sample_chunk(px, j, out);
    EXPECT_EQ(plan.chunk_size(j), out.size());
    plan.sample_chunk_take(j, out, &back);
  }
  EXPECT_EQ(back, px);
}

// ---- PNG pixels --------------------------------------------------------------------

Bytes png_of(uint32_t w, uint32_t h, uint32_t channels, uint64_t seed) {
  Pixels p;
  p.width = w;
  p.height = h;
  p.channels = channels;
  p.bytes = image_pixels(w, h, channels, seed);
  auto png = png_write(p);
  EXPECT_TRUE(png.ok());
  return png.ok() ? *png : Bytes{};
}

void png_pixels_round_trip(const Bytes& png) {
  const LayoutCompressed c = compress_media(png, 2, true);
  ASSERT_TRUE(c.status.ok()) << c.status.message();
  EXPECT_EQ(c.stats.layout, "png-pixels");
  const Decoded d = decode(c.lmz, 2);
  ASSERT_TRUE(d.status.ok()) << d.status.message();
  auto want = png_read(png), got = png_read(d.out);
  ASSERT_TRUE(want.ok() && got.ok());
  EXPECT_EQ(got->width, want->width);
  EXPECT_EQ(got->height, want->height);
  EXPECT_EQ(got->channels, want->channels);
  EXPECT_TRUE(got->bytes == want->bytes);
  EXPECT_EQ(listed(c.lmz).original_size, want->bytes.size());
  EXPECT_EQ(decode(c.lmz, 1).out, d.out) << "the PNG written must not depend on threads";
}

TEST(LayoutCodec, PngPixelsRoundTrip) {
  png_pixels_round_trip(png_of(37, 21, 1, 1));
  png_pixels_round_trip(png_of(19, 30, 3, 2));
  png_pixels_round_trip(png_of(8, 1, 1, 3));
  const Bytes narrow = png_of(1, 1, 1, 3);  // narrower than half a tile: the file, byte-exact
  const LayoutCompressed c = compress_media(narrow, 2, true);
  EXPECT_EQ(c.stats.layout, "bytes");
  EXPECT_EQ(decode(c.lmz, 2).out, narrow);
  // Without png_pixels a PNG is plain bytes, byte-exact.
  const Bytes png = png_of(20, 20, 1, 4);
  EXPECT_EQ(compress_media(png).stats.layout, "bytes");
}

TEST(LayoutCodec, PngPixelsRefusesWhatIsNotExactlyGrayOrRgb) {
  Bytes png = png_of(8, 8, 3, 5);
  Bytes alpha = png;
  alpha[25] = 6;  // colour type RGBA (the CRC no longer matters: refused from the header)
  const LayoutCompressed c = compress_media(alpha, 1, true);
  EXPECT_EQ(c.status.code(), ErrorCode::invalid_argument);
  EXPECT_NE(c.status.message().find("alpha"), std::string::npos) << c.status.message();
  Bytes deep = png;
  deep[24] = 16;
  EXPECT_EQ(compress_media(deep, 1, true).status.code(), ErrorCode::invalid_argument);
  Bytes broken(png.begin(), png.begin() + 40);
  EXPECT_FALSE(compress_media(broken, 1, true).status.ok());
}

TEST(LayoutCodec, RealFiles) {
  const std::string data = LMZIP_DATA_DIR;
  const Bytes wav = read_bytes(data + "/audio/vosk_librivox/cats.wav");
  const Bytes png = read_bytes(data + "/image/waterloo/bird.png");
  if (wav.empty() && png.empty()) GTEST_SKIP() << "no ../shared/data";
  if (!wav.empty()) {
    const size_t n = kSanitized ? 100000 : 400000;  // a prefix: plain order2 speed, keep it short
    Bytes part(wav.begin(), wav.begin() + static_cast<long>(std::min(n, wav.size())));
    const LayoutCompressed c = compress_media(part, 2);
    ASSERT_TRUE(c.status.ok());
    EXPECT_EQ(c.stats.layout, "wav");
    const Decoded d = decode(c.lmz, 2);
    ASSERT_TRUE(d.status.ok()) << d.status.message();
    EXPECT_TRUE(d.out == part);
  }
  if (!png.empty()) png_pixels_round_trip(png);
}

// ---- forged frames --------------------------------------------------------------------

Status decode_status(const Bytes& lmz) {
  const Decoded d = decode(lmz, 2);
  MemorySource src(lmz);
  (void)frame_list(src);  // must not crash
  EXPECT_TRUE(d.status.ok() || !d.status.message().empty());
  EXPECT_NE(d.status.code(), ErrorCode::internal) << d.status.message();
  return d.status;
}

// Every byte of the header (checksum fixed) changed: a change of the model
// table or the layout is refused; one of the chunk size, or clearing the
// exact-ends bit (exact payloads also decode as trimmed ones), may only decode
// to exactly the file (a larger chunk size can describe the same partial
// chunks); nothing crashes.
void header_edits_refused(const Bytes& file) {
  const LayoutCompressed c = compress_media(file);
  ASSERT_TRUE(c.status.ok());
  ASSERT_NE(c.stats.layout, "bytes");
  const FrameLayout f = layout_parse(c.lmz)[0];
  size_t accepted = 0;
  for (size_t at = 4; at < f.header_checksum_offset; ++at) {
    for (uint8_t x : {uint8_t{0x01}, uint8_t{0x02}, uint8_t{0x80}, uint8_t{0xFF}}) {
      Bytes b = c.lmz;
      b[at] ^= x;
      header_checksum_fix(b, f);
      const Status st = decode_status(b);
      if (st.ok()) {
        EXPECT_TRUE(decode(b).out == file) << "offset " << at;
        // The chunk size ends where the layout kind begins (no adaptive stage here).
        const bool chunk_size_field = at >= f.chunk_size_offset && at < f.layout_offset;
        const bool exact_ends_bit = at == 5 && x == 0x80;
        if (!chunk_size_field && !exact_ends_bit) ADD_FAILURE() << "accepted an edit at offset " << at;
        accepted += !chunk_size_field && !exact_ends_bit;
      }
    }
  }
  EXPECT_EQ(accepted, 0u);
}

TEST(LayoutCodecCorrupt, HeaderFieldEditsAreRefused) {
  header_edits_refused(make_wav(2, 16, 600, 9, to_bytes("tail")));
  header_edits_refused(make_bmp(13, 11, 3, false));
  header_edits_refused(make_pnm(20, 7, 1));
}

TEST(LayoutCodecCorrupt, ModelSlotsAreChecked) {
  const Bytes file = make_bmp(40, 30, 3, false);
  // Grid tiles: with this content one of them is a stored chunk.
  const LayoutCompressed c = compress_media(file, 1, false, kLayoutMaxBytes, 200, false);
  ASSERT_TRUE(c.status.ok());
  const FrameLayout f = layout_parse(c.lmz)[0];
  size_t stored = 0;
  for (const auto& r : f.records) {
    for (uint8_t slot = 0; slot < 8; ++slot) {
      if (slot == ((r.tag >> 3) & 7)) continue;
      Bytes b = c.lmz;
      b[r.offset] = static_cast<uint8_t>((r.tag & 7) | (slot << 3));
      const Status st = decode_status(b);
      EXPECT_FALSE(st.ok()) << "record at " << r.offset << " slot " << int(slot) << " tag " << int(r.tag)
                            << " size " << r.content_size << " payload " << r.payload_size;
      if (slot >= 2) {
        EXPECT_NE(st.message().find("model slot"), std::string::npos) << st.message();
      }
    }
    Bytes b = c.lmz;
    b[r.offset] |= 0x80;  // reserved bit 7
    EXPECT_NE(decode_status(b).message().find("reserved bits"), std::string::npos);
    b = c.lmz;
    b[r.offset] |= 0x40;  // bit 6: alone, only for an adaptive chunk
    EXPECT_NE(decode_status(b).message().find("not adaptive has the alone flag"), std::string::npos);
    stored += (r.tag & 3) == 1;
  }
  EXPECT_GT(stored, 0u) << "the frame should hold a stored chunk";
}

TEST(LayoutCodecCorrupt, ChunksMustFollowTheLayout) {
  const Bytes file = make_pnm(40, 30, 1);
  const LayoutCompressed c = compress_media(file, 1, false, kLayoutMaxBytes, 512);
  ASSERT_TRUE(c.status.ok());
  const FrameLayout f = layout_parse(c.lmz)[0];
  ASSERT_GE(f.records.size(), 3u);
  // The last chunk dropped; a chunk repeated; the end's size off by one.
  Bytes dropped = c.lmz;
  dropped.erase(dropped.begin() + static_cast<long>(f.records.back().offset),
                dropped.begin() + static_cast<long>(f.end_offset));
  EXPECT_NE(decode_status(dropped).message().find("before its layout's last chunk"), std::string::npos);
  Bytes extra = c.lmz;
  extra.insert(extra.begin() + static_cast<long>(f.end_offset), c.lmz.begin() + static_cast<long>(f.records.back().offset),
               c.lmz.begin() + static_cast<long>(f.end_offset));
  EXPECT_NE(decode_status(extra).message().find("more chunks than"), std::string::npos);
  Bytes end_size = c.lmz;
  end_size[f.end_offset + 1] ^= 1;  // the low bits of the content size varint
  EXPECT_NE(decode_status(end_size).message().find("different size than its layout"), std::string::npos);
  Bytes end_sum = c.lmz;
  end_sum[f.end_checksum_offset] ^= 1;
  EXPECT_NE(decode_status(end_sum).message().find("whole-content checksum"), std::string::npos);
  // Every byte of every record and payload damaged: refused, never a crash.
  for (size_t at = f.header_end; at < f.end_offset; at += 3) {
    Bytes b = c.lmz;
    b[at] ^= 0x21;
    EXPECT_FALSE(decode_status(b).ok()) << at;
  }
  // Truncated anywhere.
  for (size_t n = 0; n < c.lmz.size(); n += 7) EXPECT_FALSE(decode_status(Bytes(c.lmz.begin(), c.lmz.begin() + static_cast<long>(n))).ok());
}

// Forged layouts that ask for huge sizes are refused before any allocation.
TEST(LayoutCodecCorrupt, HugeLayoutSizesAreRefusedCheaply) {
  const Bytes file = make_wav(1, 16, 100);
  const LayoutCompressed c = compress_media(file);
  const FrameLayout f = layout_parse(c.lmz)[0];
  for (uint64_t v : {uint64_t{1} << 31, (uint64_t{1} << 31) - 44, ~uint64_t{0}, uint64_t{1} << 40}) {
    for (size_t field = 0; field < 3; ++field) {
      Bytes b = c.lmz;
      set_le(b, f.layout_offset + 1 + 8 * field, v, 8);
      header_checksum_fix(b, f);
      EXPECT_FALSE(decode_status(b).ok());
    }
  }
}

// Without a chunk size, image chunks are 1 MiB (compress.cpp, kImageChunkBytes)
// whatever the model's default; audio keeps the model's.
TEST(LayoutCodec, ImageChunksDefaultToOneMiB) {
  const Bytes pgm = make_pnm(300, 200, 1, 5);
  const LayoutCompressed img = compress_media(pgm, 1, false, kLayoutMaxBytes, 0);
  ASSERT_TRUE(img.status.ok()) << img.status.message();
  EXPECT_EQ(img.stats.layout, "pgm");
  EXPECT_EQ(layout_parse(img.lmz)[0].chunk_size, 1u << 20);
  const LayoutCompressed wav = compress_media(make_wav(1, 16, 3000, 7, {}, false), 1, false, kLayoutMaxBytes, 0);
  ASSERT_TRUE(wav.status.ok());
  EXPECT_EQ(layout_parse(wav.lmz)[0].chunk_size, 512u);
}

}  // namespace
}  // namespace lmzip::test
