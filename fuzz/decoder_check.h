// What the decoder fuzzer checks for one input, shared with the corpus replay
// under ctest (tests/fuzz_corpus_test.cpp).
#pragma once

#include <xxhash.h>

#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "../tests/media_test_models.h"
#include "gguf/gguf.h"
#include "lmzip/codec.h"
#include "lmzip/io.h"
#include "transformer/transformer.h"

namespace lmzip::fuzz {

// Which models the decoder finds. tiny (decoder_fuzzer): the built-in models
// with order2's predictors recycled (making one clears 34 MB), the tests'
// image and audio models (order2 under other names: tests/media_test_models.h),
// so that version 2 frames with layouts, like the golden ones, decode past the
// model lookup, and a tiny random transformer (tiny_transformer()), so that the
// network paths run at a fuzzer's pace. shipped (decoder_shipped_fuzzer, slow):
// the models of the source tree's models/, as lmzip runs them.
enum class Models { tiny, shipped };

// d 16, 1 layer, 2 heads: a real network of about 4,000 weights.
inline std::shared_ptr<const Model> tiny_transformer() {
  static const std::shared_ptr<const Model> model = [] {
    RandomModelOptions o;
    o.d = 16;
    o.layers = 1;
    o.heads = 2;
    o.window = 64;
    o.name = "fuzz-tiny-transformer";
    auto m = transformer_model_parse(gguf::gguf_serialize(transformer_random_gguf(o)), o.name);
    if (!m) std::abort();  // a fixed spec: cannot fail
    return std::shared_ptr<const Model>(*m);
  }();
  return model;
}

inline ModelResolver resolver(Models models) {
  if (models == Models::shipped) return model_resolver_installed({std::string(LMZIP_SOURCE_DIR) + "/models"});
  return [](const std::string& name, const IdentityPrefix& id) -> Result<std::shared_ptr<const Model>> {
    static const ModelResolver media = test::media_test_resolver();
    const auto& tiny = tiny_transformer();
    if (name == tiny->name() && id.matches(tiny->identity())) return tiny;
    return media(name, id);
  };
}

// What the seed frames hold: less for the slow shipped models.
inline std::vector<uint8_t> seed_text(Models models) { return test::text_like(models == Models::tiny ? 3000 : 800, 7); }

// Frames for the fuzzers to start from, besides the golden files (which use
// order2 and the media models only): text through each path of `models`'s
// networks, modelled (in lanes) and adaptive (stages 2 and 3).
inline std::vector<std::pair<std::string, std::vector<uint8_t>>> seed_frames(Models models) {
  std::vector<std::pair<std::string, std::vector<uint8_t>>> seeds;
  const std::vector<uint8_t> text = seed_text(models);
  auto add = [&](const std::string& name, const CompressOptions& o) {
    MemorySource src(text);
    MemorySink sink;
    if (!compress(src, sink, o)) std::abort();
    seeds.emplace_back(name, std::move(sink.bytes()));
  };
  std::vector<std::pair<std::string, std::shared_ptr<const Model>>> networks;
  if (models == Models::tiny) {
    networks.emplace_back("tiny", tiny_transformer());
  } else {
    for (int level = 1; level <= kModelLevelMax; ++level) {
      auto m = model_open(model_level_name(level), {std::string(LMZIP_SOURCE_DIR) + "/models"});
      if (!m) std::abort();
      networks.emplace_back("level" + std::to_string(level), *m);
    }
  }
  for (const auto& [name, model] : networks) {
    CompressOptions o;
    o.model = model;
    o.chunk_size = 512;
    add("seed-" + name + "-modelled", o);
    o.chunk_size = 0;
    o.adaptive = true;
    add("seed-" + name + "-adaptive", o);
    o.adaptive_stage = kAdaptiveStageFast;
    add("seed-" + name + "-adaptive-fast", o);
  }
  return seeds;
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
// One Decompressor per models and thread count serves every input, as a
// program decoding many files would use it: its set-up (the stage's tables)
// would otherwise take most of the time of a small input.
inline Decompressor& decompressor(Models models, unsigned threads) {
  static std::vector<std::unique_ptr<Decompressor>> made(16);
  auto& d = made.at(size_t(models) * 8 + threads);
  if (!d) {
    DecompressOptions options;
    options.resolve = resolver(models);
    options.threads = threads;
    d = std::make_unique<Decompressor>(options);
  }
  return *d;
}

inline const char* decoder_check_one(std::span<const uint8_t> input, Models models, unsigned threads) {
  MemorySource src(input);
  MemorySink sink;
  CompressStats stats;
  const Status st = decompressor(models, threads).decompress(src, sink, &stats);
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
inline const char* decoder_check(std::span<const uint8_t> input, Models models = Models::tiny, unsigned threads = 1) {
  if (const char* p = decoder_check_one(input, models, threads)) return p;
  const std::vector<uint8_t> fixed = header_fixed(input);
  if (!fixed.empty()) return decoder_check_one(fixed, models, threads);
  return nullptr;
}

// LLVMFuzzerInitialize of the decoder fuzzers: with $LMZIP_FUZZ_SEEDS set (by
// scripts/fuzz.sh), writes seed_frames() into that directory.
inline void seeds_write(Models models) {
  const char* dir = std::getenv("LMZIP_FUZZ_SEEDS");
  if (!dir) return;
  for (const auto& [name, bytes] : seed_frames(models)) {
    const std::string path = std::string(dir) + "/" + name;
    if (FILE* f = std::fopen(path.c_str(), "wb")) {
      std::fwrite(bytes.data(), 1, bytes.size(), f);
      std::fclose(f);
    }
  }
}

}  // namespace lmzip::fuzz
