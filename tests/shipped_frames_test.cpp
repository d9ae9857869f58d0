// Files written with a model that has since stopped being a level's default
// must keep decoding: tests/golden/shipped/NAME.lmz was compressed by the
// shipped model NAME (lmzip 0.2.0, the adaptive stage with the model as an
// input) and must decode to NAME.out with the models of this tree. Frozen:
// never regenerated. A failure means a shipped model was removed, renamed or
// changed; a retrained model takes a new name (docs/MODELS.md).
#include <gtest/gtest.h>

#include <filesystem>

#include "test_util.h"

namespace lmzip {
namespace {

using namespace lmzip::test;

TEST(ShippedFrames, DecodeWithTheModelsThatWroteThem) {
  const std::filesystem::path dir = std::filesystem::path(LMZIP_SOURCE_DIR) / "tests/golden/shipped";
  for (const char* name : {"lmzip-text-200k", "lmzip-text-800k", "lmzip-text-3m"}) {
    SCOPED_TRACE(name);
    const Bytes lmz = read_bytes((dir / (std::string(name) + ".lmz")).string());
    const Bytes want = read_bytes((dir / (std::string(name) + ".out")).string());
    MemorySource src(lmz);
    auto frames = frame_list(src);
    ASSERT_TRUE(frames.ok()) << frames.status().message();
    ASSERT_EQ(frames->size(), 1u);
    EXPECT_EQ((*frames)[0].model_name, name);
    const Decoded d = decompress_bytes(lmz, 2);
    ASSERT_TRUE(d.status.ok()) << d.status.message();
    EXPECT_EQ(d.out, want);
  }
}

}  // namespace
}  // namespace lmzip
