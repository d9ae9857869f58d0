// libFuzzer target for the decoder: any input must give a Status, never a
// crash, hang, sanitizer report or giant allocation. Each input is
// decompressed with tiny models (order2, the tests' media models, a tiny
// random transformer: fuzz/decoder_check.h) into a MemorySink and walked with
// frame_list, as it is and with its header checksum fixed. Run by
// scripts/fuzz.sh; the corpus it keeps is replayed under ctest by
// tests/fuzz_corpus_test.cpp. decoder_shipped_fuzzer is the slow variant with
// the shipped models.
#include <cstdio>
#include <cstdlib>

#include "decoder_check.h"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  lmzip::fuzz::seeds_write(lmzip::fuzz::Models::tiny);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (const char* problem = lmzip::fuzz::decoder_check({data, size}, lmzip::fuzz::Models::tiny)) {
    std::fprintf(stderr, "decoder_fuzzer: %s\n", problem);
    std::abort();
  }
  return 0;
}
