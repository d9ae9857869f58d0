// The chunks of a version 2 frame with a layout (docs/FORMAT.md, "Layouts"):
// first the verbatim section (header ‖ residue ‖ trailer of the original
// file, chunked at the chunk size), then the samples section, transformed
// for its model: image tiles, or one audio channel per chunk. The encoder
// cuts chunks with it, the decoder checks each record's size against it and
// puts the samples back together (FileRebuild).
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include "layout/layout.h"
#include "lmzip/error.h"

namespace lmzip {

class ChunkPlan {
 public:
  // `layout` has passed layout_problem for this chunk size.
  ChunkPlan(const Layout& layout, uint32_t chunk_size);

  uint64_t verbatim_bytes() const { return verbatim_; }  // header + residue + trailer
  uint64_t samples_bytes() const { return samples_; }    // the samples without tile padding
  uint64_t verbatim_chunks() const { return verbatim_chunks_; }
  uint64_t chunks() const { return verbatim_chunks_ + sample_chunks_; }
  // The frame end's content size: the file's size (png-pixels: the pixels').
  uint64_t content_bytes() const;
  // Content bytes of chunk i < chunks().
  uint32_t chunk_size(uint64_t i) const;

  // Encoder: the content of chunk i < chunks() of a file split into `parts`.
  void chunk_cut(const LayoutParts& parts, uint64_t i, std::vector<uint8_t>& out) const;
  // Encoder: the content of samples chunk j (0-based within the section)
  // from all the samples (model order: rows top-down, R,G,B; audio interleaved).
  void sample_chunk(std::span<const uint8_t> samples, uint64_t j, std::vector<uint8_t>& out) const;

  // Decoder: takes samples chunks in order (each of its planned size) and
  // appends the samples they complete to *samples; memory grows only with
  // the content received.
  void sample_chunk_take(uint64_t j, std::span<const uint8_t> content, std::vector<uint8_t>* samples);

 private:
  Layout l_;
  uint32_t c_;
  bool image_;
  uint64_t verbatim_ = 0, samples_ = 0, verbatim_chunks_ = 0, sample_chunks_ = 0;
  // Images: tile rows / columns (strips: rows per chunk / strips); audio:
  // bytes per sample, frames, frames per block.
  uint64_t tile_rows_ = 0, tile_cols_ = 0;
  uint64_t sample_bytes_ = 0, frames_ = 0, block_frames_ = 0;
  // Strips: where row y of the tall image lies in the samples (byte offset)
  // and how many of its pixels are real (the rest of the strip width is padding).
  void strip_row(uint64_t y, uint64_t* offset, uint64_t* pixels) const;
  // Decoder: the chunks of the current tile band / audio block (strips: all of them).
  std::vector<uint8_t> group_;
};

// Decoder: the file of a layout frame, rebuilt from its chunks as they
// arrive. The codec checks each record's size against plan() first.
class FileRebuild {
 public:
  FileRebuild(const Layout& layout, uint32_t chunk_size) : layout_(layout), plan_(layout, chunk_size) {}
  const ChunkPlan& plan() const { return plan_; }

  // The content of chunk i, in order, each of its planned size.
  void chunk_take(uint64_t i, std::span<const uint8_t> content);

  // Once every chunk is taken: the file, checked with `content_ok` (whether
  // an XXH64 of the content is the frame end's: of the file, or for
  // content_is_samples of the samples) and,
  // where the file is the original, against detection: the layout must be
  // the one the encoder finds in the file it rebuilds. corrupt saying what
  // is wrong (the caller adds where).
  Result<std::vector<uint8_t>> file(const std::function<bool(uint64_t digest)>& content_ok);

 private:
  Layout layout_;
  ChunkPlan plan_;
  std::vector<uint8_t> verbatim_, samples_;
};

}  // namespace lmzip
