// The file kinds whose samples are stored in the file (src/layout/kinds:
// WAV, PGM/PPM, BMP): hand-built tiny files with known fields and samples;
// byte-exact split/join on them, on every prefix of them, on bit-flipped
// copies and random garbage; and on the real files under ../shared/data
// (WAV → wav, PNG → none of these kinds).
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "layout/file_kind.h"
#include "layout/kinds/kinds.h"
#include "layout/stored_parts.h"
#include "test_util.h"

namespace lmzip {
namespace {

using test::Bytes;
using test::put_le;

Bytes operator+(Bytes a, const Bytes& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}
Bytes str(std::string_view s) { return test::to_bytes(s); }
Bytes le(uint64_t v, int bytes) {
  Bytes b;
  put_le(b, v, bytes);
  return b;
}
Bytes iota(size_t n, uint8_t first) {
  Bytes b(n);
  for (size_t i = 0; i < n; ++i) b[i] = static_cast<uint8_t>(first + i);
  return b;
}

const FileKind* const kStored[] = {&kWavKind, &kPnmKind, &kBmpKind};

// The layout one of the stored kinds detects in `f`; kind none when none does.
Layout detect(const Bytes& f) {
  auto l = layout_detect(f, kStored);
  EXPECT_TRUE(l.ok()) << l.status().message();
  return l.ok() && *l ? **l : Layout{};
}

// Detects, splits and joins `f`; checks the invariants every layout keeps,
// that split finds the layout detection does and that the join gives back
// `f` exactly. Returns the layout and the parts (kind none: no parts).
struct Checked {
  Layout layout;
  LayoutParts parts;
};
Checked round_trip(const Bytes& f) {
  Checked c{detect(f), {}};
  const Layout& l = c.layout;
  auto split = layout_split(f, kStored);
  EXPECT_TRUE(split.ok());
  if (l.kind == LayoutKind::none) {
    EXPECT_TRUE(split.ok() && !*split);
    return c;
  }
  EXPECT_EQ(l.header_bytes + l.payload_bytes + l.trailer_bytes, f.size());
  EXPECT_GT(l.payload_bytes, 0u);
  EXPECT_EQ(l.tile_width, 0u);
  EXPECT_FALSE(l.strips);
  if (!split.ok() || !*split) {
    ADD_FAILURE() << "split found no layout";
    return c;
  }
  EXPECT_EQ((*split)->layout, l);
  c.parts = (*split)->parts;
  auto back = file_kind(l.kind)->join(l, c.parts);
  if (!back.ok()) {
    ADD_FAILURE() << "join failed: " << back.status().message();
    return c;
  }
  EXPECT_TRUE(*back == f) << "join is not byte-exact (" << f.size() << " bytes, " << layout_name(l) << ")";
  return c;
}

void expect_raw(const Bytes& f, const char* why) {
  const Layout l = round_trip(f).layout;
  EXPECT_EQ(l.kind, LayoutKind::none) << why << " was taken as " << layout_name(l);
}

// ---- builders ------------------------------------------------------------------------

Bytes riff_chunk(std::string_view id, const Bytes& body, uint64_t claimed_size) {
  Bytes c = str(id) + le(claimed_size, 4) + body;
  if (body.size() % 2 == 1) c.push_back(0);  // pad byte
  return c;
}
Bytes riff_chunk(std::string_view id, const Bytes& body) { return riff_chunk(id, body, body.size()); }

Bytes wav_fmt(uint16_t tag, uint16_t channels, uint32_t rate, uint16_t bits, int block_align = -1) {
  const uint32_t align = block_align >= 0 ? static_cast<uint32_t>(block_align) : channels * (bits / 8u);
  return le(tag, 2) + le(channels, 2) + le(rate, 4) + le(uint64_t{rate} * align, 4) + le(align, 2) + le(bits, 2);
}

// WAVE_FORMAT_EXTENSIBLE with the given sub-format tag (1: PCM, 3: float).
Bytes wav_fmt_extensible(uint16_t channels, uint32_t rate, uint16_t bits, uint16_t subformat) {
  const Bytes guid_tail = {0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71};
  return wav_fmt(0xFFFE, channels, rate, bits) + le(22, 2) + le(bits, 2) + le(3, 4) + le(subformat, 2) + guid_tail;
}

Bytes wav(const Bytes& chunks) { return str("RIFF") + le(4 + chunks.size(), 4) + str("WAVE") + chunks; }

// A 16-bit stereo WAV: fmt, an odd-sized LIST (padded), 3 frames, a chunk after.
Bytes wav_stereo16() {
  return wav(riff_chunk("fmt ", wav_fmt(1, 2, 44100, 16)) + riff_chunk("LIST", str("INFOabc")) +
             riff_chunk("data", iota(12, 1)) + riff_chunk("junk", str("zz")));
}
// 8-bit mono, 3 samples: the data chunk's pad byte is trailer.
Bytes wav_mono8() { return wav(riff_chunk("fmt ", wav_fmt(1, 1, 8000, 8)) + riff_chunk("data", {0x80, 0x81, 0x7F})); }
// 24-bit stereo extensible, written by a streaming writer: the data chunk
// claims 1000 bytes, the file holds 2 whole frames and 4 bytes of a third.
Bytes wav_extensible24() {
  return wav(riff_chunk("fmt ", wav_fmt_extensible(2, 48000, 24, 1)) + riff_chunk("data", iota(16, 50), 1000));
}
// The data chunk before the fmt chunk.
Bytes wav_data_first() { return wav(riff_chunk("data", iota(4, 9)) + riff_chunk("fmt ", wav_fmt(1, 1, 16000, 16))); }

// 3×2 gray, a comment before and inside the header; the first sample is '\n'
// (only one whitespace byte ends the header), 4 bytes of trailer.
const std::string kPgmHeader = "P5\n# a comment\n3 2\n#another\n255\n";
Bytes pgm() { return str(kPgmHeader) + Bytes{'\n', 20, 30, 40, 50, 60} + str("tail"); }
// 2×1 RGB, 16-bit big-endian samples.
Bytes ppm16() { return str("P6 2 1 65535\n") + iota(12, 100); }

struct BmpSpec {
  int32_t width = 0, height = 0;
  uint16_t bits = 24;
  uint32_t info_size = 40, compression = 0, colors_used = 0;
  uint16_t planes = 1;
  Bytes palette, gap, pixels, trailer;
};
Bytes bmp(const BmpSpec& s) {
  const uint64_t offset = 14 + s.info_size + s.palette.size() + s.gap.size();
  Bytes info = le(s.info_size, 4) + le(static_cast<uint32_t>(s.width), 4) + le(static_cast<uint32_t>(s.height), 4) +
               le(s.planes, 2) + le(s.bits, 2) + le(s.compression, 4) + le(s.pixels.size(), 4) + le(2835, 4) +
               le(2835, 4) + le(s.colors_used, 4) + le(0, 4);
  info.resize(s.info_size);  // V4/V5 fields: zero
  const Bytes body = info + s.palette + s.gap + s.pixels + s.trailer;
  return str("BM") + le(14 + body.size(), 4) + le(0, 4) + le(offset, 4) + body;
}
Bytes gray_palette() {
  Bytes p;
  for (int i = 0; i < 256; ++i) p = p + Bytes{uint8_t(i), uint8_t(i), uint8_t(i), 0};
  return p;
}

// 3×2, 24-bit, bottom-up, rows padded from 9 to 12 bytes with non-zero padding.
// The picture, top-down RGB: (1,2,3) (4,5,6) (7,8,9) / (11,12,13) (14,15,16) (17,18,19).
BmpSpec bmp_3x2_spec() {
  BmpSpec s;
  s.width = 3;
  s.height = 2;
  s.pixels = Bytes{13, 12, 11, 16, 15, 14, 19, 18, 17, 0xA1, 0xA2, 0xA3,  // bottom row first, B,G,R
                   3, 2, 1, 6, 5, 4, 9, 8, 7, 0xB1, 0xB2, 0xB3};
  return s;
}
const Bytes kBmp3x2Samples = {1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 13, 14, 15, 16, 17, 18, 19};

// 2×2, top-down (negative height), BITMAPV5HEADER, 5 bytes between the header
// and the pixels, 3 bytes after them.
BmpSpec bmp_v5_spec() {
  BmpSpec s;
  s.width = 2;
  s.height = -2;
  s.info_size = 124;
  s.gap = {7, 7, 7, 7, 7};
  s.pixels = Bytes{3, 2, 1, 6, 5, 4, 0, 0, 9, 8, 7, 12, 11, 10, 0, 0};
  s.trailer = {0xEE, 0xEE, 0xEE};
  return s;
}

// 3×2, 8-bit indices with the identity gray palette, bottom-up, rows padded to 4.
BmpSpec bmp_gray_spec() {
  BmpSpec s;
  s.width = 3;
  s.height = 2;
  s.bits = 8;
  s.palette = gray_palette();
  s.pixels = Bytes{40, 50, 60, 0, 10, 20, 30, 0};
  return s;
}

std::vector<Bytes> valid_files() {
  return {wav_stereo16(), wav_mono8(), wav_extensible24(), wav_data_first(), pgm(), ppm16(),
          bmp(bmp_3x2_spec()), bmp(bmp_v5_spec()), bmp(bmp_gray_spec())};
}

// ---- WAV -------------------------------------------------------------------------------

TEST(LayoutKinds, WavStereo16WithChunksAround) {
  const Bytes f = wav_stereo16();
  const Checked c = round_trip(f);
  Layout want;
  want.kind = LayoutKind::wav;
  want.header_bytes = 12 + 24 + 16 + 8;  // RIFF, fmt, LIST + pad, data's chunk header
  want.payload_bytes = 12;
  want.trailer_bytes = 10;  // the junk chunk
  want.channels = 2;
  want.bits = 16;
  EXPECT_EQ(c.layout, want);
  EXPECT_EQ(c.parts.samples, iota(12, 1));
  EXPECT_TRUE(c.parts.residue.empty());
  EXPECT_EQ(c.parts.header, Bytes(f.begin(), f.begin() + 60));
  EXPECT_EQ(c.parts.trailer, riff_chunk("junk", str("zz")));
}

TEST(LayoutKinds, WavMono8OddDataKeepsPadByte) {
  const Checked c = round_trip(wav_mono8());
  EXPECT_EQ(c.layout.kind, LayoutKind::wav);
  EXPECT_EQ(c.layout.channels, 1u);
  EXPECT_EQ(c.layout.bits, 8u);
  EXPECT_EQ(c.layout.header_bytes, 44u);
  EXPECT_EQ(c.parts.samples, (Bytes{0x80, 0x81, 0x7F}));
  EXPECT_EQ(c.parts.trailer, Bytes{0});
}

TEST(LayoutKinds, WavExtensible24TruncatedDataKeepsWholeFrames) {
  const Checked c = round_trip(wav_extensible24());
  EXPECT_EQ(c.layout.kind, LayoutKind::wav);
  EXPECT_EQ(c.layout.channels, 2u);
  EXPECT_EQ(c.layout.bits, 24u);
  EXPECT_EQ(c.layout.header_bytes, 12u + 48 + 8);
  EXPECT_EQ(c.layout.payload_bytes, 12u);
  EXPECT_EQ(c.layout.trailer_bytes, 4u);
  EXPECT_EQ(c.parts.samples, iota(12, 50));
}

TEST(LayoutKinds, WavDataBeforeFmt) {
  const Checked c = round_trip(wav_data_first());
  EXPECT_EQ(c.layout.kind, LayoutKind::wav);
  EXPECT_EQ(c.layout.header_bytes, 20u);
  EXPECT_EQ(c.parts.samples, iota(4, 9));
  EXPECT_EQ(c.layout.trailer_bytes, 24u);  // the fmt chunk
}

// 24- and 32-bit PCM are described (the benchmark's WAV reader takes them),
// but no frame may carry them: the codec codes such files as plain bytes.
TEST(LayoutKinds, Wav32BitIsDescribedButNoFrameLayout) {
  const Checked c = round_trip(wav(riff_chunk("fmt ", wav_fmt(1, 1, 8000, 32)) + riff_chunk("data", iota(8, 0))));
  EXPECT_EQ(c.layout.kind, LayoutKind::wav);
  EXPECT_EQ(c.layout.bits, 32u);
  EXPECT_EQ(c.parts.samples, iota(8, 0));
  EXPECT_NE(layout_problem(c.layout, 4096), "");
  EXPECT_NE(layout_problem(round_trip(wav_extensible24()).layout, 4096), "");
}

TEST(LayoutKinds, WavUnsupportedOrMalformedIsRaw) {
  const Bytes data = riff_chunk("data", iota(8, 0));
  expect_raw(wav(riff_chunk("fmt ", wav_fmt(3, 1, 8000, 32)) + data), "float");
  expect_raw(wav(riff_chunk("fmt ", wav_fmt(1, 1, 8000, 12)) + data), "12-bit PCM");
  expect_raw(wav(riff_chunk("fmt ", wav_fmt(2, 1, 8000, 4)) + data), "ADPCM");
  expect_raw(wav(riff_chunk("fmt ", wav_fmt(1, 2, 8000, 16, 2)) + data), "inconsistent block align");
  expect_raw(wav(riff_chunk("fmt ", wav_fmt(1, 0, 8000, 16)) + data), "0 channels");
  expect_raw(wav(riff_chunk("fmt ", wav_fmt(1, 17, 8000, 8)) + riff_chunk("data", iota(34, 0))), "17 channels");
  expect_raw(wav(riff_chunk("fmt ", wav_fmt(1, 1, 0, 16)) + data), "sample rate 0");
  expect_raw(wav(riff_chunk("fmt ", wav_fmt_extensible(1, 8000, 16, 3)) + data), "extensible float");
  Bytes short_extensible = wav_fmt_extensible(1, 8000, 16, 1);
  short_extensible.resize(30);
  expect_raw(wav(riff_chunk("fmt ", short_extensible) + data), "extensible without its GUID");
  Bytes short_fmt = wav_fmt(1, 1, 8000, 16);
  short_fmt.resize(14);
  expect_raw(wav(riff_chunk("fmt ", short_fmt) + data), "14-byte fmt");
  expect_raw(wav(riff_chunk("fmt ", wav_fmt(1, 1, 8000, 16))), "no data chunk");
  expect_raw(wav(data), "no fmt chunk");
  expect_raw(wav(riff_chunk("fmt ", wav_fmt(1, 1, 8000, 16)) + riff_chunk("data", {})), "empty data");
  expect_raw(wav(riff_chunk("fmt ", wav_fmt(1, 2, 8000, 16)) + riff_chunk("data", iota(3, 0))), "partial frame");
  expect_raw(wav(riff_chunk("fmt ", wav_fmt(1, 1, 8000, 16), 1000) + data), "fmt past the end");
  Bytes rifx = wav_stereo16();
  rifx[3] = 'X';
  expect_raw(rifx, "RIFX (big-endian)");
}

// ---- PNM -------------------------------------------------------------------------------

TEST(LayoutKinds, PgmWithCommentsAndTrailer) {
  const Bytes f = pgm();
  const Checked c = round_trip(f);
  Layout want;
  want.kind = LayoutKind::pnm;
  want.header_bytes = kPgmHeader.size();
  want.payload_bytes = 6;
  want.trailer_bytes = 4;
  want.width = 3;
  want.height = 2;
  want.channels = 1;
  want.bits = 8;
  want.row_stride = 3;
  EXPECT_EQ(c.layout, want);
  EXPECT_EQ(c.parts.samples, (Bytes{'\n', 20, 30, 40, 50, 60}));
  EXPECT_EQ(c.parts.trailer, str("tail"));
  EXPECT_EQ(layout_name(c.layout), "pgm");
}

TEST(LayoutKinds, Ppm16BitBigEndian) {
  const Checked c = round_trip(ppm16());
  EXPECT_EQ(c.layout.kind, LayoutKind::pnm);
  EXPECT_EQ(layout_name(c.layout), "ppm");
  EXPECT_EQ(c.layout.header_bytes, 13u);
  EXPECT_EQ(c.layout.bits, 16u);
  EXPECT_EQ(c.layout.channels, 3u);
  EXPECT_EQ(c.layout.row_stride, 12u);
  EXPECT_EQ(c.layout.trailer_bytes, 0u);
  EXPECT_EQ(c.parts.samples, iota(12, 100));
  EXPECT_FALSE(c.layout.bgr);
}

TEST(LayoutKinds, Ppm8BitLowMaxval) {
  const Checked c = round_trip(str("P6\n1 1\n100\n") + Bytes{1, 2, 3});
  EXPECT_EQ(c.layout.kind, LayoutKind::pnm);
  EXPECT_EQ(c.layout.bits, 8u);
  EXPECT_EQ(c.parts.samples, (Bytes{1, 2, 3}));
}

TEST(LayoutKinds, PnmUnsupportedOrMalformedIsRaw) {
  expect_raw(str("P2\n2 1\n255\n1 2\n"), "ASCII PGM");
  expect_raw(str("P3\n1 1\n255\n1 2 3\n"), "ASCII PPM");
  expect_raw(str("P5 3 2 255\n") + iota(5, 0), "short raster");
  expect_raw(str("P5 1 1 0\n") + Bytes{0}, "maxval 0");
  expect_raw(str("P5 1 1 65536\n") + Bytes{0, 0}, "maxval 65536");
  expect_raw(str("P5 0 1 255\n"), "width 0");
  expect_raw(str("P5 1 1 255"), "no whitespace after maxval");
  expect_raw(str("P5 1 1 255#\n") + Bytes{0}, "comment after maxval");
  expect_raw(str("P51 1 255\n") + Bytes{0}, "no separator after the magic");
  expect_raw(str("P5 4294967295 4294967295 65535\n") + Bytes{0}, "huge size");
  expect_raw(str("P5 4294967296 1 255\n") + Bytes{0}, "width over 32 bits");
}

// ---- BMP -------------------------------------------------------------------------------

TEST(LayoutKinds, Bmp3x2BottomUpPaddedRows) {
  const Checked c = round_trip(bmp(bmp_3x2_spec()));
  Layout want;
  want.kind = LayoutKind::bmp;
  want.header_bytes = 54;
  want.payload_bytes = 24;
  want.width = 3;
  want.height = 2;
  want.channels = 3;
  want.bits = 8;
  want.row_stride = 12;
  want.bottom_up = true;
  want.bgr = true;
  EXPECT_EQ(c.layout, want);
  EXPECT_EQ(c.parts.samples, kBmp3x2Samples);
  EXPECT_EQ(c.parts.residue, (Bytes{0xA1, 0xA2, 0xA3, 0xB1, 0xB2, 0xB3}));  // in file order
}

TEST(LayoutKinds, BmpV5TopDownWithGapAndTrailer) {
  const Checked c = round_trip(bmp(bmp_v5_spec()));
  EXPECT_EQ(c.layout.kind, LayoutKind::bmp);
  EXPECT_EQ(c.layout.channels, 3u);
  EXPECT_EQ(c.layout.header_bytes, 14u + 124 + 5);
  EXPECT_EQ(c.layout.row_stride, 8u);
  EXPECT_EQ(c.layout.height, 2u);
  EXPECT_FALSE(c.layout.bottom_up);
  EXPECT_EQ(c.layout.trailer_bytes, 3u);
  EXPECT_EQ(c.parts.samples, (Bytes{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}));
  EXPECT_EQ(c.parts.residue, (Bytes{0, 0, 0, 0}));
}

TEST(LayoutKinds, Bmp8BitGrayPalette) {
  const Checked c = round_trip(bmp(bmp_gray_spec()));
  EXPECT_EQ(c.layout.kind, LayoutKind::bmp);
  EXPECT_EQ(c.layout.channels, 1u);
  EXPECT_EQ(c.layout.header_bytes, 54u + 1024);
  EXPECT_EQ(c.layout.row_stride, 4u);
  EXPECT_TRUE(c.layout.bottom_up);
  EXPECT_FALSE(c.layout.bgr);
  EXPECT_EQ(c.parts.samples, (Bytes{10, 20, 30, 40, 50, 60}));
  EXPECT_EQ(c.parts.residue, (Bytes{0, 0}));
}

TEST(LayoutKinds, BmpUnsupportedOrMalformedIsRaw) {
  auto variant = [](auto edit) {
    BmpSpec s = bmp_3x2_spec();
    edit(s);
    return bmp(s);
  };
  expect_raw(variant([](BmpSpec& s) { s.compression = 1; }), "RLE");
  expect_raw(variant([](BmpSpec& s) { s.compression = 3; }), "bit fields");
  expect_raw(variant([](BmpSpec& s) { s.bits = 32; }), "32-bit");
  expect_raw(variant([](BmpSpec& s) { s.bits = 16; }), "16-bit");
  expect_raw(variant([](BmpSpec& s) { s.planes = 2; }), "2 planes");
  expect_raw(variant([](BmpSpec& s) { s.width = 0; }), "width 0");
  expect_raw(variant([](BmpSpec& s) { s.width = -3; }), "negative width");
  expect_raw(variant([](BmpSpec& s) { s.height = 0; }), "height 0");
  expect_raw(variant([](BmpSpec& s) { s.height = INT32_MIN; }), "height INT32_MIN");
  expect_raw(variant([](BmpSpec& s) { s.height = 3; }), "short raster");
  expect_raw(variant([](BmpSpec& s) { s.pixels.pop_back(); }), "last row's padding missing");
  expect_raw(variant([](BmpSpec& s) { s.width = 0x7FFFFFFF; }), "huge width");
  expect_raw(variant([](BmpSpec& s) { s.info_size = 12; }), "BITMAPCOREHEADER");
  expect_raw(variant([](BmpSpec& s) { s.info_size = 64; }), "OS/2 header");
  BmpSpec colour = bmp_gray_spec();
  colour.palette[4 * 5 + 1] = 99;
  expect_raw(bmp(colour), "colour palette");
  BmpSpec sixteen = bmp_gray_spec();
  sixteen.colors_used = 16;
  expect_raw(bmp(sixteen), "16-colour palette");
  Bytes far_offset = bmp(bmp_3x2_spec());
  test::set_le(far_offset, 10, far_offset.size() + 1, 4);
  expect_raw(far_offset, "pixel offset past the end");
  Bytes low_offset = bmp(bmp_3x2_spec());
  test::set_le(low_offset, 10, 20, 4);
  expect_raw(low_offset, "pixel offset inside the header");
}

// ---- the table ---------------------------------------------------------------------------

// Each kind is found by its value, and no kind's signature takes another's
// file: the order of the table decides nothing.
TEST(LayoutKinds, TableSignaturesAreDisjoint) {
  const Bytes png = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R'};
  std::vector<std::pair<LayoutKind, Bytes>> files = {{LayoutKind::png_pixels, png}};
  for (const Bytes& f : valid_files()) files.emplace_back(detect(f).kind, f);
  for (const FileKind* k : file_kinds()) {
    EXPECT_EQ(file_kind(k->kind), k);
    EXPECT_EQ(layout_is_image(k->kind), k->media == Media::image);
    for (const auto& [kind, f] : files)
      EXPECT_EQ(k->sniff(std::span(f).first(std::min(f.size(), kLayoutSniffBytes))), kind == k->kind)
          << layout_name(Layout{.kind = k->kind}) << " on a file of kind " << static_cast<int>(kind);
  }
  EXPECT_EQ(file_kind(LayoutKind::none), nullptr);
  EXPECT_EQ(file_kind(static_cast<LayoutKind>(5)), nullptr);
}

// ---- robustness --------------------------------------------------------------------------

TEST(LayoutKinds, EveryPrefixRoundTrips) {
  for (const Bytes& f : valid_files()) {
    EXPECT_NE(detect(f).kind, LayoutKind::none);
    for (size_t n = 0; n <= f.size(); ++n) round_trip(Bytes(f.begin(), f.begin() + static_cast<ptrdiff_t>(n)));
  }
}

TEST(LayoutKinds, BitFlipsRoundTrip) {
  std::mt19937_64 rng(7);
  for (const Bytes& f : valid_files()) {
    for (int trial = 0; trial < 2000; ++trial) {
      Bytes g = f;
      const int flips = 1 + static_cast<int>(rng() % 3);
      for (int i = 0; i < flips; ++i) g[rng() % g.size()] ^= static_cast<uint8_t>(1u << (rng() % 8));
      round_trip(g);
    }
  }
}

TEST(LayoutKinds, RandomGarbageRoundTrips) {
  std::mt19937_64 rng(11);
  const std::vector<Bytes> magics = {{}, str("RIFF") + le(32, 4) + str("WAVEfmt "), str("P5 "), str("P6\n"), str("BM")};
  for (int trial = 0; trial < 3000; ++trial) {
    const Bytes& magic = magics[static_cast<size_t>(trial) % magics.size()];
    round_trip(magic + test::random_bytes(rng() % 2000, rng()));
  }
}

TEST(LayoutKinds, SplitRefusesALayoutThatDoesNotFit) {
  const Bytes f = bmp(bmp_3x2_spec());
  const Layout good = detect(f);
  const Bytes shorter(f.begin(), f.end() - 1);
  EXPECT_FALSE(stored_split(shorter, good).ok());
  auto altered = [&](auto edit) {
    Layout l = good;
    edit(l);
    return l;
  };
  const std::vector<Layout> bad = {
      altered([](Layout& l) { l.row_stride = 8; }),  // less than a row
      altered([](Layout& l) { l.height = 3; }),
      altered([](Layout& l) { l.bits = 12; }),
      altered([](Layout& l) { l.channels = 1; }),
      altered([](Layout& l) { l.kind = LayoutKind::none; }),
      altered([](Layout& l) { l.kind = LayoutKind::png_pixels; }),  // not stored in the file
      altered([](Layout& l) { l.kind = static_cast<LayoutKind>(9); }),
      altered([](Layout& l) { l.header_bytes = UINT64_MAX - 5; }),  // the sum overflows
      altered([](Layout& l) {
        l.kind = LayoutKind::wav;
        l.channels = 0;
      }),
  };
  for (const Layout& l : bad) {
    EXPECT_FALSE(stored_split(f, l).ok());
    EXPECT_FALSE(stored_join(l, LayoutParts{}).ok());
  }
}

TEST(LayoutKinds, JoinRefusesPartsOfTheWrongSize) {
  const Bytes f = bmp(bmp_v5_spec());
  const Layout l = detect(f);
  auto parts = stored_split(f, l);
  ASSERT_TRUE(parts.ok());
  for (auto member : {&LayoutParts::header, &LayoutParts::samples, &LayoutParts::residue, &LayoutParts::trailer}) {
    LayoutParts more = *parts, fewer = *parts;
    (more.*member).push_back(0);
    (fewer.*member).pop_back();
    EXPECT_FALSE(stored_join(l, more).ok());
    EXPECT_FALSE(stored_join(l, fewer).ok());
  }
  // Samples and residue trade a byte: the total fits, the shape does not.
  LayoutParts traded = *parts;
  traded.samples.push_back(0);
  traded.residue.pop_back();
  EXPECT_FALSE(stored_join(l, traded).ok());
}

// ---- real files ----------------------------------------------------------------------------

std::vector<std::filesystem::path> shared_files(const char* sub) {
  const std::filesystem::path root = std::filesystem::path(LMZIP_DATA_DIR) / sub;
  std::vector<std::filesystem::path> files;
  std::error_code ec;
  for (const auto& e : std::filesystem::recursive_directory_iterator(root, ec))
    if (e.is_regular_file()) files.push_back(e.path());
  std::sort(files.begin(), files.end());
  return files;
}

// ../shared/data/README.md: the audio is 16-bit PCM WAV, mono.
TEST(LayoutKinds, SharedAudioIsPcm) {
  const auto files = shared_files("audio");
  if (files.empty()) GTEST_SKIP() << LMZIP_DATA_DIR << "/audio is missing";
  for (const auto& path : files) {
    if (path.extension() != ".wav") continue;
    const Bytes f = test::read_bytes(path.string());
    const Checked c = round_trip(f);
    const Layout& l = c.layout;
    std::printf("  %-28s %-9s %u ch %2u bit  header %llu, payload %llu, trailer %llu\n",
                path.filename().c_str(), layout_name(l).c_str(), l.channels, l.bits,
                static_cast<unsigned long long>(l.header_bytes), static_cast<unsigned long long>(l.payload_bytes),
                static_cast<unsigned long long>(l.trailer_bytes));
    EXPECT_EQ(l.kind, LayoutKind::wav) << path;
    EXPECT_EQ(l.channels, 1u) << path;
    EXPECT_EQ(l.bits, 16u) << path;
  }
}

// The images are PNG: neither PNM nor BMP, so raw, and still byte-exact.
TEST(LayoutKinds, SharedImagesRoundTripAsRaw) {
  const auto files = shared_files("image");
  if (files.empty()) GTEST_SKIP() << LMZIP_DATA_DIR << "/image is missing";
  size_t count = 0;
  for (const auto& path : files) {
    const Checked c = round_trip(test::read_bytes(path.string()));
    if (path.extension() == ".png") {
      EXPECT_EQ(c.layout.kind, LayoutKind::none) << path;
      ++count;
    }
  }
  std::printf("  %zu files, %zu PNG, all raw\n", files.size(), count);
}

}  // namespace
}  // namespace lmzip
