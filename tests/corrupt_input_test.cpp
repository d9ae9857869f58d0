// Damaged and forged .lmz input, at the library level (lmzip::decompress and
// frame_list on memory buffers) and a few cases through the lmzip program:
// every failure is a clean Status, never a crash, hang or giant allocation,
// and nothing unverified reaches the output.
#include <gtest/gtest.h>

#include <cmath>

#include <chrono>
#include <cstdio>
#include <set>

#include "coder/range_coder.h"
#include "lmzip/predictor.h"
#include "test_util.h"

namespace lmzip::test {
namespace {

// 3 KB: two full modelled text chunks, then a partial chunk of random bytes
// that is stored; so the sample has a header, both chunk modes, a partial
// chunk and the frame end.
const Bytes& sample_content() {
  static const Bytes content = [] {
    Bytes c = text_like(2048, 11);
    Bytes r = random_bytes(952, 12);
    c.insert(c.end(), r.begin(), r.end());
    return c;
  }();
  return content;
}

const Bytes& sample_frame() {
  static const Bytes frame = compress_bytes(sample_content(), 1024);
  return frame;
}

TEST(CorruptInput, SampleHasEveryKindOfRecord) {
  const auto frames = layout_parse(sample_frame());
  ASSERT_EQ(frames.size(), 1u);
  const auto& f = frames[0];
  ASSERT_EQ(f.records.size(), 3u);
  EXPECT_EQ(f.records[0].tag, 2);  // modelled, full
  EXPECT_EQ(f.records[1].tag, 2);
  EXPECT_EQ(f.records[2].tag, 1 | 4);  // stored, partial
  EXPECT_EQ(f.records[2].content_size, 952u);
  EXPECT_EQ(f.frame_end, sample_frame().size());
  const Decoded d = decompress_bytes(sample_frame());
  ASSERT_TRUE(d.status.ok()) << d.status.message();
  EXPECT_EQ(d.out, sample_content());
}

// Every single-bit flip anywhere in the file must be rejected: each byte is a
// checked header field, covered by the header checksum, a chunk checksum or
// the frame-end checksum, or is range-coder output whose decoding is checked.
// And whatever reached the output before the error is a prefix of the original.
TEST(CorruptInput, EveryBitFlipIsRejected) {
  const Bytes& good = sample_frame();
  const Bytes& content = sample_content();
  std::vector<std::string> accepted;
  size_t bad_prefix = 0;
  std::set<ErrorCode> codes;
  // Under the sanitizers (about 10x slower) the inside of payloads, where
  // every flip meets the same checks, gets one flip per byte; the first and
  // last two bytes of each payload and all other bytes get all 8.
  std::vector<bool> every_bit(good.size(), true);
  if (kSanitized) {
    const FrameLayout layout = layout_parse(good)[0];
    for (const auto& r : layout.records) {
      for (size_t i = r.payload_offset + 1; i + 2 < r.payload_offset + r.payload_size; ++i) every_bit[i] = false;
    }
  }
  for (size_t bit = 0; bit < good.size() * 8; ++bit) {
    if (!every_bit[bit / 8] && bit % 8 != (bit / 8) % 8) continue;
    Bytes b = good;
    b[bit / 8] ^= static_cast<uint8_t>(1u << (bit % 8));
    const Decoded d = decompress_bytes(b);
    codes.insert(d.status.code());
    if (d.status.ok()) {
      accepted.push_back("byte " + std::to_string(bit / 8) + " bit " + std::to_string(bit % 8) +
                         (d.out == content ? " (decodes to the original)" : " (decodes to other content!)"));
    } else {
      EXPECT_FALSE(d.status.message().empty());
    }
    if (!is_prefix(d.out, content)) ++bad_prefix;
    MemorySource src(b);
    (void)frame_list(src);  // must not crash; structure-only, so it may accept
  }
  EXPECT_TRUE(accepted.empty()) << accepted.size() << " flips accepted, first: " << accepted.front();
  EXPECT_EQ(bad_prefix, 0u) << "unverified content reached the output";
  EXPECT_FALSE(codes.count(ErrorCode::internal));
}

TEST(CorruptInput, TruncationAtEveryOffsetIsRejected) {
  const Bytes& good = sample_frame();
  for (size_t n = 0; n < good.size(); ++n) {
    const Bytes b(good.begin(), good.begin() + static_cast<long>(n));
    const Decoded d = decompress_bytes(b);
    ASSERT_FALSE(d.status.ok()) << "truncated at " << n;
    EXPECT_TRUE(d.status.code() == ErrorCode::truncated || d.status.code() == ErrorCode::corrupt)
        << "at " << n << ": " << d.status.message();
    EXPECT_TRUE(is_prefix(d.out, sample_content())) << "at " << n;
    MemorySource src(b);
    auto listed = frame_list(src);
    EXPECT_FALSE(listed.ok()) << "frame_list accepted a file truncated at " << n;
  }
  // Truncated exactly: code and message.
  const Decoded d = decompress_bytes(Bytes(good.begin(), good.end() - 1));
  EXPECT_EQ(d.status.code(), ErrorCode::truncated);
  EXPECT_NE(d.status.message().find("truncated input: the file ends inside the frame end"), std::string::npos)
      << d.status.message();
}

TEST(CorruptInput, EmptyInput) {
  const Decoded d = decompress_bytes(Bytes{});
  EXPECT_EQ(d.status.code(), ErrorCode::truncated);
  EXPECT_NE(d.status.message().find("the input is empty"), std::string::npos) << d.status.message();
  MemorySource src(std::span<const uint8_t>{});
  EXPECT_EQ(frame_list(src).status().code(), ErrorCode::truncated);
}

TEST(CorruptInput, WrongMagic) {
  Bytes b = sample_frame();
  b[0] = 0x1F;
  const Decoded d = decompress_bytes(b);
  EXPECT_EQ(d.status.code(), ErrorCode::bad_magic);
  EXPECT_NE(d.status.message().find("not an lmzip file"), std::string::npos) << d.status.message();
  // A gzip file, a text file.
  for (const Bytes& other : {Bytes{0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 3}, to_bytes("hello world\n")}) {
    EXPECT_EQ(decompress_bytes(other).status.code(), ErrorCode::bad_magic);
  }
}

TEST(CorruptInput, Version5) {
  Bytes b = sample_frame();
  b[4] = 5;
  header_checksum_fix(b, layout_parse(sample_frame())[0]);
  const Decoded d = decompress_bytes(b);
  EXPECT_EQ(d.status.code(), ErrorCode::unsupported_version);
  EXPECT_NE(d.status.message().find("format version 5 is not supported (this lmzip reads versions 1 to 4)"),
            std::string::npos)
      << d.status.message();
  // Also without fixing the checksum: the version is looked at first.
  b = sample_frame();
  b[4] = 5;
  EXPECT_EQ(decompress_bytes(b).status.code(), ErrorCode::unsupported_version);
}

// A version 4 frame relabelled 1, 2 or 3, and a version 1 frame relabelled
// 4, are read as what they say (the other fields mean other things) and
// refused, never a crash.
TEST(CorruptInput, FramesLabelledAnotherVersion) {
  for (uint8_t version : {1, 2, 3}) {
    Bytes b = sample_frame();
    b[4] = version;
    const Decoded d = decompress_bytes(b);
    EXPECT_FALSE(d.status.ok()) << int(version);
    EXPECT_TRUE(d.out.empty());
  }
  HeaderFields h;
  h.identity = order2()->identity();
  Bytes b = header_bytes(h);
  const Bytes end = frame_end_bytes(0, xxh64({}));
  b.insert(b.end(), end.begin(), end.end());
  ASSERT_TRUE(decompress_bytes(b).status.ok());
  b[4] = 4;
  const Decoded d = decompress_bytes(b);
  EXPECT_EQ(d.status.code(), ErrorCode::corrupt) << d.status.message();
  EXPECT_TRUE(d.out.empty());
}

Bytes with_chunk_size(uint32_t chunk_size) { return chunk_size_forged(sample_frame(), chunk_size); }

TEST(CorruptInput, ForgedChunkSizeOutOfRange) {
  for (uint32_t c : {0u, (1u << 26) + 1, 1u << 31, 0xFFFFFFFFu}) {
    const Decoded d = decompress_bytes(with_chunk_size(c));
    EXPECT_EQ(d.status.code(), ErrorCode::corrupt) << c;
    EXPECT_NE(d.status.message().find("invalid chunk size"), std::string::npos) << d.status.message();
    EXPECT_TRUE(d.out.empty());
  }
}

// A header checksum that passes, chunk size 2^26 (the largest allowed), and a
// first record that is a stored full chunk: the record claims 64 MiB of
// payload but the input holds a few bytes. The decoder must stop at the end
// of the input (it grows buffers with the data present) with no output.
TEST(CorruptInput, ForgedChunkSizeOnStoredChunk) {
  HeaderFields h;
  h.identity = order2()->identity();
  h.chunk_size = 1u << 26;
  Bytes b = header_bytes(h);
  b.push_back(1);  // stored, full: 2^26 bytes follow...
  put_le(b, 0x12345678, 4);
  const Bytes some = text_like(3000, 5);
  b.insert(b.end(), some.begin(), some.end());  // ...but only 3000 do
  const auto t0 = std::chrono::steady_clock::now();
  const Decoded d = decompress_bytes(b);
  EXPECT_EQ(d.status.code(), ErrorCode::truncated) << d.status.message();
  EXPECT_NE(d.status.message().find("ends inside a chunk"), std::string::npos) << d.status.message();
  EXPECT_TRUE(d.out.empty());
  EXPECT_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(), 2.0);
}

// Stands in for order2 (same name and identity) with a fixed distribution
// that is quick to decode: symbol 0 has almost all the probability. It fills
// the caller's table only when handed a new one (the decoder reuses its
// table and never writes it), so a symbol costs a few nanoseconds.
class FastFixedModel final : public Model {
 public:
  const ModelInfo& info() const override { return order2()->info(); }
  uint32_t default_chunk_size() const override { return 1u << 20; }
  std::unique_ptr<Predictor> make_predictor() const override { return std::make_unique<P>(); }

