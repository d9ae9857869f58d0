// The lmzipbt schema (transformer_schema.h): what the writers put in a file
// is what the loader reads back, every key it writes is checked, and the
// tensor table counts the parameters.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "transformer/transformer_schema.h"

namespace lmzip {
namespace {

TransformerConfig shape(uint32_t d, uint32_t layers, uint32_t heads, uint32_t ffn) {
  TransformerConfig c;
  c.d = d;
  c.layers = layers;
  c.heads = heads;
  c.ffn = ffn;
  c.window = 96;
  c.context_length = 1000;
  c.rope_base = 5000.0f;
  c.eps = 1e-6f;
  return c;
}

TransformerConfig media(TransformerConfig c, const std::string& filter, DataSpec data, MixerKind mixer) {
  c.filter = *filter_spec_parse(filter, data);
  c.tags = c.filter.tags();
  c.mixer = mixer;
  return c;
}

TEST(TransformerSchema, MetadataRoundTrips) {
  const TransformerConfig text = shape(16, 3, 2, 40);
  for (const TransformerConfig& c :
       {text, media(text, "poly2", DataSpec{Media::audio, 0, 1, 16}, MixerKind::none),
        media(text, "med", DataSpec{Media::image, 24, 3, 8}, MixerKind::image1)}) {
    gguf::File f;
    transformer_metadata_write(f, c, {"m", "CC0-1.0", "none"});
    Result<TransformerConfig> r = transformer_metadata_read(f, "m");
    ASSERT_TRUE(r) << r.status().message();
    EXPECT_EQ(r->context_length, c.context_length);
    EXPECT_EQ(r->d, c.d);
    EXPECT_EQ(r->layers, c.layers);
    EXPECT_EQ(r->heads, c.heads);
    EXPECT_EQ(r->ffn, c.ffn);
    EXPECT_EQ(r->window, c.window);
    EXPECT_EQ(r->rope_base, c.rope_base);
    EXPECT_EQ(r->eps, c.eps);
    EXPECT_EQ(r->tags, c.tags);
    EXPECT_EQ(r->filter.name(), c.filter.name());
    EXPECT_EQ(r->filter.data, c.filter.data);
    EXPECT_EQ(r->mixer, c.mixer);
    EXPECT_EQ(gguf_string(f, "general.name"), "m");
    EXPECT_EQ(gguf_string(f, "general.license"), "CC0-1.0");
    EXPECT_EQ(f.metadata.count("lmzipbt.input_tags"), c.filter.data.kind == Media::bytes ? 0u : 1u);
  }
}

TEST(TransformerSchema, EveryWrittenKeyIsRequiredAndRangeChecked) {
  gguf::File good;
  transformer_metadata_write(good, shape(16, 1, 2, 32), {"m", "", ""});
  int keys = 0;
  for (const auto& [key, value] : good.metadata) {
    if (key.rfind("lmzipbt.", 0) != 0) continue;
    ++keys;
    gguf::File f = good;
    f.metadata.erase(key);
    Result<TransformerConfig> r = transformer_metadata_read(f, "m");
    ASSERT_FALSE(r) << key;
    EXPECT_NE(r.status().message().find("missing metadata key '" + key + "'"), std::string::npos)
        << r.status().message();
    f = good;
    f.metadata[key] = std::holds_alternative<float>(value) ? gguf::Value(0.0f) : gguf::Value(uint32_t(0));
    r = transformer_metadata_read(f, "m");
    ASSERT_FALSE(r) << key;
    EXPECT_EQ(r.status().code(), ErrorCode::bad_model_file);
  }
  EXPECT_EQ(keys, 9);  // the hyper-parameters of docs/MODEL_FORMAT.md (input_tags: media models only)
}

TEST(TransformerSchema, TensorsInFileOrderCountTheParameters) {
  TransformerConfig c = media(shape(8, 2, 2, 12), "poly2", DataSpec{Media::audio, 0, 1, 16}, MixerKind::none);
  const std::vector<TensorSpec> t = transformer_tensors(c);
  ASSERT_EQ(t.size(), 1 + 8 * 2 + 2u);
  EXPECT_EQ(t.front().name, "token_embd.weight");
  EXPECT_EQ(t.front().dims(), (std::vector<uint64_t>{8, 513}));
  EXPECT_EQ(t[1].name, "blk.0.attn_norm.weight");
  EXPECT_EQ(t[1].dims(), (std::vector<uint64_t>{8}));
  EXPECT_EQ(t[16].name, "blk.1.ffn_down.weight");
  EXPECT_EQ(t[16].dims(), (std::vector<uint64_t>{12, 8}));
  EXPECT_EQ(t[16].layer, 1);
  EXPECT_EQ(t.back().name, "output.weight");
  EXPECT_EQ(t.back().dims(), (std::vector<uint64_t>{8, 256}));
  const uint64_t d = 8, f = 12;
  EXPECT_EQ(c.parameters(), 513 * d + 2 * (4 * d * d + 2 * d * f + 2 * d) + d + 256 * d);
}

TEST(TransformerSchema, TensorBytesAreLittleEndianF32OrF16) {
  const TensorSpec s{"v", TensorRole::output_norm, TensorKind::gain, -1, 1, 2};
  const float v[2] = {1.0f, -2.0f};
  EXPECT_EQ(transformer_tensor_make(s, v, false).data,
            (std::vector<uint8_t>{0x00, 0x00, 0x80, 0x3f, 0x00, 0x00, 0x00, 0xc0}));
  const gguf::Tensor h = transformer_tensor_make(s, v, true);
  EXPECT_EQ(h.type, gguf::TensorType::f16);
  EXPECT_EQ(h.data, (std::vector<uint8_t>{0x00, 0x3c, 0x00, 0xc0}));
}

}  // namespace
}  // namespace lmzip
