// GGUF reader/writer: round trips, f16 conversion, and hostile inputs
// (truncations, huge counts, bad offsets) that must fail cleanly.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>

#include "common/f16.h"
#include "gguf/gguf.h"

namespace lmzip::gguf {
namespace {

File sample_file() {
  File f;
  f.metadata["general.architecture"] = std::string("lmzipbt");
  f.metadata["a.u32"] = uint32_t(7);
  f.metadata["a.i32"] = int32_t(-5);
  f.metadata["a.u64"] = uint64_t(1) << 40;
  f.metadata["a.f32"] = 0.25f;
  f.metadata["a.bool"] = true;
  f.metadata["a.strings"] = std::vector<std::string>{"x", "", "yz"};
  f.metadata["a.ints"] = std::vector<int32_t>{1, -2, 3};
  f.metadata["a.floats"] = std::vector<float>{1.5f, -0.0f};
  Tensor t;
  t.name = "w";
  t.dims = {3, 2};
  t.type = TensorType::f32;
  for (int i = 0; i < 6; ++i) {
    float x = float(i) - 2.5f;
    uint8_t b[4];
    std::memcpy(b, &x, 4);
    t.data.insert(t.data.end(), b, b + 4);
  }
  f.tensors.push_back(t);
  Tensor h;
  h.name = "h";
  h.dims = {5};
  h.type = TensorType::f16;
  for (int i = 0; i < 5; ++i) {
    uint16_t v = f32_to_f16(float(i) * 0.5f);
    h.data.push_back(uint8_t(v));
    h.data.push_back(uint8_t(v >> 8));
  }
  f.tensors.push_back(h);
  return f;
}

TEST(Gguf, RoundTrip) {
  const File f = sample_file();
  const std::vector<uint8_t> bytes = gguf_serialize(f);
  // Header: magic, version 3.
  ASSERT_GE(bytes.size(), 24u);
  EXPECT_EQ(std::memcmp(bytes.data(), "GGUF", 4), 0);
  EXPECT_EQ(bytes[4], 3);
  auto r = gguf_parse(bytes);
  ASSERT_TRUE(r) << r.status().message();
  EXPECT_EQ(r->metadata, f.metadata);
  ASSERT_EQ(r->tensors.size(), 2u);
  for (size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(r->tensors[i].name, f.tensors[i].name);
    EXPECT_EQ(r->tensors[i].dims, f.tensors[i].dims);
    EXPECT_EQ(r->tensors[i].type, f.tensors[i].type);
    EXPECT_EQ(r->tensors[i].data, f.tensors[i].data);
  }
  EXPECT_EQ(r->alignment, 32u);
  EXPECT_EQ(gguf_serialize(*r), bytes);  // canonical: same bytes again
  EXPECT_NE(r->find_tensor("h"), nullptr);
  EXPECT_EQ(r->find_tensor("nope"), nullptr);
  EXPECT_EQ(r->tensors[0].elements(), 6u);
}

TEST(Gguf, CustomAlignment) {
  File f = sample_file();
  f.alignment = 64;
  auto bytes = gguf_serialize(f);
  auto r = gguf_parse(bytes);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->alignment, 64u);
  EXPECT_EQ(r->tensors[1].data, f.tensors[1].data);
}

TEST(Gguf, WriteAndReadFile) {
  const auto path = std::filesystem::temp_directory_path() / "lmzip_gguf_test.gguf";
  ASSERT_TRUE(gguf_write(sample_file(), path.string()));
  auto r = gguf_read(path.string());
  ASSERT_TRUE(r);
  EXPECT_EQ(r->tensors.size(), 2u);
  std::filesystem::remove(path);
  auto missing = gguf_read(path.string());
  EXPECT_FALSE(missing);
  EXPECT_EQ(missing.status().code(), ErrorCode::io);
  File bad = sample_file();
  bad.tensors[0].dims = {4, 2};  // data no longer matches dims
  EXPECT_EQ(gguf_write(bad, path.string()).code(), ErrorCode::invalid_argument);
}

TEST(Gguf, EveryTruncationFailsCleanly) {
  const auto bytes = gguf_serialize(sample_file());
  for (size_t n = 0; n < bytes.size(); ++n) {
    auto r = gguf_parse(std::span<const uint8_t>(bytes.data(), n));
    // The last tensor's padding is optional at the very end: only the data matters.
    if (r) {
      EXPECT_GE(n, bytes.size() - 31) << n;
      continue;
    }
    EXPECT_EQ(r.status().code(), ErrorCode::bad_model_file);
  }
}

TEST(Gguf, RandomCorruptionNeverCrashes) {
  const auto good = gguf_serialize(sample_file());
  std::mt19937_64 rng(9);
  for (int i = 0; i < 20000; ++i) {
    auto b = good;
    const int flips = 1 + int(rng() % 4);
    for (int k = 0; k < flips; ++k) b[rng() % b.size()] = uint8_t(rng());
    auto r = gguf_parse(b);
    if (!r) {
      EXPECT_FALSE(r.status().message().empty());
    }
  }
}

// Builds a header by hand to test the count/size checks.
std::vector<uint8_t> header(uint32_t version, uint64_t n_tensors, uint64_t n_kv) {
  std::vector<uint8_t> b = {'G', 'G', 'U', 'F'};
  auto put = [&](uint64_t v, int n) {
    for (int i = 0; i < n; ++i) b.push_back(uint8_t(v >> (8 * i)));
  };
  put(version, 4);
  put(n_tensors, 8);
  put(n_kv, 8);
  return b;
}

TEST(Gguf, RejectsHostileHeaders) {
  EXPECT_EQ(gguf_parse(std::vector<uint8_t>{'G', 'G', 'U', 'X', 3, 0, 0, 0}).status().code(),
            ErrorCode::bad_model_file);
  auto v2 = header(2, 0, 0);
  EXPECT_NE(gguf_parse(v2).status().message().find("version 2"), std::string::npos);
  // Counts far beyond the file: refused before any allocation.
  EXPECT_FALSE(gguf_parse(header(3, ~0ull, 0)));
  EXPECT_FALSE(gguf_parse(header(3, 0, ~0ull)));
  EXPECT_FALSE(gguf_parse(header(3, 1ull << 40, 1ull << 40)));
  // An empty, valid file.
  EXPECT_TRUE(gguf_parse(header(3, 0, 0)));
  // A string length beyond the file.
  auto s = header(3, 0, 1);
  for (int i = 0; i < 8; ++i) s.push_back(0xff);
  EXPECT_FALSE(gguf_parse(s));
  // An array of 2^60 u32.
  auto a = header(3, 0, 1);
  const char key[] = "k";
  a.push_back(1);
  for (int i = 0; i < 7; ++i) a.push_back(0);
  a.push_back(uint8_t(key[0]));
  for (uint64_t v : {9ull}) for (int i = 0; i < 4; ++i) a.push_back(uint8_t(v >> (8 * i)));  // ARRAY
  for (int i = 0; i < 4; ++i) a.push_back(i == 0 ? 4 : 0);                                   // of U32
  for (int i = 0; i < 8; ++i) a.push_back(i == 7 ? 0x10 : 0);                                // 2^60
  EXPECT_FALSE(gguf_parse(a));
}

TEST(Gguf, RejectsBadTensors) {
  File f = sample_file();
  f.tensors[0].type = TensorType(3);  // q4_1: not read
  auto b = gguf_serialize(f);
  auto r = gguf_parse(b);
  ASSERT_FALSE(r);
  EXPECT_NE(r.status().message().find("type 3"), std::string::npos);
  File dup = sample_file();
  dup.tensors[1].name = "w";
  EXPECT_FALSE(gguf_parse(gguf_serialize(dup)));
  File huge = sample_file();
  huge.tensors[0].dims = {1ull << 32, 1ull << 32};  // product overflows 64 bits with the element size
  EXPECT_FALSE(gguf_parse(gguf_serialize(huge)));
}

TEST(Gguf, F16ConversionExhaustive) {
  // Every half converts to a float and back to the same bits (NaNs stay NaN).
  for (uint32_t h = 0; h < 65536; ++h) {
    const float x = f16_to_f32(uint16_t(h));
    const bool is_nan = (h & 0x7c00) == 0x7c00 && (h & 0x3ff);
    if (is_nan) {
      EXPECT_TRUE(std::isnan(x));
      EXPECT_TRUE(std::isnan(f16_to_f32(f32_to_f16(x))));
    } else {
      ASSERT_EQ(f32_to_f16(x), h) << h;
    }
  }
  // Rounding: to nearest, ties to even, overflow to infinity, tiny to zero.
  EXPECT_EQ(f32_to_f16(1.0f + 1.0f / 2048), 0x3c00);           // tie -> even (down)
  EXPECT_EQ(f32_to_f16(1.0f + 3.0f / 2048), 0x3c02);           // tie -> even (up)
  EXPECT_EQ(f32_to_f16(65520.0f), 0x7c00);                     // rounds past max -> inf
  EXPECT_EQ(f32_to_f16(65504.0f), 0x7bff);
  EXPECT_EQ(f32_to_f16(std::ldexp(1.0f, -25)), 0x0000);        // half of min subnormal: tie -> 0
  EXPECT_EQ(f32_to_f16(std::ldexp(1.5f, -25)), 0x0001);
  EXPECT_EQ(f32_to_f16(-0.0f), 0x8000);
  EXPECT_EQ(f16_to_f32(0x3555), 0.333251953125f);
}

// Inputs found by fuzz/gguf_fuzzer.cpp (and seeds) must parse or fail cleanly.
TEST(Gguf, FuzzCorpusReplays) {
  const std::filesystem::path dir = std::filesystem::path(LMZIP_SOURCE_DIR) / "fuzz" / "corpus" / "gguf";
  ASSERT_TRUE(std::filesystem::is_directory(dir)) << dir;
  int n = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    if (!e.is_regular_file()) continue;
    std::ifstream in(e.path(), std::ios::binary);
    std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    auto r = gguf_parse(bytes);
    if (!r) {
      EXPECT_EQ(r.status().code(), ErrorCode::bad_model_file) << e.path();
    }
    ++n;
  }
  EXPECT_GT(n, 0);
}

}  // namespace
}  // namespace lmzip::gguf