 private:
  struct P final : Predictor {
    uint32_t* filled = nullptr;
    int alphabet_size() const override { return 256; }
    void reset(size_t) override {}
    void predict(uint32_t* freq, uint32_t* total) override {
      if (freq != filled) {
        for (int s = 0; s < 256; ++s) freq[s] = 1;
        freq[0] = kMaxFrequencyTotal - 255;
        filled = freq;
      }
      *total = kMaxFrequencyTotal;
    }
    void update(std::span<const Symbol>) override {}
  };
};

// The same 2^26 on a modelled chunk: a record that may legitimately describe
// 64 MiB (with order2, a run of zeros codes to an empty payload), so the
// decoder must decode it and then reject the checksum. The cost is bounded by
// the format's largest chunk, not by the forged field. The real order2 takes
// about 20 s for 64 Mi symbols of garbage, so a fast stand-in model is used.
TEST(CorruptInput, ForgedChunkSizeOnModelledChunk) {
  const Bytes& good = sample_frame();
  const auto f = layout_parse(good)[0];
  Bytes b = with_chunk_size(1u << 26);
  // Keep the header and the first (full, modelled) record; end the frame there.
  b.resize(f.records[1].offset);  // the exponent 26 takes one byte, as 10 did: the offsets hold
  Bytes end = {0};
  put_varint(end, 1u << 26);
  put_le(end, 0, 4);
  b.insert(b.end(), end.begin(), end.end());
  const Decoded d = decompress_bytes(b, 1, model_resolver_fixed(std::make_shared<FastFixedModel>()));
  EXPECT_EQ(d.status.code(), ErrorCode::corrupt) << d.status.message();
  EXPECT_NE(d.status.message().find("checksum mismatch in chunk 0"), std::string::npos)
      << d.status.message();
  EXPECT_TRUE(d.out.empty());
}

TEST(CorruptInput, ForgedPartialSize) {
  const Bytes& good = sample_frame();
  const auto f = layout_parse(good)[0];
  const auto& last = f.records[2];
  ASSERT_NE(last.size_offset, 0u);
  // Replace the partial size varint (952: two bytes) by other values.
  auto forge = [&](uint64_t value) {
    Bytes b(good.begin(), good.begin() + static_cast<long>(last.size_offset));
    put_varint(b, value);
    b.insert(b.end(), good.begin() + static_cast<long>(last.checksum_offset), good.end());
    return b;
  };
  struct Case {
    uint64_t value;
    ErrorCode code;
    const char* message;
  };
  for (const Case& c : {Case{0, ErrorCode::corrupt, "invalid size of a partial chunk"},
                        Case{1024, ErrorCode::corrupt, "invalid size of a partial chunk"},
                        Case{(1u << 31), ErrorCode::corrupt, "invalid size of a partial chunk"},
                        Case{0xFFFFFFFFull, ErrorCode::corrupt, "invalid size of a partial chunk"},
                        Case{1ull << 32, ErrorCode::corrupt, "over-long number"},
                        Case{1ull << 40, ErrorCode::corrupt, "over-long number"},
                        Case{1023, ErrorCode::truncated, "ends inside a chunk"},
                        // 951 takes the last payload byte for the next tag.
                        Case{951, ErrorCode::corrupt, "corrupt input at offset"}}) {
    const Decoded d = decompress_bytes(forge(c.value));
    EXPECT_EQ(d.status.code(), c.code) << c.value << ": " << d.status.message();
    EXPECT_NE(d.status.message().find(c.message), std::string::npos) << c.value << ": " << d.status.message();
    EXPECT_TRUE(is_prefix(d.out, sample_content()));
  }
}

TEST(CorruptInput, ForgedPayloadSize) {
  const Bytes& good = sample_frame();
  const auto f = layout_parse(good)[0];
  const auto& first = f.records[0];
  ASSERT_NE(first.payload_size_offset, 0u);
  auto forge = [&](uint64_t value) {
    Bytes b(good.begin(), good.begin() + static_cast<long>(first.payload_size_offset));
    put_varint(b, value);
    b.insert(b.end(), good.begin() + static_cast<long>(first.checksum_offset), good.end());
    return b;
  };
  struct Case {
    uint64_t value;
    ErrorCode code;
    const char* message;
  };
  for (const Case& c : {Case{1024, ErrorCode::corrupt, "not smaller than its content"},
                        Case{0xFFFFFFFFull, ErrorCode::corrupt, "not smaller than its content"},
                        Case{1ull << 35, ErrorCode::corrupt, "over-long number"},
                        Case{0, ErrorCode::corrupt, ""},
                        Case{first.payload_size - 1u, ErrorCode::corrupt, ""},
                        Case{first.payload_size + 1u, ErrorCode::corrupt, ""}}) {
    const Decoded d = decompress_bytes(forge(c.value));
    EXPECT_EQ(d.status.code(), c.code) << c.value << ": " << d.status.message();
    EXPECT_NE(d.status.message().find(c.message), std::string::npos) << c.value << ": " << d.status.message();
    EXPECT_TRUE(is_prefix(d.out, sample_content()));
  }
}

TEST(CorruptInput, ForgedFrameEnd) {
  const Bytes& good = sample_frame();
  const auto f = layout_parse(good)[0];
  for (uint64_t size : {0ull, 2999ull, 3001ull, 1ull << 63, ~0ull}) {
    Bytes b(good.begin(), good.begin() + static_cast<long>(f.end_offset + 1));
    put_varint(b, size);
    b.insert(b.end(), good.begin() + static_cast<long>(f.end_checksum_offset), good.end());
    const Decoded d = decompress_bytes(b);
    EXPECT_EQ(d.status.code(), ErrorCode::corrupt);
    EXPECT_NE(d.status.message().find("the frame end records a different size"), std::string::npos)
        << d.status.message();
    MemorySource src(b);
    EXPECT_EQ(frame_list(src).status().code(), ErrorCode::corrupt);
  }
  // A content size varint over 64 bits, or not minimal.
  for (const Bytes& v : {Bytes{0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x02},
                         Bytes{0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01},
                         Bytes{0xB8, 0x97, 0x00}}) {
    Bytes b(good.begin(), good.begin() + static_cast<long>(f.end_offset + 1));
    b.insert(b.end(), v.begin(), v.end());
    b.insert(b.end(), good.begin() + static_cast<long>(f.end_checksum_offset), good.end());
    const Decoded d = decompress_bytes(b);
    EXPECT_EQ(d.status.code(), ErrorCode::corrupt);
    EXPECT_NE(d.status.message().find("number in the frame end"), std::string::npos) << d.status.message();
  }
  Bytes b = good;
  b[f.end_checksum_offset] ^= 0x40;
  const Decoded d = decompress_bytes(b);
  EXPECT_EQ(d.status.code(), ErrorCode::corrupt);
  EXPECT_NE(d.status.message().find("whole-content checksum mismatch"), std::string::npos)
      << d.status.message();
  EXPECT_EQ(d.out, sample_content());  // every chunk passed its own checksum
}

// The sample with its model (order2, shipped: an id and an identity prefix)
// written in full under another name.
Bytes with_model_name(const std::string& name) { return model_entry_named(sample_frame(), 0, name, order2()->identity()); }

TEST(CorruptInput, ModelNotFound) {
  const Decoded d = decompress_bytes(with_model_name("order9"), 1, model_resolver_installed(test_model_dirs()));
  EXPECT_EQ(d.status.code(), ErrorCode::model_not_found);
  EXPECT_NE(d.status.message().find("needs model 'order9' (sha256 " + sha256_hex(order2()->identity())),
            std::string::npos)
      << d.status.message();
  EXPECT_TRUE(d.out.empty());
  // Written in full under its own name, it decodes.
  const Decoded same = decompress_bytes(with_model_name("order2"));
  ASSERT_TRUE(same.status.ok()) << same.status.message();
  EXPECT_EQ(same.out, sample_content());
}

TEST(CorruptInput, ShippedModelIdUnknown) {
  for (uint8_t id : {12, 200, 255}) {  // 12: the first id no model has yet
    Bytes b = sample_frame();
    const auto f = layout_parse(b)[0];
    b[f.model_at[0]] = id;
    header_checksum_fix(b, f);
    const Decoded d = decompress_bytes(b);
    EXPECT_EQ(d.status.code(), ErrorCode::model_not_found);
    EXPECT_NE(d.status.message().find("needs shipped model number " + std::to_string(id)), std::string::npos)
        << d.status.message();
    EXPECT_TRUE(d.out.empty());
  }
}

TEST(CorruptInput, ModelIdentityChanged) {
  // In full: the whole identity is checked.
  Sha256 forged = order2()->identity();
  forged[31] ^= 1;
  const Bytes b = model_entry_named(sample_frame(), 0, "order2", forged);
  const Decoded d = decompress_bytes(b, 1, model_resolver_installed(test_model_dirs()));
  EXPECT_EQ(d.status.code(), ErrorCode::model_mismatch);
  EXPECT_NE(d.status.message().find("this file needs model 'order2' (sha256 " + sha256_hex(forged) + ")"),
            std::string::npos)
      << d.status.message();
  EXPECT_NE(d.status.message().find("installed 'order2' has sha256 " + sha256_hex(order2()->identity())),
            std::string::npos)
      << d.status.message();
  // A fixed resolver (--model) refuses the same way.
  const Decoded d2 = decompress_bytes(b, 1, model_resolver_fixed(order2()));
  EXPECT_EQ(d2.status.code(), ErrorCode::model_mismatch);
  EXPECT_NE(d2.status.message().find("needs model"), std::string::npos) << d2.status.message();
  // By id: the identity prefix is checked, and the message gives the prefix.
  Bytes s = sample_frame();
  const auto f = layout_parse(s)[0];
  s[f.identity_offset + 3] ^= 1;
  header_checksum_fix(s, f);
  Sha256 prefix{};
  std::copy(s.begin() + static_cast<long>(f.identity_offset), s.begin() + static_cast<long>(f.identity_offset + 4),
            prefix.begin());
  for (const auto& resolve : {model_resolver_installed(test_model_dirs()), model_resolver_fixed(order2())}) {
    const Decoded d3 = decompress_bytes(s, 1, resolve);
    EXPECT_EQ(d3.status.code(), ErrorCode::model_mismatch);
    EXPECT_NE(d3.status.message().find("this file needs model 'order2' (sha256 " + sha256_hex(prefix).substr(0, 8) +
                                       "...)"),
              std::string::npos)
        << d3.status.message();
    EXPECT_TRUE(d3.out.empty());
  }
}

TEST(CorruptInput, TrailingGarbage) {
  struct Case {
    Bytes tail;
    ErrorCode code;
  };
  for (const Case& c : {Case{to_bytes("garbage"), ErrorCode::bad_magic},
                        Case{Bytes(512, 0), ErrorCode::bad_magic},
                        Case{Bytes{0x89}, ErrorCode::truncated},
                        Case{Bytes{0x89, 'L', 'M', 'Z'}, ErrorCode::truncated},
                        Case{Bytes{0x89, 'L', 'M', 'Z', 1, 0, 6}, ErrorCode::truncated}}) {
    Bytes b = sample_frame();
    b.insert(b.end(), c.tail.begin(), c.tail.end());
    const Decoded d = decompress_bytes(b);
    EXPECT_EQ(d.status.code(), c.code) << d.status.message();
    EXPECT_EQ(d.out, sample_content());  // the first frame was fine
    MemorySource src(b);
    EXPECT_EQ(frame_list(src).status().code(), c.code);
  }
  Bytes b = sample_frame();
  for (char x : std::string("junk")) b.push_back(static_cast<uint8_t>(x));
  EXPECT_NE(decompress_bytes(b).status.message().find("wrong magic bytes at offset " +
                                                      std::to_string(sample_frame().size())),
            std::string::npos);
}

TEST(CorruptInput, ConcatenatedFramesDecodeToConcatenatedContent) {
  const Bytes second_content = text_like(5000, 99);
  const Bytes second = compress_bytes(second_content, 4096);  // another chunk size
  Bytes b = sample_frame();
  b.insert(b.end(), second.begin(), second.end());
  b.insert(b.end(), sample_frame().begin(), sample_frame().end());
  Bytes expected = sample_content();
  expected.insert(expected.end(), second_content.begin(), second_content.end());
  expected.insert(expected.end(), sample_content().begin(), sample_content().end());
  for (unsigned threads : {1u, 2u}) {
    const Decoded d = decompress_bytes(b, threads);
    ASSERT_TRUE(d.status.ok()) << d.status.message();
    EXPECT_EQ(d.out, expected);
  }
  MemorySource src(b);
  auto listed = frame_list(src);
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 3u);
  EXPECT_EQ((*listed)[1].chunk_size, 4096u);
  EXPECT_EQ((*listed)[1].original_size, 5000u);
  // Damage in the second frame: the first frame's content is out, then an error.
  Bytes damaged = b;
  damaged[sample_frame().size() + 60] ^= 0x10;
  const Decoded d = decompress_bytes(damaged);
  EXPECT_FALSE(d.status.ok());
  EXPECT_TRUE(is_prefix(d.out, expected));
  EXPECT_GE(d.out.size(), sample_content().size());
}

