// A token model as the adaptive stage's network (stage 4; docs/FORMAT.md,
// "Adaptive payload with a token network"): reading a token distribution
// byte by byte, the chunk coding against its two alternatives, round trips
// through the codec, determinism across threads, forged payloads and frames.
#include <gtest/gtest.h>

#include <map>
#include <random>
#include <string>
#include <vector>

#include "../fuzz/llm_adaptive_check.h"
#include "adaptive/adaptive_model.h"
#include "codec/chunk_codec.h"
#include "codec/token_bytes.h"
#include "llm_fixture.h"
#include "lmzip/codec.h"
#include "test_util.h"

namespace lmzip {
namespace {

using test::Bytes;
using test::stories;

// A vocabulary given as texts (ids in order), the first token's texts the same.
class ListText final : public TokenText {
 public:
  explicit ListText(std::vector<std::string> texts) : texts_(std::move(texts)) {}
  bool tokens(std::span<const uint8_t>, std::vector<Symbol>&) const override { return false; }
  std::string_view text(Symbol id, bool) const override { return texts_[id]; }
  uint32_t window() const override { return 16; }

 private:
  std::vector<std::string> texts_;
};

TEST(TokenBytes, ReadsADistributionByteByByte) {
  //                 0    1    2     3      4    5    6       7
  const ListText text({"", "a", "ab", "abc", "b", "a", "\xff", "abd"});
  const std::vector<uint32_t> f = {100, 2, 3, 5, 7, 11, 13, 17};
  const TokenOrder order(text, 8, false);
  EXPECT_EQ(order.size(), 7u);  // id 0 spells nothing: left out
  TokenCursor c;
  c.start(order, f.data());
  EXPECT_FALSE(c.can_end());
  uint32_t freq[256];
  c.byte_freqs(freq);
  EXPECT_EQ(freq['a'], 2u + 3 + 5 + 11 + 17);
  EXPECT_EQ(freq['b'], 7u);
  EXPECT_EQ(freq[0xFF], 13u);
  EXPECT_EQ(freq['c'], 0u);
  EXPECT_FALSE(c.advance('c'));
  ASSERT_TRUE(c.advance('a'));
  // "a" is ids 1 and 5 (a tie, by id), and "ab", "abc", "abd" go on.
  EXPECT_TRUE(c.can_end());
  EXPECT_TRUE(c.can_continue());
  EXPECT_EQ(c.run_mass(), 38u);
  EXPECT_EQ(c.end_mass(), 13u);
  ASSERT_EQ(c.exact(), 2u);
  EXPECT_EQ(c.exact_id(0), 1u);
  EXPECT_EQ(c.exact_id(1), 5u);
  EXPECT_EQ(c.exact_start(1), 2u);
  EXPECT_EQ(c.exact_mass(1), 11u);
  c.byte_freqs(freq);
  EXPECT_EQ(freq['b'], 25u);
  ASSERT_TRUE(c.advance('b'));
  ASSERT_TRUE(c.advance('d'));
  EXPECT_TRUE(c.can_end());
  EXPECT_FALSE(c.can_continue());
  EXPECT_EQ(c.exact_id(0), 7u);
  // As a first token, an id that spells nothing only there stays in.
  class FirstSpace final : public TokenText {
   public:
    bool tokens(std::span<const uint8_t>, std::vector<Symbol>&) const override { return false; }
    std::string_view text(Symbol id, bool first) const override { return id == 0 ? (first ? "" : " ") : "x"; }
    uint32_t window() const override { return 16; }
  } space;
  const TokenOrder first(space, 2, true);
  c.start(first, f.data());
  EXPECT_TRUE(c.can_end());
  EXPECT_TRUE(c.can_continue());
  EXPECT_EQ(c.end_mass(), 100u);
}

// Text of the model's own kind: ids drawn from stories260K (seeded), the
// model restarted every 400 ids.
Bytes story(size_t bytes, uint64_t seed) {
  const auto& m = stories();
  auto p = m->make_predictor();
  std::mt19937_64 rng(seed);
  std::vector<uint32_t> f(512);
  std::string s;
  p->reset();
  for (size_t i = 0; s.size() < bytes; ++i) {
    if (i % 400 == 399) p->reset();
    uint64_t r = rng() % p->predict(f.data());
    Symbol id = 0;
    while (r >= f[id]) r -= f[id++];
    s += m->token_text()->text(id, s.empty());
    p->update(id);
  }
  s.resize(bytes);
  return test::to_bytes(s);
}

// The chunk through the stage with the token network, as the codec's encoder runs it.
bool encode_tokens_adaptive(const Model& m, const Bytes& content, std::vector<uint8_t>& payload) {
  const TokenText& text = *m.token_text();
  TokenPlan plan;
  if (!token_plan_make(text, m.info().alphabet, content, plan)) return false;
  std::vector<uint16_t> paths(content.size() * 8);
  auto p = m.make_predictor();
  for (size_t w = 0; w < plan.events.size(); ++w)
    if (!token_window_code(*p, text, plan, w, paths.data())) return false;
  AdaptiveModel stage(kAdaptiveStage4);
  return chunk_encode_adaptive_tokens(stage, paths.data(), plan, content, payload);
}

bool decode_tokens_adaptive(const Model& m, std::span<const uint8_t> payload, Bytes& out) {
  AdaptiveModel stage(kAdaptiveStage4);
  auto p = m.make_predictor();
  return chunk_decode_adaptive_tokens(stage, *p, *m.token_text(), payload, out, PayloadRules{});
}

TEST(LlmAdaptive, TheStageAndTheTokenModelBeatEitherAlone) {
  const auto& m = stories();
  ASSERT_TRUE(m);
  // A story told twice: the model knows stories, the stage learns the repeat.
  Bytes content = story(3000, 1);
  const Bytes again = content;
  content.insert(content.end(), again.begin(), again.end());
  std::vector<uint8_t> both, tokens, alone;
  ASSERT_TRUE(encode_tokens_adaptive(*m, content, both));
  auto p = m->make_predictor();
  ASSERT_TRUE(chunk_encode_tokens(*p, *m->token_text(), content, tokens));
  AdaptiveModel stage(kAdaptiveStage4);
  ASSERT_TRUE(chunk_encode_adaptive(stage, nullptr, 0, content, alone));
  std::printf("6000 bytes: stage + token model %zu, token model alone %zu, stage alone %zu\n", both.size(),
              tokens.size(), alone.size());
  EXPECT_LT(both.size(), tokens.size());
  EXPECT_LT(both.size(), alone.size());
  Bytes out(content.size());
  EXPECT_TRUE(decode_tokens_adaptive(*m, both, out));
  EXPECT_EQ(out, content);
}

TEST(LlmAdaptive, RejectsForgedPayloads) {
  const auto& m = stories();
  ASSERT_TRUE(m);
  const Bytes content = story(700, 2);
  std::vector<uint8_t> payload;
  ASSERT_TRUE(encode_tokens_adaptive(*m, content, payload));
  size_t caught = 0;
  for (size_t i = 0; i < payload.size(); ++i) {
    auto bad = payload;
    bad[i] ^= 0x5A;
    Bytes o(content.size());
    if (!decode_tokens_adaptive(*m, bad, o) || o != content) ++caught;
  }
  EXPECT_EQ(caught, payload.size());
  Bytes longer(content.size() + 1000), shorter(content.size() - 1);
  EXPECT_FALSE(decode_tokens_adaptive(*m, payload, longer));
  EXPECT_FALSE(decode_tokens_adaptive(*m, payload, shorter));
  auto lanes = payload;
  lanes[0] = 12;  // one lane only
  Bytes o(content.size());
  EXPECT_FALSE(decode_tokens_adaptive(*m, lanes, o));
}

TEST(LlmAdaptive, EveryTensorTypeRoundTrips) {
  // Random weights predict little, so the codec would keep the stage alone:
  // the token network's coding is run here directly (repeated text, which
  // the stage makes small whatever the network says).
  test::TempDir dir;
  std::string s;
  while (s.size() < 1200) s += "the quick brown fox jumps over the lazy dog. ";
  const Bytes content = test::to_bytes(s);
  for (const char* arch : {"llama", "qwen2"}) {
    for (const char* type : {"f32", "f16", "bf16", "q8_0", "q4_0", "q4_k", "q6_k"}) {
      if (std::string(arch) == "qwen2" && std::string(type) != "q8_0") continue;
      LlmRandomSpec spec;
      spec.arch = arch;
      spec.type = type;
      spec.vocab = 700;
      auto m = test::random_llm(dir, spec);
      ASSERT_TRUE(m) << type;
      std::vector<uint8_t> payload;
      ASSERT_TRUE(encode_tokens_adaptive(*m, content, payload)) << arch << " " << type;
      Bytes out(content.size());
      EXPECT_TRUE(decode_tokens_adaptive(*m, payload, out)) << arch << " " << type;
      EXPECT_EQ(out, content) << arch << " " << type;
    }
  }
}

// The stage byte of the first frame (docs/FORMAT.md, frame header v4), without bit 7.
int frame_stage(const Bytes& frame) {
  const auto f = test::layout_parse(frame);
  return f.at(0).stage_offset ? frame[f[0].stage_offset] & 0x7F : 0;
}

TEST(LlmAdaptive, RoundTripsThroughTheCodecOnAnyThreads) {
  const auto& m = stories();
  ASSERT_TRUE(m);
  const uint32_t window = m->token_text()->window();
  std::vector<std::pair<std::string, Bytes>> inputs = {
      {"story of several windows", story(size_t(window) * 8, 3)},
      {"invalid utf-8 and U+2581", test::to_bytes(std::string("caf\xC3\xA9 \xFF\xFE na\xE2\x96\x81ve \x80 end "))},
      {"leading spaces", test::to_bytes("  two spaces, then text\n")},
      {"one space", test::to_bytes(" ")},
      {"binary", test::random_bytes(3000, 7)},
      {"empty", {}}};
  for (const auto& [what, data] : inputs) {
    for (uint32_t chunk : {0u, 700u}) {
      std::vector<Bytes> coded;
      for (unsigned threads : {1u, 3u}) {
        CompressOptions o;
        o.model = m;
        o.adaptive = true;
  o.adaptive = true;
        o.chunk_size = chunk;
        o.threads = threads;
        auto c = compress_buffer(data, o);
        ASSERT_TRUE(c) << what << ": " << c.status().message();
        coded.push_back(*c);
        DecompressOptions d;
        d.resolve = model_resolver_fixed(m);
        d.threads = 4 - threads;
        auto back = decompress_buffer(*c, d);
        ASSERT_TRUE(back) << what << ": " << back.status().message();
        EXPECT_EQ(*back, data) << what;
      }
      EXPECT_EQ(coded[0], coded[1]) << what << ": 1 and 3 threads code differently";
      if (!data.empty()) {
        EXPECT_EQ(frame_stage(coded[0]), kAdaptiveStage4) << what;
      }
    }
  }
  // The story's chunk is coded with the token network (mode 3, not alone).
  CompressOptions o;
  o.model = m;
  o.adaptive = true;
  auto c = compress_buffer(inputs[0].second, o);
  ASSERT_TRUE(c);
  const auto f = test::layout_parse(*c);
  ASSERT_EQ(f.at(0).records.size(), 1u);
  EXPECT_EQ(f[0].records[0].tag & 3, 3);
  EXPECT_EQ(f[0].records[0].tag & 0x40, 0);
}

TEST(LlmAdaptive, OnlyStageFourTakesATokenNetwork) {
  const auto& m = stories();
  ASSERT_TRUE(m);
  const Bytes data = story(2000, 4);
  CompressOptions o;
  o.model = m;
  o.adaptive = true;
  auto c = compress_buffer(data, o);
  ASSERT_TRUE(c);
  // The same frame claiming stage 2: its token-network chunk is refused.
  Bytes forged = *c;
  const auto f = test::layout_parse(forged);
  ASSERT_NE(f.at(0).stage_offset, 0u);
  forged[f[0].stage_offset] = uint8_t((forged[f[0].stage_offset] & 0x80) | kAdaptiveStage2);
  test::header_checksum_fix(forged, f[0]);
  DecompressOptions d;
  d.resolve = model_resolver_fixed(m);
  auto back = decompress_buffer(forged, d);
  ASSERT_FALSE(back);
  EXPECT_EQ(back.status().code(), ErrorCode::corrupt) << back.status().message();
  // And an encoder asked for another stage with a token network says why.
  o.adaptive_stage = kAdaptiveStageFast;
  auto refused = compress_buffer(data, o);
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.status().message().find("stage 4"), std::string::npos) << refused.status().message();
}

TEST(LlmAdaptive, FuzzCorpusInputsNeverCrash) {
  // fuzz/corpus/llm_adaptive/: what llm_adaptive_fuzzer kept, replayed.
  const auto& m = stories();
  ASSERT_TRUE(m);
  const std::string dir = std::string(LMZIP_SOURCE_DIR) + "/fuzz/corpus/llm_adaptive";
  const auto names = test::dir_names(dir);
  ASSERT_FALSE(names.empty()) << dir;
  AdaptiveModel stage(kAdaptiveStage4);
  auto network = m->make_predictor();
  size_t accepted = 0;
  for (const auto& name : names) accepted += fuzz::llm_adaptive_check(*m, *network, stage, test::read_bytes(dir + "/" + name));
  std::printf("  %zu corpus inputs, %zu of them decode\n", names.size(), accepted);
}

}  // namespace
}  // namespace lmzip
