// What the decoder fuzzer checks for one input, shared with the corpus replay
// under ctest (tests/fuzz_corpus_test.cpp).
#pragma once

#include <xxhash.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "../tests/media_test_models.h"
#include "lmzip/codec.h"
#include "lmzip/io.h"

namespace lmzip::fuzz {

// The built-in models with order2's predictors recycled (making one clears
// 34 MB), and the tests' image and audio models (order2 under other names:
// tests/media_test_models.h), so that version 2 frames with layouts, like
// the golden ones, decode past the model lookup.
inline Result<std::shared_ptr<const Model>> resolve(const std::string& name, const IdentityPrefix& id) {
  static const ModelResolver resolver = test::media_test_resolver();
  return resolver(name, id);
}

// The input with its first frame's header checksum recomputed (versions 1
// to 4), so that mutations of the header fields reach the checks behind the
// checksum (model lookup, chunk size, layout). Empty when there is no such header, or when the chunk
// size is one the decoder accepts above 64 KiB: a forged 64 MiB chunk is
// valid and takes seconds to decode (a legitimate 64 MiB chunk of zeros
// codes to an empty payload), which would only drown the fuzzer in slow units.
inline std::vector<uint8_t> header_fixed(std::span<const uint8_t> in) {
  if (in.size() < 7 || in[0] != 0x89 || in[1] != 'L' || in[2] != 'M' || in[3] != 'Z') return {};
  auto layout_block = [](uint8_t kind) -> size_t { return kind == 0 ? 0 : 26 + (kind >= 2 ? 17 : 0); };
  uint64_t c = 0;       // the chunk size
  size_t sum_at = 0;    // offset of the header checksum
  size_t sum_bytes = 4;
  if (in[4] == 4) {
    // Version 4: the descriptor says which fields follow (docs/FORMAT.md).
    const uint8_t d = in[5];
    size_t p = 6;
    for (size_t i = 0; i <= (d & 7u); ++i) {
      if (p + 1 >= in.size()) return {};
      p += in[p] == 0 ? 2 + size_t{in[p + 1]} + 32 : 1 + 4;
    }
    if (p >= in.size()) return {};
    if (d & 0x40) {
      if (in[p] > 31) return {};
      c = uint64_t{1} << in[p++];
    } else {
      for (int shift = 0; p < in.size() && shift < 35; shift += 7) {
        c |= uint64_t{in[p] & 0x7Fu} << shift;
        if (!(in[p++] & 0x80)) break;
      }
    }
    if (d & 0x08) ++p;
    if (d & 0x10) {
      if (p >= in.size()) return {};
      p += 1 + layout_block(in[p]);
    }
    sum_at = p;
    sum_bytes = 2;
  } else if (in[4] == 2 || in[4] == 3) {
    // Versions 2 and 3: the model table, the chunk size, (v3) the adaptive
    // stage, the layout block.
    size_t p = 7;
    for (size_t i = 0; i < in[6] && i < 8; ++i) {
      if (p >= in.size()) return {};
      p += 1 + size_t{in[p]} + 32;
    }
    const size_t stage = in[4] == 3 ? 1 : 0;
    if (p + 5 + stage > in.size()) return {};
    for (int i = 3; i >= 0; --i) c = (c << 8) | in[p + static_cast<size_t>(i)];
    sum_at = p + 5 + stage + layout_block(in[p + 4 + stage]);
  } else {
    const size_t chunk_at = 39 + size_t{in[6]};
    if (in.size() < chunk_at + 4) return {};
    for (int i = 3; i >= 0; --i) c = (c << 8) | in[chunk_at + static_cast<size_t>(i)];
    sum_at = chunk_at + 4;
  }
  if (in.size() < sum_at + sum_bytes) return {};
  if (c > (1u << 16) && c <= (1u << 26)) return {};
  std::vector<uint8_t> out(in.begin(), in.end());
  const uint64_t sum = XXH64(out.data(), sum_at, 0);
  for (size_t i = 0; i < sum_bytes; ++i) out[sum_at + i] = static_cast<uint8_t>(sum >> (8 * i));
  return out;
}

// Decompresses into a MemorySink and walks the frames with frame_list.
// Returns what is wrong, or nullptr: any Status is fine, but an error needs a
// message and no internal error, and what decodes must also walk, with the
// same sizes. Crashes, hangs and sanitizer reports are the fuzzer's to catch.
// One Decompressor per thread count serves every input, as a program decoding
// many files would use it: its set-up (the stage's tables) would otherwise
// take most of the time of a small input.
inline Decompressor& decompressor(unsigned threads) {
  static std::vector<std::unique_ptr<Decompressor>> made(8);
  auto& d = made.at(threads);
  if (!d) {
    DecompressOptions options;
    options.resolve = resolve;
    options.threads = threads;
    d = std::make_unique<Decompressor>(options);
  }
  return *d;
}

inline const char* decoder_check_one(std::span<const uint8_t> input, unsigned threads = 1) {
  MemorySource src(input);
  MemorySink sink;
  CompressStats stats;
  const Status st = decompressor(threads).decompress(src, sink, &stats);
  if (!st.ok() && st.message().empty()) return "an error without a message";
  if (st.code() == ErrorCode::internal) return "an internal error";
  MemorySource list_src(input);
  auto frames = frame_list(list_src);
  if (!st.ok()) return nullptr;
  if (!frames) return "decompress accepted what frame_list rejects";
  uint64_t original = 0, compressed = 0;
  bool png = false;  // a png-pixels frame decodes to a PNG, not to its content bytes
  for (const auto& f : *frames) original += f.original_size, compressed += f.compressed_size, png |= f.layout == "png-pixels";
  if (!png && original != sink.bytes().size()) return "frame_list and decompress disagree on the size";
  if (compressed != input.size()) return "the frames do not cover the input";
  if (stats.bytes_out != sink.bytes().size()) return "the stats disagree with the output";
  return nullptr;
}

// The input as it is, then with its header checksum fixed.
inline const char* decoder_check(std::span<const uint8_t> input, unsigned threads = 1) {
  if (const char* p = decoder_check_one(input, threads)) return p;
  const std::vector<uint8_t> fixed = header_fixed(input);
  if (!fixed.empty()) return decoder_check_one(fixed, threads);
  return nullptr;
}

}  // namespace lmzip::fuzz
