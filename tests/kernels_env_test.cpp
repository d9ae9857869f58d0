// LMZIP_KERNELS=scalar|avx2|avx512|neon runs the whole test program on that
// kernel path (scripts/test-arm.sh, the CI's per-path runs), as it does the
// lmzip program: the library reads no environment variable, its programs do.
#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

#include "lmzip/engine.h"

namespace lmzip {
namespace {

const bool kKernelsFromEnvironment = [] {
  const char* env = std::getenv("LMZIP_KERNELS");
  if (!env || !*env) return false;
  if (!kernels_use(env)) kernels_use("scalar");  // the reference when this machine lacks the path
  return true;
}();

TEST(KernelsEnvironment, PathNamedIsInUse) {
  const char* env = std::getenv("LMZIP_KERNELS");
  if (!env || !*env) GTEST_SKIP() << "LMZIP_KERNELS is not set";
  EXPECT_TRUE(kKernelsFromEnvironment);
  const std::string want = env;
  EXPECT_TRUE(kernels_in_use() == want || kernels_in_use() == "scalar") << kernels_in_use();
}

}  // namespace
}  // namespace lmzip