// ---- the range coder's tail is canonical -------------------------------------------------

// The encoder's payload is the only one the decoder accepts for a symbol
// sequence: every other last byte, and an extra zero byte, either decode to
// other symbols or fail RangeDecoder::at_canonical_end. Without that check
// the tail of a range code has slack and a damaged file could pass.
// Both ends: trimmed (versions 1 to 4 before exact ends) and exact.
TEST(RangeCoderTail, OnlyTheEncodersPayloadIsAccepted) {
  for (const bool exact : {false, true}) {
  SCOPED_TRACE(exact ? "exact end" : "trimmed end");
  std::mt19937_64 rng(7);
  int checked = 0;
  for (int trial = 0; trial < 300; ++trial) {
    const size_t n = 1 + rng() % 40;
    const uint32_t total = trial % 3 == 0 ? (1u << 16) : trial % 3 == 1 ? 300u : kMaxFrequencyTotal;
    // Four symbols: 0 with most of the mass on some trials, to get long zero tails.
    const uint32_t big = total - 3 * (trial % 2 ? 1 : total / 5);
    const uint32_t small = (total - big) / 3;
    const uint32_t f[4] = {total - 3 * small, small, small, small};
    std::vector<int> symbols(n);
    for (auto& s : symbols) s = rng() % 8 < 5 ? 0 : static_cast<int>(rng() % 4);
    auto start_of = [&](int s) {
      uint32_t st = 0;
      for (int j = 0; j < s; ++j) st += f[j];
      return st;
    };
    Bytes payload;
    RangeEncoder enc(payload);
    for (int s : symbols) enc.encode(start_of(s), f[s], total);
    enc.finish(!exact);
    auto decodes_same = [&](const Bytes& p) {
      RangeDecoder dec(p, exact);
      for (int s : symbols) {
        const uint32_t t = dec.decode_target(total);
        int got = 0;
        while (got < 3 && start_of(got) + f[got] <= t) ++got;
        dec.consume(start_of(got), f[got]);
        if (got != s) return false;
      }
      return dec.at_canonical_end();
    };
    ASSERT_TRUE(decodes_same(payload)) << "trial " << trial;
    Bytes longer = payload;
    longer.push_back(0);
    EXPECT_FALSE(decodes_same(longer)) << "trial " << trial;
    longer.back() = 1;
    EXPECT_FALSE(decodes_same(longer)) << "trial " << trial;
    if (!payload.empty()) {
      for (int v = 0; v < 256; ++v) {
        if (v == payload.back()) continue;
        Bytes other = payload;
        other.back() = static_cast<uint8_t>(v);
        EXPECT_FALSE(decodes_same(other)) << "trial " << trial << " last byte " << v;
        ++checked;
      }
      Bytes shorter(payload.begin(), payload.end() - 1);
      EXPECT_FALSE(decodes_same(shorter)) << "trial " << trial;
    }
  }
  EXPECT_GT(checked, 10000);
  }
}

