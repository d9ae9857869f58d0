// Replays every input the decoder fuzzer kept (fuzz/corpus/decoder/, from
// scripts/fuzz.sh; crash-* files are fixed crashes) with the fuzzer's own
// checks (fuzz/decoder_check.h): decompress and frame_list must not crash,
// any Status is fine, and an accepted input's structure must agree with what
// decodes. With one thread and with two.
#include <gtest/gtest.h>

#include "../fuzz/decoder_check.h"
#include "../fuzz/media_check.h"
#include "test_util.h"

namespace lmzip::test {
namespace {

TEST(FuzzCorpus, DecoderInputsNeverCrash) {
  const std::string dir = std::string(LMZIP_SOURCE_DIR) + "/fuzz/corpus/decoder";
  const auto names = dir_names(dir);
  if (names.empty()) GTEST_SKIP() << dir << " is empty";
  size_t accepted = 0;
  for (const auto& name : names) {
    const Bytes input = read_bytes(dir + "/" + name);
    for (unsigned threads : {1u, 2u}) {
      const char* problem = fuzz::decoder_check(input, threads);
      EXPECT_EQ(problem, nullptr) << name << ": " << problem;
    }
    MemorySource src(input);
    MemorySink sink;
    accepted += fuzz::decompressor(1).decompress(src, sink).ok();
  }
  std::printf("  %zu corpus inputs, %zu of them decode\n", names.size(), accepted);
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
