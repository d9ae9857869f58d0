// libFuzzer target for the file-kind parsers: any input, whatever its WAV /
// PNM / BMP header claims, compresses and decompresses to exactly itself
// (fuzz/media_check.h). Run by scripts/fuzz.sh; the corpus it keeps is
// replayed under ctest by tests/fuzz_corpus_test.cpp.
#include <cstdio>
#include <cstdlib>

#include "media_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (const char* problem = lmzip::fuzz::media_check({data, size})) {
    std::fprintf(stderr, "media_fuzzer: %s\n", problem);
    std::abort();
  }
  return 0;
}
