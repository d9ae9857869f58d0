// libFuzzer target for the decoder: any input must give a Status, never a
// crash, hang, sanitizer report or giant allocation. Each input is
// decompressed with the built-in models (model_resolver_installed({})) into a
// MemorySink and walked with frame_list, as it is and with its header
// checksum fixed (fuzz/decoder_check.h). Run by scripts/fuzz.sh; the corpus
// it keeps is replayed under ctest by tests/fuzz_corpus_test.cpp.
#include <cstdio>
#include <cstdlib>

#include "decoder_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (const char* problem = lmzip::fuzz::decoder_check({data, size})) {
    std::fprintf(stderr, "decoder_fuzzer: %s\n", problem);
    std::abort();
  }
  return 0;
}
