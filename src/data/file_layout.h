// Recognises the layout of an uncompressed audio or image file (WAV, binary
// PGM/PPM, BMP) and splits it losslessly into the bytes a model should see
// (samples / pixels) and the bytes to keep verbatim (header, row padding,
// trailer). Groundwork for compressing such files with an audio or image
// model: nothing here compresses anything.
//
// Detection never fails: whatever is not recognised with certainty (unknown,
// truncated, inconsistent or unsupported) is `raw`, the whole file one
// payload. Split and join are exact inverses for any file and the layout
// detected for it, whatever the file holds.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "lmzip/error.h"

namespace lmzip::data {

enum class LayoutKind : uint8_t { raw, audio_pcm, image_gray, image_rgb };

struct FileLayout {
  LayoutKind kind = LayoutKind::raw;
  // header_bytes + payload_bytes + trailer_bytes == the file's size.
  uint64_t header_bytes = 0;   // bytes before the payload, kept verbatim
  uint64_t payload_bytes = 0;  // the samples / pixels as stored in the file
  uint64_t trailer_bytes = 0;  // bytes after the payload, kept verbatim

  // audio_pcm: interleaved little-endian PCM, whole frames only; 8-bit
  // samples are unsigned (as WAV stores them), 16 and 24 bits signed.
  uint32_t channels = 0, bits_per_sample = 0, sample_rate = 0;

  // image_gray / image_rgb. 16-bit samples are big-endian (only PNM has them).
  uint32_t width = 0, height = 0, channels_per_pixel = 0, bits_per_channel = 0;
  uint32_t row_stride = 0;  // bytes per stored row, >= width * channels * bytes (BMP pads to 4)
  bool bottom_up = false;   // rows stored bottom row first (BMP with positive height)
  bool bgr = false;         // channels stored B,G,R (BMP)

  std::string name = "raw";  // "wav", "pgm", "ppm", "bmp" or "raw"

  bool operator==(const FileLayout&) const = default;
};

// Never fails: anything unrecognised is kind raw with header_bytes = 0,
// payload_bytes = file.size(), trailer_bytes = 0.
FileLayout file_layout_detect(std::span<const uint8_t> file);

// The file in parts. `samples` is the payload as a model should see it: for
// images rows top-down, channels R,G,B, no padding; for audio and raw the
// payload bytes unchanged. `residue` holds the image row padding in file
// order (empty otherwise), so that nothing is lost.
struct LayoutParts {
  std::vector<uint8_t> header, samples, residue, trailer;
};

// invalid_argument if `layout` does not describe a file of this size or is
// inconsistent in itself (never the case for a layout file_layout_detect
// returned for this file).
Result<LayoutParts> file_layout_split(std::span<const uint8_t> file, const FileLayout& layout);

// The exact inverse of file_layout_split: file_layout_join(l, split(f, l)) == f.
// invalid_argument (never a crash) when the parts' sizes disagree with the layout.
Result<std::vector<uint8_t>> file_layout_join(const FileLayout& layout, const LayoutParts& parts);

}  // namespace lmzip::data