// An exact end bounds what a decoder can be made to do past a payload: once
// the symbols it holds are decoded, at most 8 more bits of information come
// out before the decoder would read past it (RangeDecoder::overrun). A
// trimmed end has no such bound: zeros past the end decode for ever.
TEST(RangeCoderTail, ExactEndsStopWithinEightBitsPastThePayload) {
  std::mt19937_64 rng(11);
  const uint32_t total = 1u << 16;
  for (const uint32_t likely : {total / 2, total - total / 100, total - 16}) {
    const uint32_t f[2] = {likely, total - likely};
    const double bits = -std::log2(double(likely) / total);  // of symbol 0, which zeros past the end decode to
    for (int trial = 0; trial < 50; ++trial) {
      std::vector<int> symbols(1 + rng() % 200);
      for (auto& x : symbols) x = rng() % 4 == 0;
      for (const bool exact : {false, true}) {
        Bytes payload;
        RangeEncoder enc(payload);
        for (int x : symbols) enc.encode(x ? f[0] : 0, f[x], total);
        enc.finish(!exact);
        RangeDecoder dec(payload, exact);
        for (int x : symbols) {
          const uint32_t t = dec.decode_target(total);
          ASSERT_EQ(int(t >= f[0]), x);
          dec.consume(x ? f[0] : 0, f[x]);
          ASSERT_FALSE(dec.overrun());
        }
        ASSERT_TRUE(dec.at_canonical_end());
        size_t extra = 0;
        for (; extra < 100000 && !dec.overrun(); ++extra) {
          const int x = dec.decode_target(total) >= f[0];
          dec.consume(x ? f[0] : 0, f[x]);
        }
        if (exact)
          EXPECT_LE(double(extra) * bits, 8.0 + bits) << "p0 " << likely << ", trial " << trial;
        else
          EXPECT_EQ(extra, 100000u);  // no bound
      }
    }
  }
}

