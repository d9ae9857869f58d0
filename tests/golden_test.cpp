// Golden files pin the .lmz format (tests/golden/README.md):
//  * valid/NAME.lmz decodes to valid/NAME.out, and, for the version the
//    encoder writes (4), compressing NAME.out with the case's frame split and
//    chunk sizes gives NAME.lmz byte for byte: an encoder change that alters
//    output bytes fails here on purpose (it needs a format decision, then
//    `tests/golden/make_golden.sh`). The files of versions 1 to 3 were written
//    by earlier encoders and are kept as they are (frozen): they must decode;
//  * invalid/NAME.lmz fails with the ErrorCode of the case table.
// The same tables generate the files: GoldenFiles.DISABLED_Regenerate, run by
// make_golden.sh (frozen valid files are read, never rewritten; the invalid
// files made from them come out the same).
#include <gtest/gtest.h>

#include <cstdlib>
#include <functional>

#include "codec/chunk_codec.h"
#include "common/checksum.h"
#include "media_test_models.h"
#include "test_util.h"
#include "v2_frame_util.h"

namespace lmzip::test {
namespace {

const std::string kGoldenDir = std::string(LMZIP_SOURCE_DIR) + "/tests/golden";

struct FrameSpec {
  size_t bytes;  // content bytes in this frame
  uint32_t chunk_size;
};

struct ValidCase {
  const char* name;
  const char* what;
  std::vector<FrameSpec> frames;
  std::function<Bytes()> content;  // only used to (re)generate NAME.out
  // Compresses the content some other way (the test media models, the
  // adaptive stage); null: frame by frame as `frames` says.
  std::function<Bytes(const Bytes&, unsigned threads)> encode = nullptr;
  // Written by an earlier encoder (versions 1 to 3): the file is kept as it
  // is, and only its decoding is checked.
  bool frozen = false;
};

// The test models' 512-byte chunks, given explicitly: image chunks would
// otherwise default to 1 MiB and these small images would be one chunk.
Bytes media_encode_with(const Bytes& content, unsigned threads, bool strips) {
  const LayoutCompressed c = compress_media(content, threads, false, kLayoutMaxBytes, 512, strips);
  if (!c.status.ok() || c.stats.layout == "bytes") std::abort();
  return c.lmz;
}
// Images as a grid of tiles, one per chunk (the first tile order).
Bytes media_encode(const Bytes& content, unsigned threads) { return media_encode_with(content, threads, false); }
// Images as stacked strips (the encoder's default).
Bytes media_encode_strips(const Bytes& content, unsigned threads) { return media_encode_with(content, threads, true); }

// Plain bytes through adaptive stage `stage` (0: the default), alone or with
// order2 as its network (the encoder keeps the smaller coding of each chunk
// unless !try_alone).
Bytes adaptive_encode_with(const Bytes& content, unsigned threads, bool network, uint8_t stage = 0,
                           uint32_t chunk_size = 1024, bool try_alone = true, uint8_t lane_log2 = 14) {
  MemorySource src(content);
  MemorySink sink;
  CompressOptions o;
  o.model = pooled_order2();
  o.chunk_size = chunk_size;
  o.threads = threads;
  o.adaptive = true;
  o.adaptive_network = network;
  o.adaptive_stage = stage;
  o.adaptive_try_alone = try_alone;
  o.adaptive_lane_log2 = lane_log2;
  if (!compress(src, sink, o).ok()) std::abort();
  return sink.bytes();
}
Bytes adaptive_encode(const Bytes& content, unsigned threads) { return adaptive_encode_with(content, threads, false); }
// The adaptive stage alone on a chunk that is the whole content (a frame of
// one chunk; chunk size 0: the default).
Bytes adaptive_one_chunk_encode(const Bytes& content, unsigned threads) {
  return adaptive_encode_with(content, threads, false, 0, 0);
}
Bytes adaptive_network_encode(const Bytes& content, unsigned threads) {
  return adaptive_encode_with(content, threads, true);
}
Bytes fast_stage_encode(const Bytes& content, unsigned threads) {
  return adaptive_encode_with(content, threads, false, kAdaptiveStageFast);
}
Bytes lanes_encode(const Bytes& content, unsigned threads) {
  return adaptive_encode_with(content, threads, true, 0, 40000, false);
}

Bytes cat(std::initializer_list<Bytes> parts) {
  Bytes b;
  for (const auto& p : parts) b.insert(b.end(), p.begin(), p.end());
  return b;
}

const std::vector<ValidCase>& valid_cases() {
  static const std::vector<ValidCase> cases = {
      {"empty", "no content: a header and a frame end", {{0, 1024}}, [] { return Bytes{}; }, nullptr, true},
      {"one_byte", "one byte: one partial stored chunk", {{1, 1024}}, [] { return to_bytes("Z"); }, nullptr, true},
      {"one_chunk", "300 bytes of text: one partial modelled chunk", {{300, 4096}},
       [] { return text_like(300, 101); }, nullptr, true},
      {"full_chunk", "256 bytes of text, chunk size 256: one full chunk, no partial", {{256, 256}},
       [] { return text_like(256, 102); }, nullptr, true},
      {"several_chunks", "700 bytes of text, chunk size 256: two full modelled chunks and a partial one",
       {{700, 256}}, [] { return text_like(700, 103); }, nullptr, true},
      {"stored_chunks", "300 random bytes, chunk size 128: stored chunks, the last partial", {{300, 128}},
       [] { return random_bytes(300, 104); }, nullptr, true},
      {"mixed_modes", "text, random, text; chunk size 100: modelled and stored chunks", {{500, 100}},
       [] { return cat({text_like(200, 105), random_bytes(100, 106), text_like(200, 107)}); }, nullptr, true},
      {"zeros", "600 zero bytes, chunk size 256: modelled chunks with empty payloads", {{600, 256}},
       [] { return Bytes(600, 0); }, nullptr, true},
      {"chunk_size_one", "NUL a NUL, chunk size 1: three full one-byte stored chunks", {{3, 1}},
       [] { return Bytes{0, 'a', 0}; }, nullptr, true},
      {"all_bytes", "the 256 byte values in order, chunk size 256: one full stored chunk", {{256, 256}},
       [] {
         Bytes b(256);
         for (int i = 0; i < 256; ++i) b[i] = static_cast<uint8_t>(i);
         return b;
       }, nullptr, true},
      {"two_frames", "two frames (chunk sizes 128 and 4096): decode to the concatenation",
       {{300, 128}, {200, 4096}}, [] { return cat({text_like(300, 108), text_like(200, 109)}); }, nullptr, true},
      // Version 2: layouts, with the test models (order2 in slot 0, a test media model in slot 1).
      {"v2_wav_stereo16", "version 2: a 16-bit stereo WAV (700 frames, a LIST chunk, 5 trailing bytes), test-audio16",
       {{2867, 512}}, [] { return make_wav(2, 16, 700, 21, to_bytes("tail!"), true); }, media_encode, true},
      {"v2_pgm_tiles", "version 2: a 37 x 23 PGM, tiles 16 wide (the right ones padded), test-image-gray",
       {{877, 512}}, [] { return make_pnm(37, 23, 1, 22); }, media_encode, true},
      {"v2_bmp_rgb", "version 2: a 13 x 11 24-bit BMP, bottom-up, padded rows, test-image-rgb",
       {{494, 512}}, [] { return make_bmp(13, 11, 3, false, 23); }, media_encode, true},
      {"v2_pgm_strips", "version 2: the 37 x 23 PGM as 3 strips 16 wide stacked (69 rows), chunks of 32 rows, test-image-gray",
       {{877, 512}}, [] { return make_pnm(37, 23, 1, 22); }, media_encode_strips, true},
      // Version 3: the adaptive stage (order2 in slot 0).
      {"v3_adaptive", "version 3: 3000 bytes of text, chunk size 1024: chunks coded by the adaptive stage alone",
       {{3000, 1024}}, [] { return text_like(3000, 110); }, adaptive_encode, true},
      {"v3_adaptive_network",
       "version 3: text then random bytes, chunk size 1024: the adaptive stage with order2 as its network or "
       "alone, whichever is smaller, and a stored chunk",
       {{2500, 1024}}, [] { return cat({text_like(2000, 111), random_bytes(500, 112)}); }, adaptive_network_encode, true},
      // Version 4 (what the encoder writes): order2 by its shipped id; the
      // media models of the test (not shipped) by name and identity.
      {"v4_empty", "version 4: no content: a header and a frame end", {{0, 1024}}, [] { return Bytes{}; }},
      {"v4_one_byte", "version 4: one byte: a frame of one chunk, stored and partial (no chunk checksum)", {{1, 1024}},
       [] { return to_bytes("Z"); }},
      {"v4_one_chunk", "version 4: 300 bytes of text: a frame of one chunk, modelled and partial", {{300, 4096}},
       [] { return text_like(300, 101); }},
      {"v4_full_chunk", "version 4: 256 bytes of text, chunk size 256: a frame of one full chunk", {{256, 256}},
       [] { return text_like(256, 102); }},
      {"v4_several_chunks", "version 4: 700 bytes of text, chunk size 256: two full modelled chunks and a partial one",
       {{700, 256}}, [] { return text_like(700, 103); }},
      {"v4_mixed_modes", "version 4: text, random, text; chunk size 100 (a varint): modelled and stored chunks",
       {{500, 100}}, [] { return cat({text_like(200, 105), random_bytes(100, 106), text_like(200, 107)}); }},
      {"v4_two_frames", "version 4: two frames (chunk sizes 128 and 5000): decode to the concatenation",
       {{300, 128}, {200, 5000}}, [] { return cat({text_like(300, 108), text_like(200, 109)}); }},
      {"v4_pgm_strips", "version 4: the 37 x 23 PGM as strips, test-image-gray named in full", {{877, 512}},
       [] { return make_pnm(37, 23, 1, 22); }, media_encode_strips},
      {"v4_bmp_rgb", "version 4: a 13 x 11 24-bit BMP as grid tiles, test-image-rgb", {{494, 512}},
       [] { return make_bmp(13, 11, 3, false, 23); }, media_encode},
      {"v4_wav_stereo16", "version 4: a 16-bit stereo WAV, test-audio16", {{2867, 512}},
       [] { return make_wav(2, 16, 700, 21, to_bytes("tail!"), true); }, media_encode},
      {"v4_adaptive", "version 4: 3000 bytes of text, chunk size 1024: the adaptive stage alone", {{3000, 1024}},
       [] { return text_like(3000, 110); }, adaptive_encode},
      {"v4_adaptive_network",
       "version 4: text then random bytes, chunk size 1024: the adaptive stage with order2 or alone, and a stored chunk",
       {{2500, 1024}}, [] { return cat({text_like(2000, 111), random_bytes(500, 112)}); }, adaptive_network_encode},
      {"v4_adaptive_one_chunk", "version 4: 1000 bytes of text, the adaptive stage alone in a frame of one chunk",
       {{1000, 1u << 20}}, [] { return text_like(1000, 113); }, adaptive_one_chunk_encode},
      {"v4_stage3", "version 4: 3000 bytes of text, chunk size 1024: adaptive stage 3 (the fast one) alone",
       {{3000, 1024}}, [] { return text_like(3000, 115); }, fast_stage_encode},
      {"v4_lanes",
       "version 4: 40000 bytes of text, one chunk: adaptive stage 2 with order2 as its network (the stage alone "
       "not tried), the chunk in two lanes",
       {{40000, 40000}}, [] { return text_like(40000, 114); }, lanes_encode},
      {"v4_zeros", "version 4: 600 zero bytes, chunk size 256: modelled chunks, their payloads a few bytes (exact ends)",
       {{600, 256}}, [] { return Bytes(600, 0); }},
      // Version 4 before exact payload ends (descriptor bit 7 clear: payloads
      // without their trailing zero bytes), as the encoder wrote them until then.
      {"v4_trimmed_several_chunks", "version 4, trimmed payload ends: v4_several_chunks as first written",
       {{700, 256}}, [] { return text_like(700, 103); }, nullptr, true},
      {"v4_trimmed_wav_stereo16", "version 4, trimmed payload ends: v4_wav_stereo16 as first written", {{2867, 512}},
       [] { return make_wav(2, 16, 700, 21, to_bytes("tail!"), true); }, media_encode, true},
      {"v4_trimmed_adaptive_network", "version 4, trimmed payload ends: v4_adaptive_network as first written",
       {{2500, 1024}}, [] { return cat({text_like(2000, 111), random_bytes(500, 112)}); }, adaptive_network_encode,
       true},
      {"v4_trimmed_lanes", "version 4, trimmed payload ends: v4_lanes as first written", {{40000, 40000}},
       [] { return text_like(40000, 114); }, lanes_encode, true},
      // Version 4 before the adaptive size check (stage byte bit 7 clear).
      {"v4_unchecked_adaptive", "version 4, no size check: v4_adaptive as written before it", {{3000, 1024}},
       [] { return text_like(3000, 110); }, adaptive_encode, true},
      {"v4_unchecked_stage3", "version 4, no size check: v4_stage3 as written before it", {{3000, 1024}},
       [] { return text_like(3000, 115); }, fast_stage_encode, true},
      {"v4_unchecked_lanes", "version 4, no size check: v4_lanes as written before it", {{40000, 40000}},
       [] { return text_like(40000, 114); }, lanes_encode, true},
  };
  return cases;
}

Bytes encode_case(const ValidCase& c, const Bytes& content, unsigned threads = 1) {
  if (c.encode) return c.encode(content, threads);
  Bytes out;
  size_t at = 0;
  for (const FrameSpec& f : c.frames) {
    const Bytes frame = compress_bytes({content.data() + at, f.bytes}, f.chunk_size, threads);
    out.insert(out.end(), frame.begin(), frame.end());
    at += f.bytes;
  }
  EXPECT_EQ(at, content.size()) << c.name;
  return out;
}

std::string valid_path(const std::string& name, const char* ext) { return kGoldenDir + "/valid/" + name + ext; }
std::string invalid_path(const std::string& name) { return kGoldenDir + "/invalid/" + name + ".lmz"; }

const ValidCase& valid_case(const std::string& name) {
  for (const auto& c : valid_cases())
    if (c.name == name) return c;
  std::abort();
}

// A valid case's frames: the file of a frozen case, else the encoder's output.
Bytes case_bytes(const ValidCase& c) {
  return c.frozen ? read_bytes(valid_path(c.name, ".lmz")) : encode_case(c, c.content());
}

// ---- invalid files: each made from a valid one by one edit ------------------------

struct InvalidCase {
  const char* name;
  ErrorCode code;
  const char* reason;
  const char* message;  // part of the error message
  std::function<Bytes()> make;
};

// The several_chunks frame (version 1): three modelled chunks (256, 256, partial 188).
Bytes base() { return case_bytes(valid_case("several_chunks")); }

Bytes edit_header(const std::function<void(Bytes&, const FrameLayout&)>& fn, bool fix = true) {
  Bytes b = base();
  const auto f = layout_parse(b)[0];
  fn(b, f);
  if (fix) header_checksum_fix(b, f);
  return b;
}

Bytes edit(const std::function<void(Bytes&, const FrameLayout&)>& fn) {
  return edit_header(fn, false);
}

constexpr size_t kPgm = 12, kBmp = 13;  // v2 cases in valid_cases()
constexpr size_t kV3 = 16;               // v3_adaptive

// Offsets in the v3 frames (one model, order2, name length 6): the adaptive
// stage byte, the header checksum, the first chunk record.
constexpr size_t kV3StageAt = 50, kV3SumAt = 52, kV3FirstRecord = 56;

// An edit of v3_adaptive; the header checksum fixed when `fix`.
Bytes edit_v3(const std::function<void(Bytes&)>& fn, bool fix) {
  Bytes b = case_bytes(valid_cases()[kV3]);
  fn(b);
  if (fix) set_le(b, kV3SumAt, checksum32({b.data(), kV3SumAt}), 4);
  return b;
}

// An edit of the version 2 valid case `index`; the header checksum fixed unless !fix.
Bytes edit_v2(size_t index, const std::function<void(Bytes&, const V2Layout&)>& fn, bool fix = true) {
  Bytes b = case_bytes(valid_cases()[index]);
  const V2Layout f = v2_parse(b);
  fn(b, f);
  if (fix) v2_header_checksum_fix(b, f);
  return b;
}

// An edit of the version 4 valid case `name`; the header checksum fixed unless !fix.
Bytes edit_v4(const char* name, const std::function<void(Bytes&, const FrameLayout&)>& fn, bool fix = true) {
  Bytes b = case_bytes(valid_case(name));
  const FrameLayout f = layout_parse(b)[0];
  fn(b, f);
  if (fix) header_checksum_fix(b, f);
  return b;
}

// Replaces b[from, to) by `with`.
void splice(Bytes& b, size_t from, size_t to, const Bytes& with) {
  b.erase(b.begin() + static_cast<long>(from), b.begin() + static_cast<long>(to));
  b.insert(b.begin() + static_cast<long>(from), with.begin(), with.end());
}

Bytes varint_bytes(uint64_t v) {
  Bytes b;
  put_varint(b, v);
  return b;
}

// A payload of the base's chunk 1 whose last byte is changed so that the
// symbols decode the same (the slack at the end of a range code): the
// content checksum passes, only the uniqueness rule rejects it.
Bytes tail_slack() {
  Bytes b = base();
  const auto f = layout_parse(b)[0];
  for (const auto& r : f.records) {
    const size_t last = r.payload_offset + r.payload_size - 1;
    const Bytes content_want = [&] {
      Bytes c(r.content_size);
      chunk_decode(*pooled_order2()->make_predictor(), {b.data() + r.payload_offset, r.payload_size}, c, false);
      return c;
    }();
    for (int v = 1; v < 256; ++v) {
      if (v == b[last]) continue;
      Bytes t = b;
      t[last] = static_cast<uint8_t>(v);
      Bytes c(r.content_size);
      const bool canonical =
          chunk_decode(*pooled_order2()->make_predictor(), {t.data() + r.payload_offset, r.payload_size}, c, false);
      if (!canonical && c == content_want) return t;
    }
  }
  ADD_FAILURE() << "no chunk of the base has slack in its last byte";
  return b;
}

// The payload of chunk 0 with a zero byte appended (payload size + 1).
Bytes trailing_zero_in_payload() {
  Bytes b = base();
  const auto f = layout_parse(b)[0];
  const auto& r = f.records[0];
  b.insert(b.begin() + static_cast<long>(r.payload_offset + r.payload_size), 0);
  splice(b, r.payload_size_offset, r.checksum_offset, varint_bytes(r.payload_size + 1));
  return b;
}

// Valid case `name` (one partial chunk, its size an exponent) forged to claim
// a whole chunk of 2^26 bytes, the header checksum fixed (issue 15, failure 2).
Bytes claims_64_mib(const char* name) {
  return edit_v4(name, [](Bytes& b, const FrameLayout& f) {
    const auto& r = f.records[0];
    if (!(f.descriptor & 0x40) || !(r.tag & 4)) std::abort();  // an exponent; partial
    b[f.chunk_size_offset] = 26;
    b[r.offset] &= uint8_t(~4);
    splice(b, r.size_offset, r.payload_size_offset, {});
  });
}

const std::vector<InvalidCase>& invalid_cases() {
  using E = ErrorCode;
  static const std::vector<InvalidCase> cases = {
      {"empty_file", E::truncated, "zero bytes", "the input is empty", [] { return Bytes{}; }},
      {"bad_magic", E::bad_magic, "first byte 0x88 instead of 0x89", "wrong magic bytes at offset 0",
       [] { return edit([](Bytes& b, const FrameLayout&) { b[0] = 0x88; }); }},
      {"gzip_file", E::bad_magic, "a gzip header", "not an lmzip file",
       [] { return Bytes{0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 3, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0}; }},
      {"version_0", E::unsupported_version, "version byte 0", "format version 0 is not supported",
       [] { return edit_header([](Bytes& b, const FrameLayout&) { b[4] = 0; }); }},
      {"version_4", E::corrupt,
       "version byte 4 (header checksum fixed for version 1): read as version 4 (name length 6 as shipped model 6), "
       "its header checksum fails",
       "frame header checksum mismatch", [] { return edit_header([](Bytes& b, const FrameLayout&) { b[4] = 4; }); }},
      {"flags_set", E::corrupt, "reserved flags byte 0x01 (header checksum fixed)", "reserved header flags are set",
       [] { return edit_header([](Bytes& b, const FrameLayout&) { b[5] = 1; }); }},
      {"header_checksum", E::corrupt, "header checksum off by one bit", "frame header checksum mismatch",
       [] { return edit([](Bytes& b, const FrameLayout& f) { b[f.header_checksum_offset] ^= 1; }); }},
      {"header_bit_flip", E::corrupt, "a bit of the model identity flipped, checksum not fixed", "frame header checksum mismatch",
       [] { return edit([](Bytes& b, const FrameLayout& f) { b[f.identity_offset + 5] ^= 8; }); }},
      {"name_length_0", E::corrupt, "model name length 0", "invalid model name length",
       [] { return edit([](Bytes& b, const FrameLayout&) { b[6] = 0; }); }},
      {"name_length_65", E::corrupt, "model name length 65", "invalid model name length",
       [] { return edit([](Bytes& b, const FrameLayout&) { b[6] = 65; }); }},
      {"name_with_space", E::corrupt, "model name 'ord r2' (a space; header checksum fixed)", "invalid model name",
       [] { return edit_header([](Bytes& b, const FrameLayout&) { b[10] = ' '; }); }},
      {"chunk_size_0", E::corrupt, "chunk size 0 (header checksum fixed)", "invalid chunk size",
       [] { return edit_header([](Bytes& b, const FrameLayout& f) { set_le(b, f.chunk_size_offset, 0, 4); }); }},
      {"chunk_size_2p26_plus_1", E::corrupt, "chunk size 2^26 + 1 (header checksum fixed)", "invalid chunk size",
       [] {
         return edit_header(
             [](Bytes& b, const FrameLayout& f) { set_le(b, f.chunk_size_offset, (1u << 26) + 1, 4); });
       }},
      {"chunk_size_2p31", E::corrupt, "chunk size 2^31 (header checksum fixed)", "invalid chunk size",
       [] {
         return edit_header([](Bytes& b, const FrameLayout& f) { set_le(b, f.chunk_size_offset, 1u << 31, 4); });
       }},
      {"model_unknown", E::model_not_found, "model name 'nosuch' (header checksum fixed)", "needs model 'nosuch'",
       [] {
         return edit_header([](Bytes& b, const FrameLayout&) {
           const std::string n = "nosuch";
           std::copy(n.begin(), n.end(), b.begin() + 7);
         });
       }},
      {"model_identity", E::model_mismatch, "order2 with another SHA-256 (header checksum fixed)", "needs model 'order2'",
       [] { return edit_header([](Bytes& b, const FrameLayout& f) { b[f.identity_offset] ^= 0xFF; }); }},
      {"tag_reserved_bit", E::corrupt, "chunk tag with bit 3 set", "reserved bits set in a chunk header",
       [] { return edit([](Bytes& b, const FrameLayout& f) { b[f.records[0].offset] |= 8; }); }},
      {"tag_mode_3", E::corrupt, "chunk tag with mode 3", "unknown chunk mode 3",
       [] { return edit([](Bytes& b, const FrameLayout& f) { b[f.records[0].offset] |= 3; }); }},
      {"end_tag_partial_bit", E::corrupt, "frame end tag 0x04", "reserved bits set in the frame end",
       [] { return edit([](Bytes& b, const FrameLayout& f) { b[f.end_offset] = 4; }); }},
      {"partial_size_0", E::corrupt, "partial chunk size 0", "invalid size of a partial chunk",
       [] {
         return edit([](Bytes& b, const FrameLayout& f) {
           const auto& r = f.records[2];
           splice(b, r.size_offset, r.payload_size_offset, varint_bytes(0));
         });
       }},
      {"partial_size_c", E::corrupt, "partial chunk size equal to the chunk size", "invalid size of a partial chunk",
       [] {
         return edit([](Bytes& b, const FrameLayout& f) {
           const auto& r = f.records[2];
           splice(b, r.size_offset, r.payload_size_offset, varint_bytes(f.chunk_size));
         });
       }},
      {"varint_not_minimal", E::corrupt, "a payload size varint padded with a zero byte",
       "non-minimal number",
       [] {
         return edit([](Bytes& b, const FrameLayout& f) {
           const auto& r = f.records[0];
           // The same value with a padding byte: set the continuation bit on
           // the last byte and append a zero.
           Bytes v;
           for (size_t i = r.payload_size_offset; i < r.checksum_offset; ++i) v.push_back(b[i]);
           v.push_back(0x00);
           v[v.size() - 2] |= 0x80;
           splice(b, r.payload_size_offset, r.checksum_offset, v);
         });
       }},
      {"varint_6_bytes", E::corrupt, "a payload size varint of 6 bytes", "over-long number",
       [] {
         return edit([](Bytes& b, const FrameLayout& f) {
           const auto& r = f.records[0];
           splice(b, r.payload_size_offset, r.checksum_offset, Bytes{0x80, 0x80, 0x80, 0x80, 0x80, 0x01});
         });
       }},
      {"varint_2p32", E::corrupt, "a payload size varint of 2^32", "over-long number",
       [] {
         return edit([](Bytes& b, const FrameLayout& f) {
           const auto& r = f.records[0];
           splice(b, r.payload_size_offset, r.checksum_offset, varint_bytes(1ull << 32));
         });
       }},
      {"modelled_not_smaller", E::corrupt, "a modelled payload size equal to the content size", "not smaller than its content",
       [] {
         return edit([](Bytes& b, const FrameLayout& f) {
           const auto& r = f.records[0];
           splice(b, r.payload_size_offset, r.checksum_offset, varint_bytes(r.content_size));
         });
       }},
      {"chunk_after_partial", E::corrupt, "the partial chunk's record repeated after it", "a chunk follows a partial chunk",
       [] {
         return edit([](Bytes& b, const FrameLayout& f) {
           const Bytes rec(b.begin() + static_cast<long>(f.records[2].offset), b.begin() + static_cast<long>(f.end_offset));
           b.insert(b.begin() + static_cast<long>(f.end_offset), rec.begin(), rec.end());
         });
       }},
      {"chunk_checksum", E::corrupt, "chunk 1's checksum off by one bit", "in chunk 1",
       [] { return edit([](Bytes& b, const FrameLayout& f) { b[f.records[1].checksum_offset + 3] ^= 0x80; }); }},
      {"payload_damaged", E::corrupt, "a bit flipped inside chunk 0's payload", "in chunk 0",
       [] { return edit([](Bytes& b, const FrameLayout& f) { b[f.records[0].payload_offset + 3] ^= 0x10; }); }},
      {"payload_tail_slack", E::corrupt,
       "a last payload byte changed so that the content still decodes right (not the unique coding)", "in chunk 0",
       tail_slack},
      {"payload_trailing_zero", E::corrupt, "chunk 0's payload with a zero byte appended (not the unique coding)", "in chunk 0",
       trailing_zero_in_payload},
      {"stored_checksum", E::corrupt, "a stored chunk whose content fails its checksum", "in chunk 1",
       [] {
         Bytes b = case_bytes(valid_case("stored_chunks"));
         b[layout_parse(b)[0].records[1].payload_offset + 7] ^= 1;
         return b;
       }},
      {"end_size", E::corrupt, "frame end size one more than the chunks hold", "the frame end records a different size",
       [] { return edit([](Bytes& b, const FrameLayout& f) { b[f.end_offset + 1] ^= 1; }); }},
      {"end_checksum", E::corrupt, "frame end checksum off by one bit", "whole-content checksum mismatch",
       [] { return edit([](Bytes& b, const FrameLayout& f) { b[f.end_offset + 16] ^= 1; }); }},
      {"truncated_header", E::truncated, "cut inside the header", "ends inside the frame header",
       [] { return edit([](Bytes& b, const FrameLayout&) { b.resize(20); }); }},
      {"truncated_record", E::truncated, "cut inside a chunk record header", "ends inside a chunk header",
       [] { return edit([](Bytes& b, const FrameLayout& f) { b.resize(f.records[1].offset + 2); }); }},
      {"truncated_payload", E::truncated, "cut inside a payload", "ends inside a chunk at",
       [] { return edit([](Bytes& b, const FrameLayout& f) { b.resize(f.records[1].payload_offset + 5); }); }},
      {"truncated_end", E::truncated, "cut inside the frame end", "ends inside the frame end",
       [] { return edit([](Bytes& b, const FrameLayout& f) { b.resize(f.end_offset + 9); }); }},
      {"no_frame_end", E::truncated, "the frame end missing", "ends inside a chunk header",
       [] { return edit([](Bytes& b, const FrameLayout& f) { b.resize(f.end_offset); }); }},
      {"trailing_garbage", E::bad_magic, "a valid frame, then 'garbage'", "wrong magic bytes at offset 513",
       [] { return cat({base(), to_bytes("garbage")}); }},
      {"trailing_zeros", E::bad_magic, "a valid frame, then 16 zero bytes", "wrong magic bytes at offset 513",
       [] { return cat({base(), Bytes(16, 0)}); }},
      {"trailing_magic", E::truncated, "a valid frame, then a lone magic number", "ends inside the frame header at offset 517",
       [] { return cat({base(), Bytes{0x89, 'L', 'M', 'Z'}}); }},
      {"second_frame_corrupt", E::corrupt, "a valid frame, then a frame with a bad header checksum", "at offset 566: frame header checksum mismatch",
       [] {
         Bytes second = base();
         second[layout_parse(second)[0].header_checksum_offset] ^= 4;
         return cat({base(), second});
       }},
      // Version 2 (edits of valid/v2_pgm_tiles.lmz or valid/v2_bmp_rgb.lmz).
      {"v2_model_count_0", E::corrupt, "v2: model count 0", "invalid model count",
       [] { return edit_v2(kPgm, [](Bytes& b, const V2Layout&) { b[6] = 0; }); }},
      {"v2_model_count_9", E::corrupt, "v2: model count 9", "invalid model count",
       [] { return edit_v2(kPgm, [](Bytes& b, const V2Layout&) { b[6] = 9; }); }},
      {"v2_model_unknown", E::model_not_found, "v2: slot 1's model renamed 'test-image-grey' (checksum fixed)",
       "needs model 'test-image-grey'",
       [] { return edit_v2(kPgm, [](Bytes& b, const V2Layout& f) { b[f.model_at[1] + 1 + 13] = 'e'; }); }},
      {"v2_layout_kind_5", E::corrupt, "v2: layout kind 5 (checksum fixed)", "unknown layout kind 5",
       [] { return edit_v2(kPgm, [](Bytes& b, const V2Layout& f) { b[f.layout_offset] = 5; }); }},
      {"v2_layout_kind_bmp", E::corrupt, "v2: the PGM's layout kind changed to BMP (checksum fixed)",
       "is not the layout of the file it rebuilds",
       [] { return edit_v2(kPgm, [](Bytes& b, const V2Layout& f) { b[f.layout_offset] = 3; }); }},
      {"v2_payload_size", E::corrupt, "v2: payload size one more (checksum fixed)", "row stride disagrees",
       [] { return edit_v2(kPgm, [](Bytes& b, const V2Layout& f) { b[f.layout_offset + 9] += 1; }); }},
      {"v2_layout_2p31", E::corrupt, "v2: header size 2^31 (checksum fixed)", "exceed 2^31",
       [] { return edit_v2(kPgm, [](Bytes& b, const V2Layout& f) { set_le(b, f.layout_offset + 1, 1ull << 31, 8); }); }},
      {"v2_tile_width_0", E::corrupt, "v2: tile width 0 (checksum fixed)", "tile width 0",
       [] { return edit_v2(kPgm, [](Bytes& b, const V2Layout& f) { set_le(b, f.layout_offset + 40, 0, 4); }); }},
      {"v2_tile_width_15", E::corrupt, "v2: tile width 15 instead of 16 (checksum fixed): chunks of other sizes",
       "the frame's layout",
       [] { return edit_v2(kPgm, [](Bytes& b, const V2Layout& f) { set_le(b, f.layout_offset + 40, 15, 4); }); }},
      {"v2_image_flags", E::corrupt, "v2: image flags bit 3 (checksum fixed)", "reserved image layout flags",
       [] { return edit_v2(kBmp, [](Bytes& b, const V2Layout& f) { b[f.layout_offset + 39] |= 8; }); }},
      {"v2_strips_flag", E::corrupt, "v2: the grid-tiled PGM marked as strips (checksum fixed): chunks of other sizes",
       "the frame's layout", [] { return edit_v2(kPgm, [](Bytes& b, const V2Layout& f) { b[f.layout_offset + 39] |= 4; }); }},
      {"v2_top_down", E::corrupt, "v2: the BMP's bottom-up flag cleared (checksum fixed)", "whole-content checksum mismatch",
       [] { return edit_v2(kBmp, [](Bytes& b, const V2Layout& f) { b[f.layout_offset + 39] &= 0xFE; }); }},
      {"v2_slot_2", E::corrupt, "v2: a chunk tag naming model slot 2 of 2", "names model slot 2",
       [] { return edit_v2(kPgm, [](Bytes& b, const V2Layout& f) { b[f.records[1].offset] = (b[f.records[1].offset] & 7) | 16; }, false); }},
      {"v2_slot_swapped", E::corrupt, "v2: a tile's chunk tag naming slot 0 (order2) instead of 1", "checksum mismatch in chunk 1",
       [] { return edit_v2(kPgm, [](Bytes& b, const V2Layout& f) { b[f.records[1].offset] &= 7; }, false); }},
      {"v2_stored_slot", E::corrupt, "v2: a stored chunk naming slot 1", "a stored chunk names a model slot",
       [] {
         return edit_v2(kPgm, [](Bytes& b, const V2Layout& f) {
           for (const auto& r : f.records) if ((r.tag & 3) == 1) { b[r.offset] |= 8; return; }
           std::abort();
         }, false);
       }},
      {"v2_mode_3", E::corrupt, "v2: a chunk tag with mode 3 (adaptive, which only version 3 has)",
       "unknown chunk mode 3",
       [] { return edit_v2(kPgm, [](Bytes& b, const V2Layout& f) { b[f.records[0].offset] |= 3; }, false); }},
      {"v3_stage_5", E::unsupported_version, "v3: adaptive stage 5 (checksum fixed)", "needs adaptive stage 5",
       [] { return edit_v3([](Bytes& b) { b[kV3StageAt] = 5; }, true); }},
      {"v3_stage_0", E::corrupt, "v3: adaptive stage 0 (checksum fixed)", "names no adaptive stage",
       [] { return edit_v3([](Bytes& b) { b[kV3StageAt] = 0; }, true); }},
      {"v3_tag_bit_7", E::corrupt, "v3: chunk tag bit 7 set", "reserved bits set in a chunk header",
       [] { return edit_v3([](Bytes& b) { b[kV3FirstRecord] |= 0x80; }, false); }},
      {"v3_alone_modelled", E::corrupt, "v3: an adaptive chunk coded alone turned into mode 2",
       "not adaptive has the alone flag", [] {
         return edit_v3([](Bytes& b) {
           if ((b[kV3FirstRecord] & 0x43) != 0x43) std::abort();
           b[kV3FirstRecord] ^= 1;
         }, false);
       }},
      {"v3_payload_damaged", E::corrupt, "v3: a bit of the first adaptive payload flipped", "checksum mismatch in chunk 0",
       [] {
         return edit_v3([](Bytes& b) {
           if (!(b[kV3FirstRecord + 1] & 0x80)) std::abort();  // a two-byte payload size
           b[kV3FirstRecord + 1 + 2 + 4 + 10] ^= 0x10;
         }, false);
       }},
      {"v2_tag_bit_6", E::corrupt, "v2: chunk tag bit 6 set", "reserved bits set in a chunk header",
       [] { return edit_v2(kPgm, [](Bytes& b, const V2Layout& f) { b[f.records[0].offset] |= 0x40; }, false); }},
      {"v2_missing_chunk", E::corrupt, "v2: the last tile's chunk removed", "before its layout's last chunk",
       [] {
         return edit_v2(kPgm, [](Bytes& b, const V2Layout& f) {
           b.erase(b.begin() + static_cast<long>(f.records.back().offset), b.begin() + static_cast<long>(f.end_offset));
         }, false);
       }},
      {"v2_extra_chunk", E::corrupt, "v2: the last tile's chunk repeated", "more chunks than the frame's layout holds",
       [] {
         return edit_v2(kPgm, [](Bytes& b, const V2Layout& f) {
           const Bytes rec(b.begin() + static_cast<long>(f.records.back().offset), b.begin() + static_cast<long>(f.end_offset));
           b.insert(b.begin() + static_cast<long>(f.end_offset), rec.begin(), rec.end());
         }, false);
       }},
      {"v2_end_size", E::corrupt, "v2: frame end size one less than the file's", "different size than its layout",
       [] { return edit_v2(kPgm, [](Bytes& b, const V2Layout& f) { b[f.end_offset + 1] ^= 1; }, false); }},
      {"v2_truncated_layout", E::truncated, "v2: cut inside the layout block", "ends inside the frame header",
       [] { return edit_v2(kPgm, [](Bytes& b, const V2Layout& f) { b.resize(f.layout_offset + 12); }, false); }},
      // Version 4 (edits of valid/v4_*.lmz).
      {"v4_version_5", E::unsupported_version, "v4: version byte 5 (checksum fixed)",
       "format version 5 is not supported (this lmzip reads versions 1 to 4)",
       [] { return edit_v4("v4_several_chunks", [](Bytes& b, const FrameLayout&) { b[4] = 5; }); }},
      {"v4_header_checksum", E::corrupt, "v4: header checksum off by one bit", "frame header checksum mismatch",
       [] {
         return edit_v4("v4_several_chunks",
                        [](Bytes& b, const FrameLayout& f) { b[f.header_checksum_offset + 1] ^= 0x10; }, false);
       }},
      {"v4_payload_cut", E::corrupt, "v4: chunk 0's payload without its last byte (an exact end: the decoder would read past it)",
       "checksum mismatch in chunk 0",
       [] {
         return edit_v4("v4_several_chunks", [](Bytes& b, const FrameLayout& f) {
           const auto& r = f.records[0];
           b.erase(b.begin() + static_cast<long>(r.payload_offset + r.payload_size - 1));
           splice(b, r.payload_size_offset, r.checksum_offset, varint_bytes(r.payload_size - 1));
         }, false);
       }},
      {"v4_claims_64_mib", E::corrupt,
       "v4 [v4_one_chunk]: chunk size 2^26 and the record no longer partial: 300 bytes' payload claims 64 MiB "
       "(checksum fixed); the decoder stops where it would read past the payload",
       "checksum mismatch in chunk 0",
       [] {
         return claims_64_mib("v4_one_chunk");
       }},
      {"v4_shipped_id_200", E::model_not_found, "v4: shipped model id 200, which no model has (checksum fixed)",
       "needs shipped model number 200",
       [] { return edit_v4("v4_several_chunks", [](Bytes& b, const FrameLayout& f) { b[f.model_at[0]] = 200; }); }},
      {"v4_identity_prefix", E::model_mismatch, "v4: a bit of order2's identity prefix flipped (checksum fixed)",
       "needs model 'order2' (sha256 ",
       [] { return edit_v4("v4_several_chunks", [](Bytes& b, const FrameLayout& f) { b[f.identity_offset + 2] ^= 4; }); }},
      {"v4_shipped_as_other", E::model_mismatch,
       "v4: order2's id changed to lmzip-text-200k's, its prefix kept (checksum fixed)", "(sha256 ",
       [] { return edit_v4("v4_several_chunks", [](Bytes& b, const FrameLayout& f) { b[f.model_at[0]] = 2; }); }},
      {"v4_named_unknown", E::model_not_found, "v4 [v4_pgm_strips]: slot 1's model (named in full) renamed 'test-image-grey' (checksum fixed)",
       "needs model 'test-image-grey'",
       [] { return edit_v4("v4_pgm_strips", [](Bytes& b, const FrameLayout& f) { b[f.model_at[1] + 2 + 13] = 'e'; }); }},
      {"v4_name_length_0", E::corrupt, "v4 [v4_pgm_strips]: slot 1's name length 0", "invalid model name length",
       [] { return edit_v4("v4_pgm_strips", [](Bytes& b, const FrameLayout& f) { b[f.model_at[1] + 1] = 0; }, false); }},
      {"v4_chunk_exponent_27", E::corrupt, "v4: chunk size exponent 27 (checksum fixed)", "invalid chunk size",
       [] { return edit_v4("v4_several_chunks", [](Bytes& b, const FrameLayout& f) { b[f.chunk_size_offset] = 27; }); }},
      {"v4_chunk_size_0", E::corrupt, "v4 [v4_mixed_modes]: chunk size varint 0 (checksum fixed)", "invalid chunk size",
       [] { return edit_v4("v4_mixed_modes", [](Bytes& b, const FrameLayout& f) { b[f.chunk_size_offset] = 0; }); }},
      {"v4_chunk_size_in_full", E::corrupt, "v4: chunk size 256 written as a varint, not as its exponent (checksum fixed)",
       "a chunk size of a power of two written in full",
       [] {
         Bytes b = case_bytes(valid_case("v4_several_chunks"));
         FrameLayout f = layout_parse(b)[0];
         b[5] &= static_cast<uint8_t>(~0x40);
         splice(b, f.chunk_size_offset, f.chunk_size_offset + 1, varint_bytes(256));
         f.header_checksum_offset += 1;
         header_checksum_fix(b, f);
         return b;
       }},
      {"v4_chunk_size_not_minimal", E::corrupt, "v4 [v4_mixed_modes]: the chunk size varint padded with a zero byte",
       "non-minimal number in the frame header",
       [] {
         Bytes b = case_bytes(valid_case("v4_mixed_modes"));
         const FrameLayout f = layout_parse(b)[0];
         splice(b, f.chunk_size_offset, f.chunk_size_offset + 1, Bytes{0xE4, 0x00});
         return b;
       }},
      {"v4_stage_0", E::corrupt, "v4 [v4_adaptive]: adaptive stage 0 (checksum fixed)", "names no adaptive stage",
       [] { return edit_v4("v4_adaptive", [](Bytes& b, const FrameLayout& f) { b[f.stage_offset] = 0; }); }},
      {"v4_lane_byte_9", E::corrupt, "v4 [v4_lanes]: the payload's lane byte 9 (below 10)", "checksum mismatch",
       [] {
         return edit_v4("v4_lanes", [](Bytes& b, const FrameLayout& f) {
           if (b.at(f.records.at(0).payload_offset) != 14) std::abort();
           b[f.records[0].payload_offset] = 9;
         }, false);
       }},
      {"v4_stage_100", E::unsupported_version, "v4 [v4_adaptive]: adaptive stage 100, size-checked (checksum fixed)",
       "needs adaptive stage 100",
       [] { return edit_v4("v4_adaptive", [](Bytes& b, const FrameLayout& f) { b[f.stage_offset] = 0x80 | 100; }); }},
      {"v4_stage_0_checked", E::corrupt, "v4 [v4_adaptive]: stage byte 0x80, the size check flag over stage 0 (checksum fixed)",
       "names no adaptive stage",
       [] { return edit_v4("v4_adaptive", [](Bytes& b, const FrameLayout& f) { b[f.stage_offset] = 0x80; }); }},
      {"v4_size_check_cleared", E::corrupt,
       "v4 [v4_adaptive]: the stage byte's size check flag cleared (checksum fixed): the payloads' first symbol "
       "decodes as content",
       "checksum mismatch in chunk 0",
       [] { return edit_v4("v4_adaptive", [](Bytes& b, const FrameLayout& f) { b[f.stage_offset] &= 0x7F; }); }},
      {"v4_adaptive_claims_64_mib", E::corrupt,
       "v4 [v4_adaptive_one_chunk]: chunk size 2^26 and the record no longer partial: 1000 bytes coded by the "
       "adaptive stage claim 64 MiB (checksum fixed); the decoder stops at the payload's size check",
       "checksum mismatch in chunk 0",
       [] {
         return claims_64_mib("v4_adaptive_one_chunk");
       }},
      {"v4_layout_kind_0", E::corrupt, "v4 [v4_pgm_strips]: the layout flag set with layout kind 0 (checksum fixed)",
       "unknown layout kind 0",
       [] { return edit_v4("v4_pgm_strips", [](Bytes& b, const FrameLayout& f) { b[f.layout_offset] = 0; }); }},
      {"v4_mode_3_without_stage", E::corrupt, "v4: a chunk tag with mode 3 in a frame without an adaptive stage",
       "an adaptive chunk in a frame without an adaptive stage",
       [] { return edit_v4("v4_several_chunks", [](Bytes& b, const FrameLayout& f) { b[f.records[0].offset] |= 3; }, false); }},
      {"v4_tag_bit_7", E::corrupt, "v4: chunk tag bit 7 set", "reserved bits set in a chunk header",
       [] { return edit_v4("v4_several_chunks", [](Bytes& b, const FrameLayout& f) { b[f.records[1].offset] |= 0x80; }, false); }},
      {"v4_one_chunk_second_chunk", E::corrupt, "v4 [v4_full_chunk]: a frame of one chunk with its record repeated",
       "a frame of one chunk holds a second chunk",
       [] {
         return edit_v4("v4_full_chunk", [](Bytes& b, const FrameLayout& f) {
           const Bytes rec(b.begin() + static_cast<long>(f.records[0].offset), b.begin() + static_cast<long>(f.end_offset));
           b.insert(b.begin() + static_cast<long>(f.end_offset), rec.begin(), rec.end());
         }, false);
       }},
      {"v4_one_chunk_missing", E::corrupt, "v4 [v4_empty]: the empty frame marked as one chunk (checksum fixed)",
       "a frame of one chunk ends before its chunk",
       [] { return edit_v4("v4_empty", [](Bytes& b, const FrameLayout&) { b[5] |= 0x20; }); }},
      {"v4_one_chunk_layout", E::corrupt, "v4 [v4_pgm_strips]: a frame with a layout marked as one chunk (checksum fixed)",
       "a frame with a layout is marked as one chunk",
       [] { return edit_v4("v4_pgm_strips", [](Bytes& b, const FrameLayout&) { b[5] |= 0x20; }); }},
      {"v4_one_chunk_damaged", E::corrupt, "v4 [v4_one_chunk]: a bit flipped in the payload of a frame of one chunk",
       "checksum mismatch in chunk 0",
       [] {
         return edit_v4("v4_one_chunk", [](Bytes& b, const FrameLayout& f) { b[f.records[0].payload_offset + 7] ^= 0x10; },
                        false);
       }},
      {"v4_one_chunk_end_checksum", E::corrupt, "v4 [v4_one_byte]: the frame end checksum of a frame of one chunk off by one bit",
       "checksum mismatch in chunk 0",
       [] { return edit_v4("v4_one_byte", [](Bytes& b, const FrameLayout& f) { b[f.end_checksum_offset] ^= 1; }, false); }},
      {"v4_end_checksum", E::corrupt, "v4: frame end checksum off by one bit", "whole-content checksum mismatch",
       [] { return edit_v4("v4_several_chunks", [](Bytes& b, const FrameLayout& f) { b[f.end_checksum_offset + 3] ^= 2; }, false); }},
      {"v4_end_size", E::corrupt, "v4: frame end size one more than the chunks hold",
       "the frame end records a different size",
       [] { return edit_v4("v4_several_chunks", [](Bytes& b, const FrameLayout& f) { b[f.end_offset + 1] ^= 1; }, false); }},
      {"v4_end_size_11_bytes", E::corrupt, "v4: a frame end size varint of 11 bytes", "over-long number in the frame end",
       [] {
         return edit_v4("v4_several_chunks", [](Bytes& b, const FrameLayout& f) {
           Bytes v(10, 0x80);
           v.push_back(0x01);
           splice(b, f.end_offset + 1, f.end_checksum_offset, v);
         }, false);
       }},
      {"v4_truncated_header", E::truncated, "v4: cut inside the header", "ends inside the frame header",
       [] { return edit_v4("v4_several_chunks", [](Bytes& b, const FrameLayout&) { b.resize(9); }, false); }},
      {"v4_truncated_end", E::truncated, "v4: cut inside the frame end", "ends inside the frame end",
       [] { return edit_v4("v4_several_chunks", [](Bytes& b, const FrameLayout& f) { b.resize(f.end_offset + 3); }, false); }},
  };
  return cases;
}

const char* code_id(ErrorCode c) {
  switch (c) {
    case ErrorCode::truncated: return "truncated";
    case ErrorCode::bad_magic: return "bad_magic";
    case ErrorCode::unsupported_version: return "unsupported_version";
    case ErrorCode::corrupt: return "corrupt";
    case ErrorCode::model_mismatch: return "model_mismatch";
    case ErrorCode::model_not_found: return "model_not_found";
    default: return error_code_name(c);
  }
}

// ---- the checks ----------------------------------------------------------------------

// The default resolver, and the test media models of the version 2 files.
ModelResolver golden_resolver() {
  return [installed = model_resolver_installed(test_model_dirs())](
             const std::string& name, const IdentityPrefix& id) -> Result<std::shared_ptr<const Model>> {
    for (const auto& m : test_media_models())
      if (m->name() == name && id.matches(m->identity())) return m;
    return installed(name, id);
  };
}

TEST(GoldenFiles, ValidDecodeToTheirContent) {
  for (const auto& c : valid_cases()) {
    SCOPED_TRACE(c.name);
    ASSERT_TRUE(path_exists(valid_path(c.name, ".lmz"))) << "run tests/golden/make_golden.sh";
    const Bytes lmz = read_bytes(valid_path(c.name, ".lmz"));
    const Bytes want = read_bytes(valid_path(c.name, ".out"));
    for (unsigned threads : {1u, 2u}) {
      const Decoded d = decompress_bytes(lmz, threads, golden_resolver());
      ASSERT_TRUE(d.status.ok()) << d.status.message();
      EXPECT_EQ(d.out, want);
    }
    MemorySource src(lmz);
    auto listed = frame_list(src);
    ASSERT_TRUE(listed.ok()) << listed.status().message();
    ASSERT_EQ(listed->size(), c.frames.size());
    for (size_t i = 0; i < c.frames.size(); ++i) {
      EXPECT_EQ((*listed)[i].chunk_size, c.frames[i].chunk_size);
      EXPECT_EQ((*listed)[i].original_size, c.frames[i].bytes);
      EXPECT_EQ((*listed)[i].model_name, "order2");
    }
  }
}

// The point of golden files: today's encoder must produce exactly them.
TEST(GoldenFiles, EncoderReproducesValidFiles) {
  for (const auto& c : valid_cases()) {
    if (c.frozen) continue;  // an earlier encoder's version
    SCOPED_TRACE(c.name);
    const Bytes lmz = read_bytes(valid_path(c.name, ".lmz"));
    const Bytes content = read_bytes(valid_path(c.name, ".out"));
    EXPECT_EQ(encode_case(c, content, 1), lmz)
        << "the encoder's output changed: if intended, this is a format change "
           "(docs/FORMAT.md), then regenerate with tests/golden/make_golden.sh";
    EXPECT_EQ(encode_case(c, content, 2), lmz);
  }
}

TEST(GoldenFiles, InvalidFailWithTheirErrorCode) {
  for (const auto& c : invalid_cases()) {
    SCOPED_TRACE(c.name);
    ASSERT_TRUE(path_exists(invalid_path(c.name))) << "run tests/golden/make_golden.sh";
    const Bytes lmz = read_bytes(invalid_path(c.name));
    const Decoded d = decompress_bytes(lmz, 1, golden_resolver());
    EXPECT_EQ(d.status.code(), c.code) << error_code_name(d.status.code()) << ": " << d.status.message();
    EXPECT_NE(d.status.message().find(c.message), std::string::npos) << d.status.message();
    MemorySource src(lmz);
    (void)frame_list(src);  // structure only: may pass; must not crash
  }
}

// Every file in the directories belongs to a case and is in the README.
TEST(GoldenFiles, DirectoriesMatchTheTables) {
  std::vector<std::string> want_valid, want_invalid;
  for (const auto& c : valid_cases()) {
    want_valid.push_back(std::string(c.name) + ".lmz");
    want_valid.push_back(std::string(c.name) + ".out");
  }
  for (const auto& c : invalid_cases()) want_invalid.push_back(std::string(c.name) + ".lmz");
  std::sort(want_valid.begin(), want_valid.end());
  std::sort(want_invalid.begin(), want_invalid.end());
  EXPECT_EQ(dir_names(kGoldenDir + "/valid"), want_valid);
  EXPECT_EQ(dir_names(kGoldenDir + "/invalid"), want_invalid);
  const std::string readme = read_text(kGoldenDir + "/README.md");
  for (const auto& c : valid_cases()) EXPECT_NE(readme.find(std::string("`") + c.name + ".lmz`"), std::string::npos) << c.name;
  for (const auto& c : invalid_cases()) EXPECT_NE(readme.find(std::string("`") + c.name + ".lmz`"), std::string::npos) << c.name;
}

// Writes the files and the README. Run by tests/golden/make_golden.sh.
TEST(GoldenFiles, DISABLED_Regenerate) {
  // The frozen valid files stay; everything else is written anew (the
  // invalid files made from frozen ones come out the same bytes).
  for (const auto& c : valid_cases()) {
    if (c.frozen) continue;
    std::filesystem::remove(valid_path(c.name, ".lmz"));
    std::filesystem::remove(valid_path(c.name, ".out"));
  }
  std::filesystem::remove_all(kGoldenDir + "/invalid");
  std::filesystem::create_directories(kGoldenDir + "/valid");
  std::filesystem::create_directories(kGoldenDir + "/invalid");
  std::string readme =
      "# Golden .lmz files\n\n"
      "Generated by `tests/golden/make_golden.sh` (the tables in `tests/golden_test.cpp`);\n"
      "checked by `tests/golden_test.cpp`. All use the built-in `order2` model; the\n"
      "`v2_*` files (format version 2, with a layout) also one of the test media models of\n"
      "`tests/media_test_models.h` (order2 with a fixed bias, under another name and identity);\n"
      "the `v3_*` files (format version 3) are coded by the adaptive stage; the `v4_*` files\n"
      "are format version 4 (order2 named by its shipped id, the test media models in full).\n\n"
      "`valid/NAME.lmz` must decode to `valid/NAME.out`. The files of versions 1 (no prefix),\n"
      "2 (`v2_*`) and 3 (`v3_*`), the `v4_trimmed_*` files (version 4 before exact payload\n"
      "ends) and the `v4_unchecked_*` files (version 4 before the adaptive size check), were\n"
      "written by earlier encoders and are **frozen**: kept\n"
      "as they are, never regenerated, so that every older frame keeps decoding. The other `v4_*` files\n"
      "pin what the encoder writes today: compressing `NAME.out` (frame by frame, with the chunk\n"
      "sizes below) must give `NAME.lmz` byte for byte. If an encoder change makes that test fail,\n"
      "the change alters the format's output; decide that deliberately (docs/FORMAT.md),\n"
      "then regenerate.\n\n"
      "`invalid/NAME.lmz` must be rejected with the error code shown. Most are one edit\n"
      "of `valid/several_chunks.lmz` (`v2_*`: of `valid/v2_pgm_tiles.lmz` or `valid/v2_bmp_rgb.lmz`;\n"
      "`v3_*`: of `valid/v3_adaptive.lmz`; `v4_*`: of `valid/v4_several_chunks.lmz`, or of the file named in\n"
      "brackets);\n"
      "\"checksum fixed\" means the header checksum was\n"
      "recomputed so that the check under test is the one that fires.\n\n"
      "## Valid\n\n| file | content | frames (bytes / chunk size) |\n|---|---|---|\n";
  for (const auto& c : valid_cases()) {
    if (!c.frozen) {
      const Bytes content = c.content();
      write_bytes(valid_path(c.name, ".out"), content);
      write_bytes(valid_path(c.name, ".lmz"), encode_case(c, content));
    }
    std::string frames;
    for (const auto& f : c.frames)
      frames += (frames.empty() ? "" : ", ") + std::to_string(f.bytes) + " / " + std::to_string(f.chunk_size);
    readme += std::string("| `") + c.name + ".lmz` | " + c.what + " | " + frames + " |\n";
  }
  readme += "\n## Invalid\n\n| file | error code | reason |\n|---|---|---|\n";
  for (const auto& c : invalid_cases()) {
    write_bytes(invalid_path(c.name), c.make());
    readme += std::string("| `") + c.name + ".lmz` | " + code_id(c.code) + " | " + c.reason + " |\n";
  }
  write_text(kGoldenDir + "/README.md", readme);
}

}  // namespace
}  // namespace lmzip::test
