// The one interface every compressor in the benchmark implements: classical
// codecs through their own libraries, and lmzip with any model.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "lmzip/error.h"

namespace lmzip::harness {

using Bytes = std::vector<uint8_t>;

enum class Modality { text, image, audio };

// How the bytes handed to a compressor are laid out, so that image and audio
// codecs can see pixels and samples.
struct DataShape {
  Modality modality = Modality::text;
  uint32_t channels = 1;     // image: 1 (gray) or 3 (RGB interleaved)
  uint32_t image_width = 0;  // image: pixels per row of a chunk (64); 0 otherwise
  uint32_t sample_bits = 8;  // audio: 8 (the paper's unsigned bytes) or 16 (signed little-endian)

  // Smallest unit the data can be cut at (a pixel, a sample).
  uint32_t unit_bytes() const { return modality == Modality::image ? channels : sample_bits / 8; }
};

class Baseline {
 public:
  virtual ~Baseline() = default;
  // Row label in the tables, e.g. "gzip -9".
  virtual std::string name() const = 0;
  // Whether this codec is measured on data of this shape (JPEG-XL only on images, …).
  virtual bool applies_to(const DataShape& shape) const {
    (void)shape;
    return true;
  }
  // Learned parameters the decoder needs (0 for classical codecs).
  virtual uint64_t parameters() const { return 0; }
  // A complete, self-contained compressed stream for `data`.
  virtual Result<Bytes> encode(std::span<const uint8_t> data, const DataShape& shape) const = 0;
  // Inverse of encode; the harness compares the result with the input.
  virtual Result<Bytes> decode(std::span<const uint8_t> encoded, const DataShape& shape) const = 0;

  // A codec whose own container already codes fixed-size chunks independently
  // (lmzip's frame) may take a run of chunks as one stream: the chunked
  // measurement then costs one set-up, not one per chunk, and the harness
  // measures exactly what each extra stream would have cost (see measure.h).
  virtual bool has_native_chunks() const { return false; }
  virtual Result<Bytes> encode_chunks(std::span<const uint8_t> data, uint32_t chunk_size,
                                      const DataShape& shape) const {
    (void)data;
    (void)chunk_size;
    (void)shape;
    return Status(ErrorCode::invalid_argument, name() + " has no native chunks");
  }
};

std::unique_ptr<Baseline> baseline_gzip();
std::unique_ptr<Baseline> baseline_lzma(uint32_t preset, bool extreme);
std::unique_ptr<Baseline> baseline_zstd();
std::unique_ptr<Baseline> baseline_bzip2();
std::unique_ptr<Baseline> baseline_brotli();
// paper_layout: every input reshaped to the two closest factors (width the
// smaller), as the paper's png.py does; otherwise images keep their width.
std::unique_ptr<Baseline> baseline_png(bool paper_layout);
std::unique_ptr<Baseline> baseline_flac();
std::unique_ptr<Baseline> baseline_jxl();
std::unique_ptr<Baseline> baseline_webp();

// Every classical codec, in the order of the tables.
std::vector<std::unique_ptr<Baseline>> baseline_classical_all();

}  // namespace lmzip::harness