// ---- through the program ------------------------------------------------------------

TEST(CorruptInputCli, DamagedFileGivesMessageAndNoOutput) {
  TempDir dir;
  write_bytes(dir.file("s.lmz"), sample_frame());
  Bytes b = sample_frame();
  b[layout_parse(b)[0].records[1].payload_offset + 5] ^= 4;
  write_bytes(dir.file("bad.lmz"), b);
  RunResult r = shell(dir, lmzip_cli() + " -d bad.lmz");
  EXPECT_EQ(r.code, 1) << r;
  EXPECT_EQ(r.err, "lmzip: bad.lmz: corrupt input: checksum mismatch in chunk 1 (content bytes 1024 ..)\n") << r;
  EXPECT_EQ(dir_names(dir.path()), (std::vector<std::string>{"bad.lmz", "s.lmz"}));
  EXPECT_EQ(read_bytes(dir.file("bad.lmz")), b);

  r = shell(dir, lmzip_cli() + " -t bad.lmz");
  EXPECT_EQ(r.code, 1) << r;
  EXPECT_NE(r.err.find("lmzip: bad.lmz: corrupt input: checksum mismatch in chunk 1"), std::string::npos) << r;

  // Truncated.
  write_bytes(dir.file("short.lmz"), Bytes(sample_frame().begin(), sample_frame().begin() + 100));
  r = shell(dir, lmzip_cli() + " -d short.lmz");
  EXPECT_EQ(r.code, 1) << r;
  EXPECT_EQ(r.err, "lmzip: short.lmz: truncated input: the file ends inside a chunk at offset 100\n") << r;
  EXPECT_FALSE(path_exists(dir.file("short")));
  EXPECT_TRUE(temp_leftovers(dir.path()).empty());
}

