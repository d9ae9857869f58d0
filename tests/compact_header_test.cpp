// Format version 4's compact frame (docs/FORMAT.md): a shipped model is named
// by its id and an identity prefix, so that a small file does not pay for a
// model name and a whole SHA-256. The target: a frame made with a
// shipped model needs at most 24 bytes of header and trailer for a 1-byte
// input, at every level, with and without the adaptive stage.
#include <gtest/gtest.h>

#include <cstdio>

#include "format/shipped_models.h"
#include "test_util.h"

namespace lmzip::test {
namespace {

Bytes compress_with(std::span<const uint8_t> data, std::shared_ptr<const Model> model, bool adaptive) {
  MemorySource src(data);
  MemorySink sink;
  CompressOptions o;
  o.model = std::move(model);
  o.adaptive = adaptive;
  const Status st = compress(src, sink, o);
  EXPECT_TRUE(st.ok()) << st.message();
  return std::move(sink.bytes());
}

// Frame bytes that are not payload: header, record headers, frame end.
size_t overhead(const Bytes& lmz) {
  size_t payload = 0;
  for (const auto& f : layout_parse(lmz))
    for (const auto& r : f.records) payload += r.payload_size;
  return lmz.size() - payload;
}

TEST(CompactHeader, SmallInputsAtEveryLevel) {
  const Bytes one = to_bytes("Z");
  const Bytes hundred = text_like(100, 3);
  size_t levels = 0;
  for (int level = 0; level <= kModelLevelMax; ++level) {
    auto model = model_open(model_level_name(level), test_model_dirs());
    if (!model) continue;  // a level whose model is not trained here
    ++levels;
    for (const bool adaptive : {false, true}) {
      SCOPED_TRACE("level " + std::to_string(level) + (adaptive ? " --adaptive" : ""));
      const Bytes z0 = compress_with({}, *model, adaptive);
      const Bytes z1 = compress_with(one, *model, adaptive);
      const Bytes z100 = compress_with(hundred, *model, adaptive);
      std::printf("  -%d%s: empty %zu bytes, 1 byte %zu (overhead %zu), 100 bytes %zu (overhead %zu)\n", level,
                  adaptive ? " --adaptive" : "", z0.size(), z1.size(), overhead(z1), z100.size(), overhead(z100));
      EXPECT_LE(overhead(z1), 24u);
      EXPECT_LE(z0.size(), 24u);
      EXPECT_LE(overhead(z100), 25u);  // a modelled chunk adds its payload size
      for (const Bytes* z : {&z0, &z1, &z100}) {
        const FrameLayout f = layout_parse(*z)[0];
        EXPECT_EQ(f.version, 4);
        EXPECT_EQ(z->at(f.model_at[0]), format::shipped_model_id((*model)->name())) << "named by its id";
        EXPECT_EQ(f.one_chunk, z != &z0) << "a frame of one chunk";
      }
      for (const Bytes* z : {&z0, &z1, &z100}) {
        const Decoded d = decompress_bytes(*z, 1, model_resolver_installed(test_model_dirs()));
        ASSERT_TRUE(d.status.ok()) << d.status.message();
        EXPECT_EQ(d.out, z == &z0 ? Bytes{} : z == &z1 ? one : hundred);
      }
      // Listing names the model, from its id; the identity is the prefix.
      MemorySource src(z1);
      auto listed = frame_list(src);
      ASSERT_TRUE(listed.ok()) << listed.status().message();
      EXPECT_EQ((*listed)[0].model_name, (*model)->name());
      EXPECT_EQ((*listed)[0].model_identity.bytes, format::kShippedIdentityBytes);
      EXPECT_TRUE((*listed)[0].model_identity.matches((*model)->identity()));
    }
  }
  EXPECT_GE(levels, 1u);
}

// order2 under another name, which no shipped model has.
class Renamed final : public Model {
 public:
  explicit Renamed(std::string name) : info_(order2()->info()) { info_.name = std::move(name); }
  const ModelInfo& info() const override { return info_; }
  uint32_t default_chunk_size() const override { return 1024; }
  std::unique_ptr<Predictor> make_predictor() const override { return pooled_order2()->make_predictor(); }

