// train_bpe.h: byte-level BPE for the tokenization study (the paper's
// Table 2): pieces, learned merges, lossless encoding, the merges file.
#include <gtest/gtest.h>

#include <string>

#include "test_util.h"
#include "train_bpe.h"

namespace lmzip::train {
namespace {

std::string pieces_of(const std::string& s) {
  const auto bytes = test::to_bytes(s);
  std::string out;
  size_t at = 0;
  for (size_t end : bpe_pieces(bytes)) {
    out += "[" + s.substr(at, end - at) + "]";
    at = end;
  }
  return out;
}

std::string decode(const BpeEncoder& e, const std::vector<int>& ids) {
  std::string s;
  for (int id : ids) s += e.token_bytes(id);
  return s;
}

TEST(TrainBpe, PiecesKeepOneSpaceWithTheWordAfterIt) {
  EXPECT_EQ(pieces_of("the cat  sat.\n\n--x"), "[the][ cat][ ][ sat][.][\n\n][--][x]");
  EXPECT_EQ(pieces_of(" a"), "[ a]");
  EXPECT_EQ(pieces_of("caf\xc3\xa9 2024"), "[caf\xc3\xa9][ 2024]");
  EXPECT_EQ(pieces_of(""), "");
}

TEST(TrainBpe, LearnsFrequentPairsAndEncodesLosslessly) {
  std::string text;
  for (int i = 0; i < 50; ++i) text += "the cat sat on the mat with the hat. ";
  const auto bytes = test::to_bytes(text);
  const BpeMerges m = bpe_train(bytes, 270);
  EXPECT_EQ(m.vocab(), 270);
  // With room to spare, merging stops once every piece is one token.
  EXPECT_LT(bpe_train(bytes, 1000).vocab(), 300);
  BpeEncoder e(m);
  EXPECT_EQ(e.token_bytes(256).size(), 2u);  // the first merge joins two bytes
  std::vector<int> ids;
  e.encode(bytes, ids);
  EXPECT_EQ(decode(e, ids), text);
  EXPECT_LT(ids.size(), bytes.size() / 2);
  // With every merge it can learn, each piece of the training text is one token.
  BpeEncoder full(bpe_train(bytes, 1000));
  std::vector<int> whole;
  full.encode(bytes, whole);
  EXPECT_EQ(whole.size(), bpe_pieces(bytes).size());
  // Any bytes, also ones never seen in training.
  const auto other = test::random_bytes(3000, 7);
  ids.clear();
  e.encode(other, ids);
  EXPECT_EQ(decode(e, ids), std::string(other.begin(), other.end()));
  // The same text gives the same merges.
  EXPECT_EQ(bpe_train(bytes, 270).merges, m.merges);
}

TEST(TrainBpe, StopsWhenNoPairRepeats) {
  const BpeMerges m = bpe_train(test::to_bytes("abcdefg"), 1000);
  EXPECT_EQ(m.vocab(), 256);
}

TEST(TrainBpe, MergesFileRoundTripsAndBadFilesAreRefused) {
  test::TempDir dir;
  const BpeMerges m = bpe_train(test::text_like(20000, 3), 400);
  ASSERT_TRUE(bpe_write(m, dir.file("v.bpe")));
  auto r = bpe_read(dir.file("v.bpe"));
  ASSERT_TRUE(r) << r.status().message();
  EXPECT_EQ(r->merges, m.merges);
  test::write_text(dir.file("bad1"), "something else\n");
  test::write_text(dir.file("bad2"), "lmzip-bpe 1\n1 2\n300 1\n");  // 300 does not exist yet
  test::write_text(dir.file("bad3"), "lmzip-bpe 1\n1 2 3\n");
  for (const char* f : {"bad1", "bad2", "bad3", "missing"}) EXPECT_FALSE(bpe_read(dir.file(f))) << f;
}

}  // namespace
}  // namespace lmzip::train

#include <cmath>

#include "train_run.h"

namespace lmzip::train {
namespace {

// A token model (the tokenization study) learns, checkpoints and resumes.
TEST(TrainBpe, TokenModelLearnsAndItsCheckpointLoads) {
  const std::string text = [] {
    std::string s;
    for (int i = 0; i < 40; ++i) s += "it was the best of times, it was the worst of times. ";
    return s;
  }();
  const auto bytes = test::to_bytes(text);
  BpeEncoder enc(bpe_train(bytes, 300));
  TrainOptions o;
  o.model.d = 32;
  o.model.layers = 1;
  o.model.heads = 2;
  o.model.ffn = 64;
  o.model.window = 32;
  o.vocab = enc.vocab();
  o.model.tags = uint32_t((o.vocab + 255) / 256);
  o.batch = 4;
  o.ctx = 16;
  o.lr = 1e-2;
  o.warmup = 5;
  o.steps = 60;
  o.eval_every = 0;
  o.quiet = true;
  DataLoader d;
  ASSERT_TRUE(bpe_add_source(enc, d, "text", bytes, 1.0, o.ctx));
  EXPECT_GT(d.bytes_per_symbol(), 2.0);  // the merges joined bytes into tokens
  EvalSet e{"text", bytes, 256, 0, {}, {}};
  bpe_chunk_ids(enc, e);
  ASSERT_EQ(e.chunk_ids.size(), eval_chunks(e).size());
  test::TempDir dir;
  o.checkpoint = dir.file("t.ckpt");
  auto t = Trainer::create(o, d, {e}, false);
  ASSERT_TRUE(t) << t.status().message();
  const double before = (*t)->evaluate()[0];
  ASSERT_TRUE((*t)->run());
  const double after = (*t)->evaluate()[0];
  EXPECT_LT(after, before / 2) << before;  // bits per byte of the text
  auto s = load_checkpoint(o.checkpoint);
  ASSERT_TRUE(s) << s.status().message();
  EXPECT_EQ(s->params.size(), (*t)->model().num_params());
  // A byte run cannot resume it, nor can a byte dev set go with a token model.
  TrainOptions bytes_run = o;
  bytes_run.vocab = kVocabOut;
  DataLoader bd;
  ASSERT_TRUE(bd.add_bytes("text", bytes, 1.0, o.ctx));
  EXPECT_FALSE(Trainer::create(bytes_run, bd, {}, true));
  EvalSet plain{"text", bytes, 256, 0, {}, {}};
  EXPECT_FALSE(Trainer::create(o, d, {plain}, false));
  // A vocabulary beyond the input ids' room is refused.
  TrainOptions wide = o;
  wide.model.tags = 1;
  EXPECT_FALSE(Trainer::create(wide, d, {}, false));
}

}  // namespace
}  // namespace lmzip::train