TEST(CorruptInputCli, ModelErrorsNameTheModel) {
  TempDir dir;
  write_bytes(dir.file("nf.lmz"), with_model_name("zzzzzz"));
  RunResult r = shell(dir, lmzip_cli() + " -d nf.lmz");
  EXPECT_EQ(r.code, 1) << r;
  EXPECT_NE(r.err.find("lmzip: nf.lmz: this file needs model 'zzzzzz' (sha256 " +
                       sha256_hex(order2()->identity()) + "), which is not installed"),
            std::string::npos)
      << r;
  EXPECT_FALSE(path_exists(dir.file("nf")));

  Bytes b = sample_frame();
  const auto f = layout_parse(b)[0];
  b[f.identity_offset] ^= 0xFF;  // the identity prefix of order2, shipped
  header_checksum_fix(b, f);
  write_bytes(dir.file("mm.lmz"), b);
  r = shell(dir, lmzip_cli() + " -d mm.lmz");
  EXPECT_EQ(r.code, 1) << r;
  EXPECT_NE(r.err.find("lmzip: mm.lmz: this file needs model 'order2' (sha256 "), std::string::npos) << r;
  EXPECT_FALSE(path_exists(dir.file("mm")));
  r = shell(dir, lmzip_cli() + " -t --model order2 mm.lmz");
  EXPECT_EQ(r.code, 1) << r;
  EXPECT_NE(r.err.find("but the given model is 'order2'"), std::string::npos) << r;
  EXPECT_TRUE(temp_leftovers(dir.path()).empty());
}

