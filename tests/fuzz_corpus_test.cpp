// Replays every input the decoder fuzzers kept (fuzz/corpus/decoder/ and
// decoder_shipped/, from scripts/fuzz.sh; crash-* files are fixed crashes) with the fuzzer's own
// checks (fuzz/decoder_check.h): decompress and frame_list must not crash,
// any Status is fine, and an accepted input's structure must agree with what
// decodes. With one thread and with two.
#include <gtest/gtest.h>

#include "../fuzz/decoder_check.h"
#include "../fuzz/media_check.h"
#include "test_util.h"

namespace lmzip::test {
namespace {

// corpus/NAME, replayed with `models` at each thread count.
void decoder_corpus_replay(const std::string& name, fuzz::Models models, std::initializer_list<unsigned> thread_counts) {
  const std::string dir = std::string(LMZIP_SOURCE_DIR) + "/fuzz/corpus/" + name;
  const auto names = dir_names(dir);
  if (names.empty()) GTEST_SKIP() << dir << " is empty";
  size_t accepted = 0;
  for (const auto& name : names) {
    const Bytes input = read_bytes(dir + "/" + name);
    for (unsigned threads : thread_counts) {
      const char* problem = fuzz::decoder_check(input, models, threads);
      EXPECT_EQ(problem, nullptr) << name << ": " << problem;
    }
    MemorySource src(input);
    MemorySink sink;
    accepted += fuzz::decompressor(models, *thread_counts.begin()).decompress(src, sink).ok();
  }
  std::printf("  %zu corpus inputs, %zu of them decode\n", names.size(), accepted);
}

TEST(FuzzCorpus, DecoderInputsNeverCrash) { decoder_corpus_replay("decoder", fuzz::Models::tiny, {1u, 2u}); }
// Real networks are slow (under ASan too): two threads only.
TEST(FuzzCorpus, DecoderShippedInputsNeverCrash) {
  decoder_corpus_replay("decoder_shipped", fuzz::Models::shipped, {2u});
}

// The fuzzers' seeds are frames that decode, through the networks they are
// there to exercise.
TEST(FuzzCorpus, SeedFramesDecode) {
  for (const auto models : {fuzz::Models::tiny, fuzz::Models::shipped}) {
    const auto seeds = fuzz::seed_frames(models);
    EXPECT_EQ(seeds.size(), models == fuzz::Models::tiny ? 3u : 9u);
    for (const auto& [name, frame] : seeds) {
      MemorySource src(frame);
      MemorySink sink;
      EXPECT_TRUE(fuzz::decompressor(models, 2).decompress(src, sink)) << name;
      EXPECT_EQ(sink.bytes(), fuzz::seed_text(models)) << name;
      EXPECT_EQ(fuzz::decoder_check(frame, models), nullptr) << name;
    }
  }
}

// The media fuzzer's corpus (fuzz/corpus/media/): each input round-trips
// through the file-kind parsers.
TEST(FuzzCorpus, MediaInputsRoundTrip) {
  const std::string dir = std::string(LMZIP_SOURCE_DIR) + "/fuzz/corpus/media";
  const auto names = dir_names(dir);
  if (names.empty()) GTEST_SKIP() << dir << " is empty";
  for (const auto& name : names) {
    const char* problem = fuzz::media_check(read_bytes(dir + "/" + name));
    EXPECT_EQ(problem, nullptr) << name << ": " << problem;
  }
  std::printf("  %zu corpus inputs\n", names.size());
}

}  // namespace
}  // namespace lmzip::test