 private:
  ModelInfo info_;
};

// A model that is not shipped keeps its name and whole identity.
TEST(CompactHeader, OtherModelsAreNamedInFull) {
  const Bytes data = text_like(500, 4);
  auto model = std::make_shared<Renamed>("my-order2");
  const Bytes z = compress_with(data, model, false);
  const FrameLayout f = layout_parse(z)[0];
  EXPECT_EQ(z.at(f.model_at[0]), 0) << "no id";
  EXPECT_EQ(f.name_length, 9u);
  const Decoded d = decompress_bytes(z, 1, model_resolver_fixed(model));
  ASSERT_TRUE(d.status.ok()) << d.status.message();
  EXPECT_EQ(d.out, data);
  MemorySource src(z);
  auto listed = frame_list(src);
  ASSERT_TRUE(listed.ok());
  EXPECT_EQ((*listed)[0].model_name, "my-order2");
  EXPECT_TRUE((*listed)[0].model_identity.whole());
}

// The ids are part of the format: every shipped model (models/*.gguf and the
// built-in) has one, and none changes or is reused.
TEST(CompactHeader, ShippedModelIdsAreStable) {
  const std::vector<std::pair<std::string, uint8_t>> ids = {
      {"order2", 1},          {"lmzip-text-200k", 2}, {"lmzip-text-800k", 3}, {"lmzip-text-3m", 4},
      {"lmzip-image-gray", 5}, {"lmzip-image-rgb", 6}, {"lmzip-audio8", 7},    {"lmzip-audio16", 8},
      {"lmzip-text-200k-v2", 9}, {"lmzip-text-800k-v2", 10}, {"lmzip-text-3m-v2", 11},
  };
  for (const auto& [name, id] : ids) {
    EXPECT_EQ(format::shipped_model_id(name), id) << name;
    EXPECT_EQ(format::shipped_model_name(id), name);
  }
  EXPECT_EQ(format::shipped_model_id("my-order2"), 0);
  EXPECT_EQ(format::shipped_model_name(0), "");
  EXPECT_EQ(format::shipped_model_name(12), "");
  for (const auto& name : model_builtin_names()) EXPECT_NE(format::shipped_model_id(name), 0) << name;
  for (int level = 0; level <= kModelLevelMax; ++level)
    EXPECT_NE(format::shipped_model_id(model_level_name(level)), 0) << level;
  for (const auto& file : dir_names(std::string(LMZIP_SOURCE_DIR) + "/models")) {
    if (file.size() < 5 || file.substr(file.size() - 5) != ".gguf") continue;
    EXPECT_NE(format::shipped_model_id(file.substr(0, file.size() - 5)), 0) << file << " has no id";
  }
}

// A 1-byte frame, byte by byte (docs/FORMAT.md, version 4): header 14 bytes
// (magic, version, descriptor, order2's id and identity prefix, the chunk
// size exponent, the header checksum), the stored chunk's tag and partial
// size, its byte, the frame end (tag, size, checksum).
TEST(CompactHeader, OneByteFrameLayout) {
  const Bytes z = compress_with(to_bytes("Z"), pooled_order2(), false);
  ASSERT_EQ(z.size(), 23u);
  const Sha256& id = order2()->identity();
  const Bytes head = {0x89, 'L', 'M', 'Z', 4, 0xE0, 1, id[0], id[1], id[2], id[3], 20};
  EXPECT_EQ(Bytes(z.begin(), z.begin() + 12), head) << "one model, one chunk, chunk size 2^20, exact ends";
  EXPECT_EQ(get_le(z, 12, 2), xxh64(head) & 0xFFFF);
  EXPECT_EQ(Bytes(z.begin() + 14, z.begin() + 18), (Bytes{1 | 4, 1, 'Z', 0}));
  EXPECT_EQ(z[18], 1) << "content size";
  EXPECT_EQ(get_le(z, 19, 4), xxh64(to_bytes("Z")) & 0xFFFFFFFF);
}

}  // namespace
}  // namespace lmzip::test
