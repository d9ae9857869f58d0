// The layout of a file that the codec splits into samples (for an image or
// audio model) and verbatim bytes (docs/FORMAT.md, "Layouts"): the one
// description that detection returns, the frame stores as it is, and the
// chunk plan and the join read. What is particular to one file kind lives in
// src/layout/kinds/ behind the table of file_kind.h.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace lmzip {

// Largest original content a layout may describe (H + P + T): the decoder
// rebuilds such a file in memory at the end of its frame.
inline constexpr uint64_t kMaxLayoutBytes = uint64_t{1} << 31;

// Format values (the frame's layout kind byte): never renumber.
enum class LayoutKind : uint8_t { none = 0, wav = 1, pnm = 2, bmp = 3, png_pixels = 4 };

struct Layout {
  LayoutKind kind = LayoutKind::none;
  // header_bytes + payload_bytes + trailer_bytes == the file's size.
  uint64_t header_bytes = 0;   // bytes before the samples, kept verbatim
  uint64_t payload_bytes = 0;  // the samples as stored in the file (images: with any row padding)
  uint64_t trailer_bytes = 0;  // bytes after them, kept verbatim
  // Audio: interleaved little-endian PCM, whole frames; 8-bit samples are
  // unsigned (as WAV stores them), wider ones signed. Images: bits per
  // channel; 16-bit samples are big-endian (only PNM has them).
  uint32_t channels = 0, bits = 0;
  // Images (pnm, bmp, png_pixels):
  uint32_t width = 0, height = 0;
  uint32_t row_stride = 0;  // bytes per stored row, >= width * channels * bytes (BMP pads to 4)
  bool bottom_up = false;   // rows stored bottom row first (BMP with positive height)
  bool bgr = false;         // channels stored B,G,R (BMP)
  // The encoder's choices, not the file's: detection leaves them 0.
  uint32_t tile_width = 0;  // pixels per tile row: the image model's width
  // Tile order: false, a grid of tiles, each one chunk; true, strips of the
  // full height stacked into one tall image, cut into chunks of whole rows
  // (docs/FORMAT.md, "Chunks of a frame with a layout").
  bool strips = false;
  bool operator==(const Layout&) const = default;
};

// A file in parts. `samples` is the payload as a model sees it: for images
// rows top-down, channels R,G,B, no padding; for audio the payload bytes
// unchanged. `residue` holds the image row padding in file order (empty
// otherwise), so that nothing is lost.
struct LayoutParts {
  std::vector<uint8_t> header, samples, residue, trailer;
};

bool layout_is_image(LayoutKind kind);
// "bytes", "wav", "pgm", "ppm", "bmp", "png-pixels".
std::string layout_name(const Layout& layout);

// Checks a layout against the frame's chunk size: what a decoder requires
// (docs/FORMAT.md). Empty string when valid, else what is wrong.
std::string layout_problem(const Layout& layout, uint32_t chunk_size);

}  // namespace lmzip
