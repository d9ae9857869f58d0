// Compressing and decompressing .lmz frames (format: docs/FORMAT.md).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "lmzip/error.h"
#include "lmzip/io.h"
#include "lmzip/model.h"

namespace lmzip {

inline constexpr uint32_t kMaxChunkSize = 1u << 26;  // 64 MiB

// Called from the coordinating thread after each batch of chunks.
using ProgressFn = std::function<void(uint64_t bytes_in, uint64_t bytes_out)>;

struct CompressOptions {
  std::shared_ptr<const Model> model;  // required
  unsigned threads = 1;                // worker threads, >= 1
  uint32_t chunk_size = 0;             // 0: the model's default
  ProgressFn progress;
};

// Finds the model a frame names. Gets the name and identity from the frame.
using ModelResolver =
    std::function<Result<std::shared_ptr<const Model>>(const std::string& name, const Sha256& id)>;

// Default resolver: built-in models and shipped model files by name; refuses
// a model whose identity differs from the frame's.
Result<std::shared_ptr<const Model>> model_resolve_default(const std::string& name,
                                                           const Sha256& id);
// Resolver that only accepts `model`, with a message naming the model needed otherwise.
ModelResolver model_resolver_fixed(std::shared_ptr<const Model> model);

struct DecompressOptions {
  ModelResolver resolve = model_resolve_default;
  unsigned threads = 1;
  ProgressFn progress;
};

struct CompressStats {
  uint64_t bytes_in = 0;
  uint64_t bytes_out = 0;
};

Status compress(ByteSource& in, ByteSink& out, const CompressOptions& options,
                CompressStats* stats = nullptr);

// Decodes every frame of `in` (concatenated frames decode to concatenated
// content, as with gzip). Everything written to `out` has passed its chunk
// checksum; the whole-content checksum is verified at the end of each frame.
Status decompress(ByteSource& in, ByteSink& out, const DecompressOptions& options,
                  CompressStats* stats = nullptr);

struct FrameInfo {
  std::string model_name;
  Sha256 model_identity{};
  uint32_t chunk_size = 0;
  uint64_t original_size = 0;
  uint64_t compressed_size = 0;   // whole frame, headers included
  uint64_t chunks = 0;
  uint64_t raw_chunks = 0;        // chunks stored without modelling
};

// Walks the frames' structure without decoding payloads (checks structure,
// not checksums). One entry per frame.
Result<std::vector<FrameInfo>> frame_list(ByteSource& in);

const char* version_string();

}  // namespace lmzip
