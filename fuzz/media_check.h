// What the media fuzzer checks for one input, shared with the corpus replay
// under ctest (tests/fuzz_corpus_test.cpp): the input, compressed with the
// tests' image and audio models (order2 under other names,
// tests/media_test_models.h) so that every file-kind parser (WAV, PGM / PPM,
// BMP) looks at it, must decompress to exactly itself, with 1 thread and 2.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "../tests/media_test_models.h"
#include "lmzip/codec.h"
#include "lmzip/io.h"

namespace lmzip::fuzz {

inline const char* media_check(std::span<const uint8_t> input) {
  const test::LayoutCompressed c = test::compress_media(input, 1, false, kLayoutMaxBytes, 4096);
  if (!c.status.ok()) return "compression failed";
  for (unsigned threads : {1u, 2u}) {
    MemorySource src(c.lmz);
    MemorySink sink;
    DecompressOptions o;
    o.resolve = test::media_test_resolver();
    o.threads = threads;
    if (!decompress(src, sink, o).ok()) return "what lmzip wrote does not decompress";
    if (sink.bytes().size() != input.size() || !std::equal(input.begin(), input.end(), sink.bytes().begin()))
      return "decompression is not the input";
  }
  return nullptr;
}

}  // namespace lmzip::fuzz
