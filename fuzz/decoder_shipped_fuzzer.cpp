// The decoder fuzzer's slow variant: as decoder_fuzzer, with the shipped
// models of models/ (a real network per byte: tens of inputs per second),
// seeded with text compressed at each level (fuzz/decoder_check.h).
#include <cstdio>
#include <cstdlib>

#include "decoder_check.h"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  lmzip::fuzz::seeds_write(lmzip::fuzz::Models::shipped);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (const char* problem = lmzip::fuzz::decoder_check({data, size}, lmzip::fuzz::Models::shipped)) {
    std::fprintf(stderr, "decoder_shipped_fuzzer: %s\n", problem);
    std::abort();
  }
  return 0;
}