// The model name comes from the input: it must never be taken as a path (a
// forged frame could otherwise make the decoder read any file, whole, into
// memory). Here a 1 GiB sparse file is named both by absolute path and as a
// plain name in the current directory.
TEST(CorruptInputCli, ModelNameIsNeverAPath) {
  TempDir dir;
  const std::string big = dir.file("evil");
  ASSERT_EQ(truncate((write_text(big, ""), big.c_str()), 1ll << 30), 0);
  HeaderFields h;
  h.identity = order2()->identity();
  for (const std::string& name : {big, std::string("evil")}) {
    ASSERT_LE(name.size(), 64u);
    h.name = name;
    Bytes b = header_bytes(h);
    const Bytes end = frame_end_bytes(0, xxh64({}));
    b.insert(b.end(), end.begin(), end.end());
    const Decoded d = decompress_bytes(b, 1, model_resolver_installed(test_model_dirs()));
    EXPECT_EQ(d.status.code(), ErrorCode::model_not_found) << d.status.message();
    EXPECT_NE(d.status.message().find("this file needs model '" + name + "'"), std::string::npos)
        << d.status.message();
    write_bytes(dir.file("x.lmz"), b);
    const bool timed = !kSanitized && access("/usr/bin/time", X_OK) == 0;
    const RunResult r =
        shell(dir, (timed ? "/usr/bin/time -o rss -f %M " : "") + lmzip_cli() + " -t x.lmz");
    EXPECT_EQ(r.code, 1) << r;
    EXPECT_NE(r.err.find("lmzip: x.lmz: this file needs model '" + name + "'"), std::string::npos) << r;
    if (timed) {
      const long rss = time_rss_kib(dir.file("rss"));
      EXPECT_GT(rss, 0);
      EXPECT_LT(rss, 200 << 10) << "KiB: the file was read";
    }
  }
}

TEST(CorruptInputCli, NotAnLmzFile) {
  TempDir dir;
  write_text(dir.file("text.lmz"), "just some text\n");
  RunResult r = shell(dir, lmzip_cli() + " -d text.lmz");
  EXPECT_EQ(r.code, 1) << r;
  EXPECT_EQ(r.err, "lmzip: text.lmz: not an lmzip file (wrong magic bytes at offset 0)\n") << r;
  EXPECT_EQ(dir_names(dir.path()), std::vector<std::string>{"text.lmz"});
  write_text(dir.file("empty.lmz"), "");
  r = shell(dir, lmzip_cli() + " -d empty.lmz");
  EXPECT_EQ(r.code, 1) << r;
  EXPECT_EQ(r.err, "lmzip: empty.lmz: truncated input: the input is empty\n") << r;
  r = shell(dir, lmzip_cli() + " -l empty.lmz");
  EXPECT_EQ(r.code, 1) << r;
  EXPECT_NE(r.err.find("lmzip: empty.lmz: truncated input"), std::string::npos) << r;
}

}  // namespace
}  // namespace lmzip::test
