// The block types' values (hand-packed blocks with exactly representable
// values, packed the way ggml's quantisers pack them), and the mapped reader.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <filesystem>

#include "common/f16.h"
#include "gguf/gguf.h"
#include "gguf/gguf_dequant.h"

namespace lmzip::gguf {
namespace {

void put_f16(std::vector<uint8_t>& b, size_t at, float x) {
  const uint16_t h = f32_to_f16(x);
  b[at] = uint8_t(h);
  b[at + 1] = uint8_t(h >> 8);
}

std::vector<float> decode(TensorType t, const std::vector<uint8_t>& b, size_t n) {
  std::vector<float> y(n);
  dequantize_row(t, b.data(), y.data(), int64_t(n));
  return y;
}

TEST(GgufDequant, PlainTypes) {
  const std::vector<uint8_t> bf16 = {0x80, 0x3F, 0x20, 0xC0};  // 1.0, -2.5
  EXPECT_EQ(decode(TensorType::bf16, bf16, 2), (std::vector<float>{1.0f, -2.5f}));
  std::vector<uint8_t> f16(4);
  put_f16(f16, 0, 0.375f);
  put_f16(f16, 2, -1024.0f);
  EXPECT_EQ(decode(TensorType::f16, f16, 2), (std::vector<float>{0.375f, -1024.0f}));
}

TEST(GgufDequant, Q8_0AndQ4_0) {
  std::vector<uint8_t> q8(34);
  put_f16(q8, 0, 0.5f);
  for (int j = 0; j < 32; ++j) q8[2 + j] = uint8_t(int8_t(j * 8 - 128));
  const auto y8 = decode(TensorType::q8_0, q8, 32);
  for (int j = 0; j < 32; ++j) EXPECT_EQ(y8[j], float(j * 8 - 128) * 0.5f) << j;

  std::vector<uint8_t> q4(18);
  put_f16(q4, 0, 2.0f);
  for (int j = 0; j < 16; ++j) q4[2 + j] = uint8_t(j | ((15 - j) << 4));
  const auto y4 = decode(TensorType::q4_0, q4, 32);
  for (int j = 0; j < 16; ++j) {
    EXPECT_EQ(y4[j], float(j - 8) * 2.0f) << j;        // low nibbles: the first 16
    EXPECT_EQ(y4[j + 16], float(7 - j) * 2.0f) << j;   // high nibbles: the next 16
  }
}

TEST(GgufDequant, Q4_K) {
  // Eight sub-blocks of 32 with 6-bit scales and mins; the last four use the
  // bits that spill into the top of bytes 0..7.
  const int sc[8] = {1, 2, 3, 4, 17, 33, 49, 63}, mn[8] = {0, 5, 10, 15, 20, 40, 60, 63};
  std::vector<uint8_t> b(144, 0);
  put_f16(b, 0, 1.0f);   // d
  put_f16(b, 2, 0.5f);   // dmin
  uint8_t* s = b.data() + 4;
  for (int j = 0; j < 4; ++j) {
    s[j] = uint8_t(sc[j]);
    s[j + 4] = uint8_t(mn[j]);
  }
  for (int j = 4; j < 8; ++j) {
    s[j + 4] = uint8_t((sc[j] & 0xF) | ((mn[j] & 0xF) << 4));
    s[j - 4] |= uint8_t((sc[j] >> 4) << 6);
    s[j] |= uint8_t((mn[j] >> 4) << 6);
  }
  for (int i = 0; i < 128; ++i) b[16 + i] = uint8_t((i % 16) | ((15 - i % 16) << 4));
  const auto y = decode(TensorType::q4_k, b, 256);
  for (int e = 0; e < 256; ++e) {
    const int sub = e / 32, l = e % 32, byte = 16 + 32 * (e / 64) + l;
    const int q = (sub % 2 == 0) ? (b[byte] & 0xF) : (b[byte] >> 4);
    EXPECT_EQ(y[e], 1.0f * float(sc[sub]) * float(q) - 0.5f * float(mn[sub])) << e;
  }
}

TEST(GgufDequant, Q6_K) {
  // Quants L in 0..63 and 16 signed scales, packed as ggml's quantiser packs them.
  int L[256];
  for (int e = 0; e < 256; ++e) L[e] = (e * 7 + 3) % 64;
  std::vector<uint8_t> b(210, 0);
  uint8_t* ql = b.data();
  uint8_t* qh = b.data() + 128;
  for (int j = 0; j < 256; j += 128) {
    for (int l = 0; l < 32; ++l) {
      ql[l] = uint8_t((L[j + l] & 0xF) | ((L[j + l + 64] & 0xF) << 4));
      ql[l + 32] = uint8_t((L[j + l + 32] & 0xF) | ((L[j + l + 96] & 0xF) << 4));
      qh[l] = uint8_t((L[j + l] >> 4) | ((L[j + l + 32] >> 4) << 2) | ((L[j + l + 64] >> 4) << 4) |
                      ((L[j + l + 96] >> 4) << 6));
    }
    ql += 64;
    qh += 32;
  }
  for (int i = 0; i < 16; ++i) b[192 + i] = uint8_t(int8_t(i - 8));
  put_f16(b, 208, 0.25f);
  const auto y = decode(TensorType::q6_k, b, 256);
  for (int e = 0; e < 256; ++e) EXPECT_EQ(y[e], 0.25f * float(e / 16 - 8) * float(L[e] - 32)) << e;
}

File quantised_file() {
  File f;
  f.metadata["general.architecture"] = std::string("test");
  Tensor t;
  t.name = "q";
  t.dims = {64, 3};
  t.type = TensorType::q8_0;
  t.data.resize(t.payload_bytes());
  for (size_t i = 0; i < t.data.size(); ++i) t.data[i] = uint8_t(i * 37 + 11);
  for (size_t blk = 0; blk < 6; ++blk) put_f16(t.data, blk * 34, 0.125f);  // finite scales
  f.tensors.push_back(t);
  return f;
}

TEST(GgufDequant, MappedFileViewsWhatTheReaderCopies) {
  const auto path = std::filesystem::temp_directory_path() / "lmzip_gguf_map_test.gguf";
  const File f = quantised_file();
  ASSERT_EQ(f.tensors[0].payload_bytes(), 6u * 34u);
  ASSERT_TRUE(gguf_write(f, path.string()));
  auto copied = gguf_read(path.string());
  auto mapped = gguf_map(path.string());
  ASSERT_TRUE(copied) << copied.status().message();
  ASSERT_TRUE(mapped) << mapped.status().message();
  EXPECT_TRUE(mapped->tensors[0].data.empty());
  const auto a = copied->tensors[0].bytes(), b = mapped->tensors[0].bytes();
  EXPECT_TRUE(std::equal(a.begin(), a.end(), b.begin(), b.end()));
  EXPECT_EQ(gguf_serialize(*mapped), gguf_serialize(*copied));
  std::vector<float> v(mapped->tensors[0].elements());
  ASSERT_TRUE(dequantize(mapped->tensors[0], v));
  EXPECT_EQ(v[1], float(int8_t(uint8_t(3 * 37 + 11))) * 0.125f);
  EXPECT_FALSE(dequantize(mapped->tensors[0], std::span<float>(v.data(), 10)));
  std::filesystem::remove(path);
  EXPECT_EQ(gguf_map(path.string()).status().code(), ErrorCode::io);
}

TEST(GgufDequant, RowsOfPartBlocksAndUnknownTypesAreRefused) {
  File f = quantised_file();
  std::vector<uint8_t> bytes = gguf_serialize(f);
  // The tensor info follows the metadata: dims[0] 64 -> 48, not a multiple of 32.
  const uint8_t dim64[8] = {64, 0, 0, 0, 0, 0, 0, 0};
  auto at = std::search(bytes.begin(), bytes.end(), dim64, dim64 + 8);
  ASSERT_NE(at, bytes.end());
  std::vector<uint8_t> part = bytes;
  part[size_t(at - bytes.begin())] = 48;
  auto r = gguf_parse(part);
  ASSERT_FALSE(r);
  EXPECT_NE(r.status().message().find("not whole Q8_0 blocks"), std::string::npos) << r.status().message();
  // The type field follows the two dims: 8 (Q8_0) -> 3 (Q4_1, not read).
  std::vector<uint8_t> other = bytes;
  const size_t type_at = size_t(at - bytes.begin()) + 16;
  ASSERT_EQ(other[type_at], 8);
  other[type_at] = 3;
  auto o = gguf_parse(other);
  ASSERT_FALSE(o);
  EXPECT_NE(o.status().message().find("has type 3"), std::string::npos) << o.status().message();
  EXPECT_FALSE(type_layout(3u));
  EXPECT_STREQ(type_layout(TensorType::q6_k).name, "Q6_K");
}

}  // namespace
}  // namespace lmzip::gguf
