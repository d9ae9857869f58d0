// lmzip-train's exit status: a run stopped before its last step exits with 75
// (EX_TEMPFAIL), so that a script chaining training phases (scripts/train.sh)
// stops with it instead of starting the next phase early.
#include <gtest/gtest.h>

#include <string>

#include "test_util.h"

namespace lmzip::test {
namespace {

std::string tiny_run(const std::string& extra) {
  return sh_quote(LMZIP_TRAIN_CLI_PATH) +
         " --threads 1 train --d 16 --heads 2 --layers 1 --window 32 --ctx 32 --batch 2"
         " --warmup 1 --steps 4 --eval-every 0 --quiet --data text.txt --checkpoint run.ckpt --resume " +
         extra;
}

TEST(TrainCli, StoppedEarlyExits75AndResumesToTheEnd) {
  TempDir dir;
  std::string text;
  for (int i = 0; i < 40; ++i) text += "the quick brown fox jumps over the lazy dog. ";
  write_text(dir.file("text.txt"), text);

  // A time limit far below one step stops the run after its first step.
  RunResult r = shell(dir, tiny_run("--max-minutes 0.000001"));
  EXPECT_EQ(r.code, 75) << r;
  EXPECT_NE(r.out.find("stopped at step 1 of 4"), std::string::npos) << r;
  EXPECT_TRUE(path_exists(dir.file("run.ckpt")));

  r = shell(dir, tiny_run(""));
  EXPECT_EQ(r.code, 0) << r;

  // A phase that the checkpoint has already passed is complete at once.
  r = shell(dir, tiny_run("--stop-at 2"));
  EXPECT_EQ(r.code, 0) << r;
}

}  // namespace
}  // namespace lmzip::test

namespace lmzip::test {
namespace {

// The tokenization study from the command line: learn merges, train a token
// model, measure it; it is not a model lmzip runs, so export refuses it.
TEST(TrainCli, TokenModelOfLearnedMerges) {
  TempDir dir;
  std::string text;
  for (int i = 0; i < 60; ++i) text += "the quick brown fox jumps over the lazy dog. ";
  write_text(dir.file("text.txt"), text);
  const std::string cli = sh_quote(LMZIP_TRAIN_CLI_PATH) + " --threads 1 ";
  RunResult r = shell(dir, cli + "bpe --vocab 300 --out v.bpe text.txt");
  ASSERT_EQ(r.code, 0) << r;
  EXPECT_NE(r.out.find("bytes per token"), std::string::npos) << r;
  r = shell(dir, cli + "train --d 16 --heads 2 --layers 1 --window 32 --ctx 16 --batch 2 --warmup 1 --steps 3 "
                       "--eval-every 0 --quiet --bpe v.bpe --data text.txt --checkpoint t.ckpt");
  ASSERT_EQ(r.code, 0) << r;
  EXPECT_NE(r.out.find("tokens: "), std::string::npos) << r;
  r = shell(dir, cli + "eval --checkpoint t.ckpt --bpe v.bpe text.txt");
  ASSERT_EQ(r.code, 0) << r;
  EXPECT_NE(r.out.find("bits/byte"), std::string::npos) << r;
  r = shell(dir, cli + "eval --checkpoint t.ckpt text.txt");  // without its merges
  EXPECT_NE(r.code, 0) << r;
  r = shell(dir, cli + "export --checkpoint t.ckpt --out t.gguf");
  EXPECT_NE(r.code, 0) << r;
  EXPECT_NE(r.err.find("token model"), std::string::npos) << r;
  EXPECT_FALSE(path_exists(dir.file("t.gguf")));
}

}  // namespace
}  // namespace lmzip::test
