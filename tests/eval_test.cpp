// lmzip/eval.h: the paper protocol's ideal code length agrees with what the
// codec writes, and sampling is a function of the seed alone.
#include <gtest/gtest.h>

#include <string>

#include "kernels/kernels.h"
#include "lmzip/codec.h"
#include "lmzip/eval.h"
#include "lmzip/llm.h"
#include "media_test_models.h"
#include "test_util.h"

namespace lmzip {
namespace {

using test::Bytes;

// The codec with the model alone (the protocol's chunks) writes the ideal
// code length plus, per chunk, its record (tag, sizes, checksum: at most 14
// bytes) and the range coder's end (at most 8 bytes), plus the frame's header
// and end.
void expect_codec_matches(const std::shared_ptr<const Model>& m, const Bytes& data, uint32_t chunk) {
  auto r = model_eval(*m, data, chunk);
  ASSERT_TRUE(r) << r.status().message();
  EXPECT_EQ(r->bytes, data.size());
  CompressOptions o;
  o.model = m;
  o.adaptive = false;
  o.layouts = false;
  o.chunk_size = chunk;
  auto c = compress_buffer(data, o);
  ASSERT_TRUE(c);
  const double ideal = r->bits / 8.0, actual = double(c->size());
  EXPECT_GE(actual, ideal) << m->name();
  EXPECT_LE(actual, ideal + 100.0 + 22.0 * double(r->chunks)) << m->name() << ": " << r->chunks << " chunks";
}

TEST(Eval, IdealCodeLengthIsWhatTheCodecWrites) {
  expect_codec_matches(test::order2(), test::text_like(20000, 4), 4096);
  // A token model, on text it compresses (a chunk it does not is stored).
  test::TempDir dir;
  const std::string d = std::string(LMZIP_DATA_DIR) + "/model/llama2c_stories260K/";
  ASSERT_TRUE(model_convert_llama2c(d + "stories260K.bin", d + "tok512.bin", dir.file("s.gguf"), ""));
  auto llm = model_open(dir.file("s.gguf"));
  ASSERT_TRUE(llm);
  std::string story;
  for (int i = 0; i < 12; ++i)
    story += "Once upon a time, there was a little girl named Lily. She loved to play outside in the park. "
             "One day, she saw a big, red ball. ";
  const Bytes text = test::to_bytes(story);
  expect_codec_matches(*llm, text, 512);
  auto r = model_eval(**llm, text, 512);
  ASSERT_TRUE(r);
  EXPECT_LT(r->symbols, r->bytes / 2);  // tokens, not bytes
}

TEST(Eval, PositionsAddUpToTheTotal) {
  // The first bytes of a chunk cost more than the last: order2 has no
  // context at offset 0 and two bytes of it from offset 2.
  const Bytes text = test::text_like(8192, 5);
  auto r = model_eval(*test::order2(), text, 1024, true);
  ASSERT_TRUE(r);
  ASSERT_EQ(r->position_bits.size(), 1024u);
  double sum = 0, first = 0, late = 0;
  for (size_t k = 0; k < 1024; ++k) {
    EXPECT_EQ(r->position_chunks[k], 8u);
    sum += r->position_bits[k];
    (k < 2 ? first : late) += r->position_bits[k];
  }
  EXPECT_NEAR(sum, r->bits, 1e-6 * r->bits);
  EXPECT_GT(first / 2, late / 1022);
}

TEST(Eval, MediaModelsMeasureTheSamplesAsTheCodecCutsThem) {
  const auto& models = test::test_media_models();
  const auto gray = models[0], audio16 = models[3];  // gray: tiles 16 wide, chunks of 512 bytes (32 rows)
  // A narrow last tile column (40 = 16 + 16 + 8) and a short last band (70 = 32 + 32 + 6).
  const Bytes pgm = test::make_pnm(40, 70, 1, 3);
  auto r = model_eval(*gray, pgm, 0, true);
  ASSERT_TRUE(r) << r.status().message();
  EXPECT_EQ(r->bytes, 40u * 70u);
  EXPECT_EQ(r->chunks, 9u);
  double sum = 0;
  for (double b : r->position_bits) sum += b;
  EXPECT_NEAR(sum, r->bits, 1e-6 * r->bits);
  EXPECT_EQ(r->position_chunks.front(), 9u);  // every tile starts at offset 0
  EXPECT_EQ(r->position_chunks.back(), 6u);   // the last band's tiles are 6 rows
  // The codec in the same tiles writes those bits plus the header (order2) and the records.
  CompressOptions o = test::media_options();
  o.media_models = {gray};
  o.adaptive = false;
  o.chunk_size = 512;
  o.image_strips = false;
  auto c = compress_buffer(pgm, o);
  ASSERT_TRUE(c) << c.status().message();
  const double ideal = r->bits / 8.0;
  EXPECT_GE(double(c->size()), ideal);
  EXPECT_LE(double(c->size()), ideal + 100.0 + 30.0 /* the PGM header */ + 22.0 * double(r->chunks + 1));
  // Audio: one chunk per 256 samples of 16 bits.
  auto a = model_eval(*audio16, test::make_wav(1, 16, 3000), 0);
  ASSERT_TRUE(a) << a.status().message();
  EXPECT_EQ(a->bytes, 6000u);
  EXPECT_EQ(a->chunks, 12u);
  // Files that are not the model's kind or shape are errors.
  EXPECT_FALSE(model_eval(*gray, test::to_bytes("text"), 0));
  EXPECT_FALSE(model_eval(*gray, test::make_pnm(40, 70, 3), 0));
  EXPECT_FALSE(model_eval(*gray, test::make_wav(1, 16, 3000), 0));
  EXPECT_FALSE(model_eval(*audio16, pgm, 0));
  EXPECT_FALSE(model_eval(*audio16, test::make_wav(1, 8, 3000), 0));
}

TEST(Sample, MediaModelsDrawWithinOneChunk) {
  const auto gray = test::test_media_models()[0];  // chunks of 512 bytes
  auto a = model_sample(*gray, {}, 512, 4), b = model_sample(*gray, {}, 512, 4);
  ASSERT_TRUE(a && b) << a.status().message();
  EXPECT_EQ(a->size(), 512u);
  EXPECT_EQ(*a, *b);
  const Bytes prompt(a->begin(), a->begin() + 100);
  EXPECT_TRUE(model_sample(*gray, prompt, 412, 4));
  EXPECT_FALSE(model_sample(*gray, prompt, 413, 4));
  EXPECT_FALSE(model_sample(*gray, {}, 513, 4));
}

TEST(Sample, TheSeedFixesTheBytes) {
  const auto m = test::order2();
  const Bytes prompt = test::to_bytes("the ");
  auto a = model_sample(*m, prompt, 300, 7), b = model_sample(*m, prompt, 300, 7), c = model_sample(*m, prompt, 300, 8);
  ASSERT_TRUE(a && b && c);
  EXPECT_EQ(a->size(), 300u);
  EXPECT_EQ(*a, *b);
  EXPECT_NE(*a, *c);
  // On every kernel path (a network's frequencies are the same on each).
  test::TempDir dir;
  LlmRandomSpec spec;
  spec.vocab = 600;
  spec.type = "q4_k";
  spec.layers = 1;
  ASSERT_TRUE(model_random_llm_write(spec, dir.file("r.gguf")));
  auto llm = model_open(dir.file("r.gguf"));
  ASSERT_TRUE(llm);
  const std::string saved = kernels().name;
  std::vector<Bytes> drawn;
  for (const char* path : {"scalar", "avx2", "avx512", "neon"}) {
    if (!kernels_select(path)) continue;
    auto s = model_sample(**llm, prompt, 200, 3);
    ASSERT_TRUE(s) << s.status().message();
    EXPECT_EQ(s->size(), 200u);
    drawn.push_back(*s);
  }
  kernels_select(saved.c_str());
  for (const auto& s : drawn) EXPECT_EQ(s, drawn.front());
}

}  // namespace
}  // namespace lmzip

namespace lmzip {
namespace {

TEST(EvalCli, EvalAndSampleCommands) {
  test::TempDir dir;
  const std::string cli = test::lmzip_cli();
  test::write_bytes(dir.file("a.txt"), test::text_like(5000, 2));
  auto r = test::shell(dir, cli + " eval -m order2 -c 1024 a.txt a.txt");
  ASSERT_EQ(r.code, 0) << r;
  EXPECT_NE(r.out.find("bits/byte"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("total"), std::string::npos) << r.out;
  auto a = test::shell(dir, cli + " sample -m order2 -n 100 --seed 5");
  auto b = test::shell(dir, cli + " sample -m order2 -n 100 --seed 5");
  ASSERT_EQ(a.code, 0) << a;
  EXPECT_EQ(a.out.size(), 100u);
  EXPECT_EQ(a.out, b.out);
  r = test::shell(dir, cli + " eval -m order2 missing.txt");
  EXPECT_EQ(r.code, 1) << r;
  EXPECT_NE(r.err.find("missing.txt"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace lmzip
