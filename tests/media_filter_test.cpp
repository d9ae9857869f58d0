// Residual filters (src/model/residual_filter.h) and the media models built
// on them: tokens are a bijection of the content, the filtered predictor only
// permutes frequencies, and every inference path still agrees bit for bit.
#include <gtest/gtest.h>

#include <random>
#include <vector>

#include "gguf/gguf.h"
#include "lmzip/codec.h"
#include "model/filtered_predictor.h"
#include "model/order2_model.h"
#include "model/residual_filter.h"
#include "test_util.h"
#include "transformer_test_util.h"

namespace lmzip {
namespace {

FilterSpec spec(const std::string& name, DataSpec data) {
  auto s = filter_spec_parse(name, data);
  EXPECT_TRUE(s) << s.status().message();
  return s ? *s : FilterSpec{};
}

const DataSpec kGray64{Media::image, 64, 1, 8}, kRgb5{Media::image, 5, 3, 8};
const DataSpec kAudio8{Media::audio, 0, 1, 8}, kAudio16{Media::audio, 0, 1, 16};

std::vector<FilterSpec> all_specs() {
  return {spec("none", {}),         spec("med", kGray64),   spec("med", kRgb5),
          spec("med", {Media::image, 1, 1, 8}), spec("poly1", kAudio8), spec("poly2", kAudio8),
          spec("poly3", kAudio8),   spec("poly1", kAudio16), spec("poly2", kAudio16),
          spec("poly3", kAudio16)};
}

std::vector<uint8_t> to_bytes(const std::vector<uint32_t>& v) { return {v.begin(), v.end()}; }

TEST(ResidualFilter, TokensAreABijectionOfTheContent) {
  std::mt19937_64 rng(5);
  for (const FilterSpec& s : all_specs()) {
    SCOPED_TRACE(s.name() + " channels " + std::to_string(s.data.channels));
    for (size_t n : {0, 1, 2, 3, 64, 65, 1001, 4096}) {
      std::vector<uint8_t> content = to_bytes(test::random_bytes(rng, n)), tokens(n), back(n);
      filter_tokens(s, content, tokens.data());
      filter_untokens(s, tokens, back.data());
      EXPECT_EQ(back, content);
      // Streaming gives the same offsets as the whole-chunk form.
      ResidualFilter f(s);
      for (size_t i = 0; i < n; ++i) {
        ASSERT_EQ(uint8_t(content[i] - f.offset()), tokens[i]) << "byte " << i;
        f.push(content[i]);
      }
    }
  }
}

TEST(ResidualFilter, PredictorsByHand) {
  // Gray 3 pixels wide: row 0 predicts from the left (128 first), column 0
  // from above, the rest by the median edge detector.
  const FilterSpec med = spec("med", {Media::image, 3, 1, 8});
  const std::vector<uint8_t> img = {10, 20, 30,    // row 0
                                    12, 25, 40,    // MED(12, 20, 10) = 20 (NW <= min), MED(25, 30, 20) = 30
                                    11, 90, 41};   // MED(11, 25, 12) = 24 (a + b - c), MED(90, 40, 25) = 90
  std::vector<uint8_t> tok(img.size());
  filter_tokens(med, img, tok.data());
  const std::vector<uint8_t> want = {uint8_t(10 - 128), 10, 10, 2, 5, 10, uint8_t(11 - 12), 90 - 24, uint8_t(41 - 90)};
  EXPECT_EQ(tok, want);

  // 16-bit poly2: samples 100, 200, 300, -5 → predictions 0, 100, 300, 400
  // (orders 0, 1, 2, 2) → residuals 100, 100, 0, -405, little-endian.
  const FilterSpec p2 = spec("poly2", kAudio16);
  const std::vector<uint8_t> pcm = {100, 0, 200, 0, 44, 1, 0xFB, 0xFF};
  tok.resize(pcm.size());
  filter_tokens(p2, pcm, tok.data());
  const uint16_t r = uint16_t(-405);
  EXPECT_EQ(tok, (std::vector<uint8_t>{100, 0, 100, 0, 0, 0, uint8_t(r), uint8_t(r >> 8)}));

  // 8-bit poly1 on unsigned samples: 128 + s; predictions are clamped to the range.
  const FilterSpec p1 = spec("poly1", kAudio8);
  const std::vector<uint8_t> u8 = {128, 255, 0, 3};
  tok.resize(u8.size());
  filter_tokens(p1, u8, tok.data());
  EXPECT_EQ(tok, (std::vector<uint8_t>{0, 127, 1, 3}));
}

TEST(ResidualFilter, SpecsThatDoNotFitTheDataAreRefused) {
  EXPECT_FALSE(filter_spec_parse("med", kAudio16));
  EXPECT_FALSE(filter_spec_parse("poly2", kGray64));
  EXPECT_FALSE(filter_spec_parse("poly4", kAudio8));
  EXPECT_FALSE(filter_spec_parse("poly", kAudio8));
  EXPECT_FALSE(filter_spec_parse("med", {Media::image, 0, 1, 8}));
  EXPECT_FALSE(filter_spec_parse("med", {Media::image, 64, 5, 8}));
  EXPECT_FALSE(filter_spec_parse("poly1", {Media::audio, 0, 2, 16}));
  EXPECT_FALSE(filter_spec_parse("lpc", kAudio8));
  EXPECT_TRUE(filter_spec_parse("none", kAudio16));
}

// The filtered predictor permutes the inner model's frequencies: step by step
// and batched agree, and coding with it round-trips.
TEST(FilteredPredictor, PermutesFrequenciesAndBatchEqualsSteps) {
  auto order2 = model_open("order2");
  ASSERT_TRUE(order2);
  std::mt19937_64 rng(9);
  for (const FilterSpec& s : all_specs()) {
    SCOPED_TRACE(s.name());
    const std::vector<uint32_t> chunk = test::random_bytes(rng, 700);
    auto step = filtered_predictor_make((*order2)->make_predictor(), s);
    auto batch = filtered_predictor_make((*order2)->make_predictor(), s);
    auto inner = (*order2)->make_predictor();
    std::vector<uint32_t> want(chunk.size() * 256), got(chunk.size() * 256), totals(chunk.size());
    ResidualFilter f(s);
    uint32_t inner_freq[256];
    for (size_t i = 0; i < chunk.size(); ++i) {
      const uint32_t total = step->predict(want.data() + i * 256);
      ASSERT_EQ(inner->predict(inner_freq), total);
      for (int t = 0; t < 256; ++t) ASSERT_EQ(want[i * 256 + uint8_t(t + f.offset())], inner_freq[t]);
      inner->update(uint8_t(chunk[i] - f.offset()));
      f.push(uint8_t(chunk[i]));
      step->update(chunk[i]);
    }
    batch->predict_batch(chunk, got.data(), totals.data());
    EXPECT_EQ(got, want);
  }
}

std::shared_ptr<const TransformerModel> media_model(const std::string& filter, DataSpec data, uint64_t seed,
                                                    const std::string& mixer = "none") {
  RandomModelOptions o;
  Result<FilterSpec> spec = filter_spec_parse(filter, data);
  if (!spec) return nullptr;
  o.filter = *spec;
  Result<MixerKind> kind = mixer_parse(mixer, o.filter);
  if (!kind) return nullptr;
  o.mixer = *kind;
  o.d = 32;
  o.layers = 2;
  o.heads = 2;
  o.window = 24;
  o.context_length = 256;
  o.seed = seed;
  return test::random_model(o);
}

TEST(MediaModel, FileDeclaresDataFilterAndTags) {
  auto m = media_model("poly2", kAudio16, 3);
  ASSERT_TRUE(m);
  EXPECT_EQ(m->config().tags, 2u);
  EXPECT_EQ(m->config().in_vocab(), 513);
  EXPECT_EQ(m->config().filter.name(), "poly2");
  EXPECT_EQ(m->info().data, kAudio16);
  auto g = media_model("med", kGray64, 3);
  ASSERT_TRUE(g);
  EXPECT_EQ(g->info().data, kGray64);
  EXPECT_EQ(g->config().tags, kActivityLevels);
  // Parameters count the larger input table.
  EXPECT_EQ(m->info().parameters - media_model("poly2", kAudio8, 3)->info().parameters, 256u * 32u);
}

TEST(MediaModel, LoaderRejectsInconsistentFiles) {
  auto load = [](gguf::File f) { return transformer_model_parse(gguf::gguf_serialize(f), "m"); };
  RandomModelOptions o;
  o.d = 16;
  o.layers = 1;
  o.heads = 2;
  o.filter = *filter_spec_parse("poly2", kAudio16);
  ASSERT_TRUE(load(transformer_random_gguf(o)));
  {
    gguf::File f = transformer_random_gguf(o);
    f.metadata["lmzipbt.input_tags"] = uint32_t(1);  // the filter gives 2
    EXPECT_FALSE(load(f));
    f.metadata["lmzipbt.input_tags"] = uint32_t(0);
    EXPECT_FALSE(load(f));
    f.metadata["lmzipbt.input_tags"] = uint32_t(65);
    EXPECT_FALSE(load(f));
    f.metadata.erase("lmzipbt.input_tags");  // default 1: the 513-row table is the wrong size too
    EXPECT_FALSE(load(f));
  }
  auto with = [&](const std::string& key, gguf::Value v) {
    gguf::File f = transformer_random_gguf(o);
    f.metadata[key] = std::move(v);
    auto r = load(f);
    EXPECT_FALSE(r) << key;
    if (!r) {
      EXPECT_EQ(r.status().code(), ErrorCode::bad_model_file);
    }
  };
  with("lmzip.filter", std::string("med"));       // audio data
  with("lmzip.filter", std::string("poly9"));
  with("lmzip.data.kind", std::string("video"));
  with("lmzip.data.bits", uint32_t(24));
  with("lmzip.data.channels", uint32_t(2));
  with("lmzip.data.width", uint32_t(64));          // audio has no width
  with("lmzip.data.bits", std::string("16"));      // wrong type
  with("lmzip.mixer", std::string("image1"));      // needs the med filter
  with("lmzip.mixer", std::string("image9"));
  with("lmzip.mixer", uint32_t(1));                // wrong type
}

TEST(MediaModel, BatchStepsAndLanesAgree) {
  std::mt19937_64 rng(21);
  struct Case {
    const char* filter;
    DataSpec data;
    const char* mixer = "none";
  };
  for (const Case& c : {Case{"poly2", kAudio16}, Case{"poly1", kAudio8}, Case{"med", kRgb5}, Case{"med", kGray64},
                        Case{"med", kRgb5, "image1"}, Case{"med", kGray64, "image1"}}) {
    SCOPED_TRACE(std::string(c.filter) + " " + c.mixer);
    auto m = media_model(c.filter, c.data, 7, c.mixer);
    ASSERT_TRUE(m);
    const size_t n = 300;
    std::vector<std::vector<uint32_t>> chunks;
    for (int i = 0; i < 16; ++i) chunks.push_back(test::random_bytes(rng, n));
    std::vector<uint32_t> ref(16 * n * 256), steps(n * 256), totals(n);
    auto p = m->make_predictor();
    for (int i = 0; i < 16; ++i) {
      p->reset();
      p->predict_batch(chunks[size_t(i)], ref.data() + size_t(i) * n * 256, totals.data());
    }
    // One chunk step by step.
    p->reset();
    for (size_t t = 0; t < n; ++t) {
      p->predict(steps.data() + t * 256);
      p->update(chunks[0][t]);
    }
    EXPECT_TRUE(std::equal(steps.begin(), steps.end(), ref.begin()));
    // All 16 as the lanes of one predictor.
    auto ls = m->make_predictor_lanes(16);
    ASSERT_EQ(ls->max_lanes(), 16u);
    ls->reset(16);
    std::vector<uint32_t> f(16 * 256), tot(16), sym(16);
    for (size_t t = 0; t < n; ++t) {
      ls->predict(f.data(), tot.data());
      for (int b = 0; b < 16; ++b) {
        ASSERT_TRUE(std::equal(f.begin() + b * 256, f.begin() + (b + 1) * 256,
                               ref.begin() + (size_t(b) * n + t) * 256))
            << "lane " << b << " position " << t;
        sym[size_t(b)] = chunks[size_t(b)][t];
      }
      ls->update(sym);
    }
  }
}

TEST(MediaModel, CodecRoundTrip) {
  auto m = media_model("poly2", kAudio16, 11);
  ASSERT_TRUE(m);
  std::mt19937_64 rng(4);
  // A slow sine with noise: what a 16-bit recording looks like to the filter.
  std::vector<uint8_t> pcm;
  for (int i = 0; i < 3000; ++i) {
    const int s = int(8000 * std::sin(i * 0.05)) + int(rng() % 64) - 32;
    pcm.push_back(uint8_t(s));
    pcm.push_back(uint8_t(s >> 8));
  }
  for (unsigned threads : {1u, 3u}) {
    const test::Decoded d =
        test::decompress_bytes(test::compress_bytes(pcm, 512, threads, m), threads, model_resolver_fixed(m));
    ASSERT_TRUE(d.status.ok()) << d.status.message();
    EXPECT_EQ(d.out, pcm);
  }
}

}  // namespace
}  // namespace lmzip
