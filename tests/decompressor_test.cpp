// A Decompressor keeps its predictors and stage tables between inputs; what it
// decodes must not depend on what it decoded before.
#include <gtest/gtest.h>

#include <algorithm>

#include "media_test_models.h"
#include "test_util.h"

namespace lmzip::test {
namespace {

// The golden files: every format version, stage and mode, valid and not.
std::vector<Bytes> golden_inputs() {
  std::vector<Bytes> inputs;
  for (const char* kind : {"valid", "invalid"}) {
    const std::string dir = std::string(LMZIP_SOURCE_DIR) + "/tests/golden/" + kind;
    for (const auto& name : dir_names(dir))
      if (name.ends_with(".lmz")) inputs.push_back(read_bytes(dir + "/" + name));
  }
  return inputs;
}

TEST(Decompressor, ReusedGivesWhatAFreshDecoderGives) {
  std::vector<Bytes> inputs = golden_inputs();
  ASSERT_GT(inputs.size(), 100u);
  for (const unsigned threads : {1u, 2u}) {
    std::vector<Decoded> fresh;
    for (const Bytes& in : inputs) fresh.push_back(decompress_bytes(in, threads, media_test_resolver()));
    DecompressOptions options;
    options.resolve = media_test_resolver();
    options.threads = threads;
    Decompressor reused(options);
    // Forwards, then backwards: each input follows different ones.
    for (const bool backwards : {false, true}) {
      for (size_t k = 0; k < inputs.size(); ++k) {
        const size_t i = backwards ? inputs.size() - 1 - k : k;
        SCOPED_TRACE(i);
        MemorySource src(inputs[i]);
        MemorySink sink;
        const Status st = reused.decompress(src, sink);
        EXPECT_EQ(st.code(), fresh[i].status.code()) << st.message();
        EXPECT_EQ(st.message(), fresh[i].status.message());
        EXPECT_EQ(sink.bytes(), fresh[i].out);
      }
    }
  }
}

}  // namespace
}  // namespace lmzip::test
