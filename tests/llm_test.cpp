// Pretrained LLMs (src/llm): the converted llama2.c stories260K model and
// random-weight llama / qwen2 models of every tensor type. Determinism
// (segments == one token at a time, kernel paths, threads), the token codec's
// round trip and its rejection of forged payloads, the converter's checks.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "codec/chunk_codec.h"
#include "codec/symbol_coding.h"
#include "coder/range_coder.h"
#include "kernels/kernels.h"
#include "llm/llm_kernels.h"
#include "llm/llm_model.h"
#include "lmzip/codec.h"
#include "lmzip/engine.h"
#include "lmzip/llm.h"
#include "lmzip/model.h"
#include "llm_fixture.h"
#include "test_util.h"

namespace lmzip {
namespace {

using test::Bytes;
using test::TempDir;
using test::kStories;
using test::KernelGuard;
using test::open_model;
using test::stories;
using test::random_llm;

const char* kText =
    "Once upon a time, there was a little girl named Lily. She loved to play outside in the sun. "
    "One day, she saw a big, red ball in the park. \"Can I play with you?\" she asked the ball.";

std::vector<Symbol> ids_of(const Model& m, std::string_view s) {
  std::vector<Symbol> ids;
  EXPECT_TRUE(m.token_text()->tokens({reinterpret_cast<const uint8_t*>(s.data()), s.size()}, ids));
  return ids;
}

// Frequencies of every position, one token at a time (the decoder's way).
std::vector<uint32_t> step_freqs(const Model& m, const std::vector<Symbol>& ids) {
  auto p = m.make_predictor();
  const size_t a = size_t(p->alphabet_size());
  std::vector<uint32_t> out(ids.size() * a);
  p->reset();
  for (size_t i = 0; i < ids.size(); ++i) {
    if (i > 0) p->update(ids[i - 1]);
    const uint32_t total = p->predict(out.data() + i * a);
    uint64_t sum = 0;
    for (size_t j = 0; j < a; ++j) {
      EXPECT_GE(out[i * a + j], 1u);
      sum += out[i * a + j];
    }
    EXPECT_EQ(sum, total);
    EXPECT_LE(total, kMaxFrequencyTotal);
  }
  return out;
}

// The encoder's way: segments of up to 64 positions.
std::vector<uint32_t> batch_freqs(const Model& m, const std::vector<Symbol>& ids) {
  auto p = m.make_predictor();
  const size_t a = size_t(p->alphabet_size());
  std::vector<uint32_t> out(ids.size() * a), totals(ids.size());
  p->reset();
  p->predict_batch(ids, out.data(), totals.data());
  return out;
}

TEST(LlmStories, ConvertedModelDescribesItself) {
  const auto& m = stories();
  ASSERT_TRUE(m);
  EXPECT_EQ(m->info().alphabet, 512u);
  EXPECT_EQ(m->info().parameters, 260032u);  // stories260K.md: 260K parameters
  ASSERT_NE(m->token_text(), nullptr);
}

TEST(LlmStories, GreedyTextIsLlama2cRunsOwn) {
  // stories260K.md: `./run stories260K.bin -z tok512.bin -t 0.0` (greedy
  // argmax from BOS) prints this; the forward pass, the rotary pairs, the
  // grouped-query attention and the tokenizer must all be right to match it.
  const std::string expected =
      "Once upon a time, there was a little girl named Lily. She loved to play outside in the park. One day, "
      "she saw a big, red ball. She wanted to play with it, but it was too high.\nLily's mom said, \"Lily, "
      "let's go to the park.\"";
  const auto& m = stories();
  ASSERT_TRUE(m);
  auto p = m->make_predictor();
  std::vector<uint32_t> f(512);
  std::string text;
  p->reset();
  for (int i = 0; text.size() < expected.size() && i < 200; ++i) {
    p->predict(f.data());
    const Symbol best = Symbol(std::max_element(f.begin(), f.end()) - f.begin());
    text += m->token_text()->text(best, i == 0);
    p->update(best);
  }
  EXPECT_EQ(text.substr(0, expected.size()), expected);
}

TEST(LlmStories, SegmentsEqualStepsOnEveryKernelPath) {
  const auto& m = stories();
  ASSERT_TRUE(m);
  const auto ids = ids_of(*m, kText);
  ASSERT_GT(ids.size(), 64u);  // more than one segment
  KernelGuard guard;
  std::vector<uint32_t> first;
  for (const char* path : {"scalar", "avx2", "avx512", "neon"}) {
    if (!kernels_select(path)) continue;
    const auto step = step_freqs(*m, ids);
    EXPECT_EQ(step, batch_freqs(*m, ids)) << path;
    if (first.empty()) first = step;
    EXPECT_EQ(step, first) << path;
  }
}

TEST(LlmStories, PredictsStoriesWell) {
  // The model was trained on TinyStories: a sentence of its kind costs far
  // less than a byte model knowing nothing (8 bits a byte).
  const auto& m = stories();
  ASSERT_TRUE(m);
  auto c = compress_buffer(test::to_bytes(kText), [&] {
    CompressOptions o;
    o.model = m;
    o.adaptive = false;
    return o;
  }());
  ASSERT_TRUE(c) << c.status().message();
  EXPECT_LT(c->size(), std::strlen(kText) / 2);
}

TEST(LlmCodec, RoundTripsTextAndAnyBytes) {
  const auto& m = stories();
  ASSERT_TRUE(m);
  std::vector<std::pair<std::string, Bytes>> inputs = {
      {"story", test::to_bytes(std::string(kText) + "\n\n" + kText)},
      {"invalid utf-8 and U+2581", test::to_bytes(std::string("caf\xC3\xA9 \xFF\xFE na\xE2\x96\x81ve \x80 end "))},
      {"leading spaces", test::to_bytes("  two spaces, then text\n")},
      {"binary", test::random_bytes(3000, 7)},
      {"empty", {}}};
  for (const auto& [what, data] : inputs) {
    CompressOptions o;
    o.model = m;
    o.adaptive = false;
    o.chunk_size = 300;  // many chunks, a short last one
    auto c = compress_buffer(data, o);
    ASSERT_TRUE(c) << what << ": " << c.status().message();
    for (LaneMode lanes : {LaneMode::never, LaneMode::always}) {  // one chunk at a time, or in lockstep
      DecompressOptions d;
      d.resolve = model_resolver_fixed(m);
      d.engine.lanes = lanes;
      auto back = decompress_buffer(*c, d);
      ASSERT_TRUE(back) << what << ": " << back.status().message();
      EXPECT_EQ(*back, data) << what;
    }
  }
}

TEST(LlmCodec, LockstepLanesDecodeAsOneChunkAlone) {
  // Chunks of one size end after different numbers of tokens: lanes that
  // end early are fed on, and each lane's result is its own.
  const auto& m = stories();
  ASSERT_TRUE(m);
  const TokenText& text = *m->token_text();
  std::vector<Bytes> contents = {test::to_bytes(std::string(kText).substr(0, 120)),
                                 test::to_bytes(std::string(kText).substr(60, 120)), test::random_bytes(120, 9)};
  std::vector<std::vector<uint8_t>> payloads(contents.size());
  auto one = m->make_predictor();
  for (size_t i = 0; i < 2; ++i) ASSERT_TRUE(chunk_encode_tokens(*one, text, contents[i], payloads[i]));
  ASSERT_FALSE(chunk_encode_tokens(*one, text, contents[2], payloads[2]));  // random bytes do not shrink
  payloads[2] = payloads[0];
  payloads[2][payloads[2].size() / 2] ^= 0x5A;  // damaged: caught, as alone
  auto lanes = m->make_predictor_lanes(4);
  ASSERT_GE(lanes->max_lanes(), 3u);
  std::vector<Bytes> out(3, Bytes(120));
  std::vector<ChunkLane> jobs;
  for (size_t i = 0; i < 3; ++i) jobs.push_back({payloads[i], out[i]});
  chunk_decode_tokens(*lanes, text, jobs, true);
  EXPECT_TRUE(jobs[0].canonical);
  EXPECT_TRUE(jobs[1].canonical);
  EXPECT_EQ(out[0], contents[0]);
  EXPECT_EQ(out[1], contents[1]);
  EXPECT_FALSE(jobs[2].canonical && out[2] == contents[0]);
}

TEST(LlmCodec, RejectsForgedPayloads) {
  const auto& m = stories();
  ASSERT_TRUE(m);
  const TokenText& text = *m->token_text();
  const Bytes content = test::to_bytes(kText);
  auto p = m->make_predictor();
  std::vector<uint8_t> payload;
  ASSERT_TRUE(chunk_encode_tokens(*p, text, content, payload));
  Bytes out(content.size());
  EXPECT_TRUE(chunk_decode_tokens(*p, text, payload, out, true));
  EXPECT_EQ(out, content);
  // Every single-byte change is caught (or decodes the same bytes canonically).
  size_t caught = 0;
  for (size_t i = 0; i < payload.size(); ++i) {
    auto bad = payload;
    bad[i] ^= 0x5A;
    Bytes o(content.size());
    if (!chunk_decode_tokens(*p, text, bad, o, true) || o != content) ++caught;
  }
  EXPECT_EQ(caught, payload.size());
  // A chunk that claims more bytes than the payload codes ends, rejected.
  Bytes longer(content.size() + 1000);
  EXPECT_FALSE(chunk_decode_tokens(*p, text, payload, longer, true));
  // Ids other than the model's own tokenisation are rejected: "hi" as its
  // two byte tokens spells the right bytes but is not the encoder's coding.
  const Bytes hi = test::to_bytes("hi");
  EXPECT_GT(ids_of(*m, "hi").front(), 258u);  // a piece, not a byte token (3 + 256 of those first)
  std::vector<Symbol> bytes_ids = {3 + Symbol('h'), 3 + Symbol('i')};
  ASSERT_EQ(text.text(bytes_ids[0], true), "h");
  std::vector<uint8_t> forged;
  {
    RangeEncoder enc(forged);
    std::vector<uint32_t> f(512);
    p->reset();
    for (size_t i = 0; i < bytes_ids.size(); ++i) {
      if (i > 0) p->update(bytes_ids[i - 1]);
      symbol_encode(enc, f.data(), p->predict(f.data()), bytes_ids[i]);
    }
    enc.finish();
  }
  Bytes o(2);
  EXPECT_FALSE(chunk_decode_tokens(*p, text, forged, o, true));
  EXPECT_EQ(o, hi);  // it decoded the bytes, then refused the coding
}

TEST(LlmRandom, EveryTensorTypeRoundTripsAndIsDeterministic) {
  TempDir dir;
  KernelGuard guard;
  const Bytes data = test::text_like(1500, 3);
  for (const char* arch : {"llama", "qwen2"}) {
    for (const char* type : {"f32", "f16", "bf16", "q8_0", "q4_0", "q4_k", "q6_k"}) {
      if (std::string(arch) == "qwen2" && std::string(type) != "q8_0" && std::string(type) != "f16") continue;
      LlmRandomSpec spec;
      spec.arch = arch;
      spec.type = type;
      spec.vocab = 700;
      auto m = random_llm(dir, spec);
      ASSERT_TRUE(m) << type;
      const auto ids = ids_of(*m, "the quick brown fox jumps over the lazy dog, again and again and again");
      std::vector<uint32_t> first;
      for (const char* path : {"scalar", "avx2", "avx512", "neon"}) {
        if (!kernels_select(path)) continue;
        const auto step = step_freqs(*m, ids);
        EXPECT_EQ(step, batch_freqs(*m, ids)) << arch << " " << type << " " << path;
        if (first.empty()) first = step;
        EXPECT_EQ(step, first) << arch << " " << type << " " << path;
      }
      kernels_select(guard.saved.c_str());
      for (bool adaptive : {false, true}) {  // token payloads; the stage with the token network
        std::vector<Bytes> coded;
        for (unsigned threads : {1u, 3u}) {
          CompressOptions o;
          o.model = m;
          o.adaptive = adaptive;
          o.chunk_size = adaptive ? 700 : 256;
          o.threads = threads;
          auto c = compress_buffer(data, o);
          ASSERT_TRUE(c) << type;
          coded.push_back(*c);
          DecompressOptions d;
          d.resolve = model_resolver_fixed(m);
          d.threads = 4 - threads;
          d.engine.lanes = threads == 1 ? LaneMode::always : LaneMode::never;
          auto back = decompress_buffer(*c, d);
          ASSERT_TRUE(back) << type << ": " << back.status().message();
          EXPECT_EQ(*back, data) << type;
        }
        EXPECT_EQ(coded[0], coded[1]) << arch << " " << type << " adaptive " << adaptive
                                      << ": 1 and 3 threads code differently";
      }
    }
  }
}

TEST(LlmKernels, RowGroupsAgreeWithTheReference) {
  const LlmKernels* fast = llm_kernels_avx2();
  if (!fast || !kernels_available("avx2")) GTEST_SKIP() << "no AVX2 here";
  std::mt19937 rng(5);
  std::uniform_real_distribution<float> u(-2.f, 2.f);
  alignas(32) int8_t x[256];
  float dx[8];
  int32_t xs[8];
  for (int trial = 0; trial < 300; ++trial) {
    LlmRowGroup g;
    g.nrows = 1 + trial % 8;
    g.nsub = 1 + (trial / 8) % 8;
    for (int r = 0; r < 8; ++r) {
      for (int i = 0; i < 256; ++i) g.q[r][i] = trial == 0 ? -128 : int8_t(rng());  // trial 0: the extremes
      for (int i = 0; i < 16; ++i) g.sc[r][i] = int16_t(int(rng() % 256) - 128);
    }
    for (int j = 0; j < 8; ++j)
      for (int r = 0; r < 8; ++r) g.ws[j][r] = u(rng), g.wm[j][r] = trial % 2 ? u(rng) : 0.f;
    for (int i = 0; i < 256; ++i) x[i] = trial == 0 ? int8_t(i % 2 ? 127 : -127) : int8_t(int(rng() % 255) - 127);
    for (int j = 0; j < 8; ++j) dx[j] = u(rng), xs[j] = int32_t(rng() % 8001) - 4000;
    float a[8], b[8];
    for (int r = 0; r < 8; ++r) a[r] = b[r] = u(rng);
    llm_kernels_scalar().row_group(g, x, dx, xs, a);
    fast->row_group(g, x, dx, xs, b);
    for (int r = 0; r < g.nrows; ++r) EXPECT_EQ(std::memcmp(&a[r], &b[r], 4), 0) << trial << " row " << r;
  }
}

TEST(LlmKernels, AttentionAgreesWithTheReference) {
  const LlmKernels* fast = llm_kernels_avx2();
  if (!fast || !kernels_available("avx2")) GTEST_SKIP() << "no AVX2 here";
  std::mt19937 rng(6);
  std::uniform_real_distribution<float> u(-3.f, 3.f);
  for (int hd : {8, 12, 64, 3}) {  // whole vectors, a tail, several, less than one
    for (int64_t n : {1, 7, 8, 19, 130}) {
      const size_t stride = size_t(hd) * 3 + 1;
      std::vector<float> q(static_cast<size_t>(hd)), kv(static_cast<size_t>(n) * stride), e(static_cast<size_t>(n));
      for (auto& x : q) x = u(rng);
      for (auto& x : kv) x = u(rng);
      for (auto& x : e) x = u(rng) + 3.f;
      std::vector<float> a(static_cast<size_t>(n)), b(a), oa(static_cast<size_t>(hd)), ob(oa);
      llm_kernels_scalar().attn_scores(q.data(), kv.data(), stride, n, hd, 0.125f, a.data());
      fast->attn_scores(q.data(), kv.data(), stride, n, hd, 0.125f, b.data());
      EXPECT_EQ(std::memcmp(a.data(), b.data(), a.size() * 4), 0) << hd << " " << n;
      llm_kernels_scalar().attn_mix(e.data(), kv.data(), stride, n, hd, oa.data());
      fast->attn_mix(e.data(), kv.data(), stride, n, hd, ob.data());
      EXPECT_EQ(std::memcmp(oa.data(), ob.data(), oa.size() * 4), 0) << hd << " " << n;
    }
  }
}

TEST(LlmCli, ConvertDescribeCompressDecompress) {
  // README's worked example, through the program.
  TempDir dir;
  const std::string cli = test::lmzip_cli(), q = test::sh_quote(kStories);
  auto r = test::shell(dir, cli + " model convert " + q + "stories260K.bin " + q + "tok512.bin -o stories260K.gguf");
  ASSERT_EQ(r.code, 0) << r;
  EXPECT_NE(r.out.find("architecture           llama"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("vocabulary             512"), std::string::npos) << r.out;
  test::write_text(dir.file("story.txt"), std::string(kText) + "\n" + kText + "\n");
  // The adaptive stage is the default; a token model turns it off by itself.
  r = test::shell(dir, cli + " -q -k -m stories260K.gguf story.txt && " + cli + " -q -d -m stories260K.gguf -c story.txt.lmz > back.txt");
  ASSERT_EQ(r.code, 0) << r;
  EXPECT_EQ(test::read_text(dir.file("back.txt")), test::read_text(dir.file("story.txt")));
  EXPECT_LT(test::read_bytes(dir.file("story.txt.lmz")).size(), std::strlen(kText));
  // Without the model the frame names, decoding fails with a message, not a crash.
  r = test::shell(dir, cli + " -d -c story.txt.lmz > /dev/null");
  EXPECT_EQ(r.code, 1) << r;
  EXPECT_NE(r.err.find("stories260K"), std::string::npos) << r.err;
}

TEST(LlmConvert, RejectsWhatIsNoLlama2cCheckpoint) {
  TempDir dir;
  const std::string out = dir.file("x.gguf");
  test::write_bytes(dir.file("short.bin"), test::random_bytes(20, 1));
  EXPECT_FALSE(model_convert_llama2c(dir.file("short.bin"), kStories + "tok512.bin", out, ""));
  Bytes bin = test::read_bytes(kStories + "stories260K.bin");
  bin.resize(bin.size() - 4);  // one float short
  test::write_bytes(dir.file("cut.bin"), bin);
  Status st = model_convert_llama2c(dir.file("cut.bin"), kStories + "tok512.bin", out, "");
  EXPECT_FALSE(st);
  EXPECT_NE(st.message().find("floats"), std::string::npos) << st.message();
  EXPECT_FALSE(test::path_exists(out));
  EXPECT_FALSE(model_convert_llama2c(kStories + "stories260K.bin", dir.file("short.bin"), out, ""));
}

}  // namespace
}  // namespace lmzip
