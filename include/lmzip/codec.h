// Compressing and decompressing .lmz frames (format: docs/FORMAT.md).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "lmzip/engine.h"
#include "lmzip/error.h"
#include "lmzip/format_limits.h"
#include "lmzip/io.h"
#include "lmzip/model.h"

namespace lmzip {

// Called from the coordinating thread after each batch of chunks.
using ProgressFn = std::function<void(uint64_t bytes_in, uint64_t bytes_out)>;

// Largest input the encoder holds in memory to find its layout; a larger
// file is compressed as plain bytes, streaming.
inline constexpr uint64_t kLayoutMaxBytes = uint64_t{1} << 31;  // 2 GiB

// Adaptive stages the encoder writes (their numbers in the frame).
inline constexpr uint8_t kAdaptiveStageFull = 2;  // the default
inline constexpr uint8_t kAdaptiveStageFast = 3;  // a third of the models: about twice as fast (lmzip -0)

struct CompressOptions {
  std::shared_ptr<const Model> model;  // required: the byte model
  // Image and audio models (ModelInfo::data says which), at most 7. An input
  // whose layout (WAV, PGM/PPM, BMP; PNG with png_pixels) one of them fits
  // is split: its samples are coded with the first model that fits, the
  // rest (headers, padding) with `model` (docs/FORMAT.md, "Layouts").
  std::vector<std::shared_ptr<const Model>> media_models;
  // More media models, opened only for an input whose first bytes look like
  // one of those files (called at most once per compress()), so that other
  // inputs do not pay for loading them. Null: none.
  std::function<std::vector<std::shared_ptr<const Model>>()> media_models_open;
  bool layouts = true;       // false: every input is plain bytes
  // Store a PNG's pixels rather than the file (an image layout "png-pixels"):
  // decompression then writes a PNG with exactly these pixels, not the
  // original file. Only with a matching image model; a PNG whose pixels are
  // not exactly 8-bit gray or RGB (alpha, 16-bit, transparency) is refused
  // with invalid_argument.
  bool png_pixels = false;
  // Image tile order (docs/FORMAT.md): true, full-height strips stacked into
  // one tall image, so that a chunk spans strips and a model that adapts to
  // its chunk learns from more of the picture; false, a grid of tiles, one
  // per chunk (the format's first order, kept for tests and old readers).
  bool image_strips = true;
  // The adaptive stage (docs/ARCHITECTURE.md, "Adaptive stage"): a frame of
  // plain bytes has each chunk coded by the stage, which learns the chunk as
  // it goes. With adaptive_network the byte model's prediction is one of the
  // stage's inputs, and the encoder keeps the smaller of the chunk coded with
  // it and without it (the stage alone); a chunk that neither shrinks is
  // stored. Frames with a layout are unchanged unless adaptive_samples.
  bool adaptive = false;
  bool adaptive_network = true;
  // With adaptive and adaptive_network, audio samples go through the stage
  // too, with the audio model as its input, in chunks of 1 MiB; the encoder
  // keeps the smaller of that and the audio model alone. About 1% smaller on
  // speech, but the stage then decodes a chunk one lane at a time unless its
  // lanes start on a sample (slow: tens of kB/s).
  bool adaptive_samples = false;
  // The stage to write (docs/FORMAT.md, "Adaptive payload"): 0, the default
  // (kAdaptiveStageFull); kAdaptiveStageFast; 1, the first stage, only to
  // reproduce old files (tests).
  uint8_t adaptive_stage = 0;
  // With a network, the chunk is coded in segments of 2^adaptive_lane_log2
  // bytes (at most 64; 10 ..= 26, or 0: one segment), stepped in lockstep:
  // the decoder then runs the network on many segments at once, on all its
  // threads, for a little more output (docs/FORMAT.md, "Adaptive payload").
  uint8_t adaptive_lane_log2 = 15;
  // With a network, also code each chunk by the stage alone and keep the
  // smaller; false: the network's coding (or a stored chunk) only, for half
  // the stage's work.
  bool adaptive_try_alone = true;
  uint64_t layout_max_bytes = kLayoutMaxBytes;  // inputs held in memory at most
  unsigned threads = 1;                // worker threads, >= 1
  uint32_t chunk_size = 0;             // 0: the default of the model coding the samples
  ProgressFn progress;
};

struct DecompressOptions {
  ModelResolver resolve = model_resolver_installed({});  // built-in models only
  unsigned threads = 1;
  EngineOptions engine;  // whether chunks of a model are decoded together (lmzip/engine.h)
  ProgressFn progress;
};

struct CompressStats {
  uint64_t bytes_in = 0;
  uint64_t bytes_out = 0;
  // compress: how the (last) input was laid out: "bytes" (plain), "wav",
  // "pgm", "ppm", "bmp" or "png-pixels", and the model that coded its
  // samples (empty for plain bytes).
  std::string layout = "bytes";
  std::string samples_model;
};

Status compress(ByteSource& in, ByteSink& out, const CompressOptions& options,
                CompressStats* stats = nullptr);

// Decodes every frame of `in` (concatenated frames decode to concatenated
// content, as with gzip). Everything written to `out` has passed its chunk
// checksum; the whole-content checksum is verified at the end of each frame.
Status decompress(ByteSource& in, ByteSink& out, const DecompressOptions& options,
                  CompressStats* stats = nullptr);

// One call, buffer to buffer: compress() / decompress() over memory.
Result<std::vector<uint8_t>> compress_buffer(std::span<const uint8_t> data, const CompressOptions& options);
Result<std::vector<uint8_t>> decompress_buffer(std::span<const uint8_t> data, const DecompressOptions& options);

// A decoder that keeps what it makes between inputs (as zstd's ZSTD_DCtx):
// the models' predictors, the adaptive stage's tables, its threads. Decoding
// many small inputs through one skips most of decompress()'s set-up, which
// dominates a small input (the first touch of the stage's tables). The
// output does not depend on what was decoded before. One call at a time.
class Decompressor {
 public:
  explicit Decompressor(DecompressOptions options = {});
  ~Decompressor();
  Decompressor(Decompressor&&) noexcept;
  Decompressor& operator=(Decompressor&&) noexcept;
  // As decompress() with the constructor's options.
  Status decompress(ByteSource& in, ByteSink& out, CompressStats* stats = nullptr);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

struct FrameModel {
  std::string name;
  IdentityPrefix identity;  // version 4: a prefix for a shipped model
};

struct FrameInfo {
  int version = 1;                  // format version of the frame
  std::string model_name;           // the first model (the byte model)
  IdentityPrefix model_identity;
  std::vector<FrameModel> models;   // the whole model table
  std::string layout = "bytes";     // as CompressStats::layout
  uint32_t chunk_size = 0;
  uint64_t original_size = 0;      // content bytes (png-pixels: the pixels, not the PNG written)
  uint64_t compressed_size = 0;   // whole frame, headers included
  uint64_t chunks = 0;
  uint64_t raw_chunks = 0;        // chunks stored without modelling
  uint8_t adaptive_stage = 0;     // the frame's adaptive stage (0: none)
  uint64_t adaptive_chunks = 0;   // chunks the stage coded
};

// Walks the frames' structure without decoding payloads (checks structure,
// not checksums). One entry per frame.
Result<std::vector<FrameInfo>> frame_list(ByteSource& in);

const char* version_string();

}  // namespace lmzip
