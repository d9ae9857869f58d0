// The .lmz frame layout (docs/FORMAT.md): writing on the encoder side,
// validating parsing on the decoder side. Every field a decoder reads is
// checked before it is used; nothing is allocated from an unchecked size.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "lmzip/codec.h"
#include "lmzip/io.h"
#include "lmzip/model.h"

namespace lmzip::format {

inline constexpr uint8_t kMagic[4] = {0x89, 'L', 'M', 'Z'};
inline constexpr uint8_t kVersion = 2;        // the newest version this build reads and writes
inline constexpr uint8_t kVersionPlain = 1;   // what the encoder writes for one model and no layout
inline constexpr size_t kMaxModelName = 64;
inline constexpr size_t kMaxModels = 8;       // model table entries (v2); chunk tags carry a 3-bit slot
// Largest original content a layout may describe (H + P + T): the decoder
// rebuilds such a file in memory at the end of its frame.
inline constexpr uint64_t kMaxLayoutBytes = uint64_t{1} << 31;

struct ModelRef {
  std::string name;
  Sha256 identity{};
  bool operator==(const ModelRef&) const = default;
};

// How the frame's content was split (v2). Kinds are format values.
enum class LayoutKind : uint8_t { none = 0, wav = 1, pnm = 2, bmp = 3, png_pixels = 4 };

struct Layout {
  LayoutKind kind = LayoutKind::none;
  uint64_t header_bytes = 0, payload_bytes = 0, trailer_bytes = 0;
  uint32_t channels = 0, bits = 0;
  // Images (pnm, bmp, png_pixels):
  uint32_t width = 0, height = 0, row_stride = 0;
  bool bottom_up = false, bgr = false;
  uint32_t tile_width = 0;  // pixels per tile row: the image model's width
  // Tile order: false, a grid of tiles, each one chunk; true, strips of the
  // full height stacked into one tall image, cut into chunks of whole rows
  // (docs/FORMAT.md, "Chunks of a frame with a layout").
  bool strips = false;
  bool operator==(const Layout&) const = default;
};

bool layout_is_image(LayoutKind kind);
// "bytes", "wav", "pgm", "ppm", "bmp", "png-pixels".
std::string layout_name(const Layout& layout);

struct FrameHeader {
  uint8_t version = kVersionPlain;
  std::vector<ModelRef> models;  // v1: exactly one
  uint32_t chunk_size = 0;
  Layout layout;                 // v1: always none
};

enum class ChunkMode : uint8_t { end = 0, stored = 1, modelled = 2 };

struct ChunkRecord {
  ChunkMode mode = ChunkMode::end;
  uint8_t slot = 0;           // model table index (v2; 0 in v1)
  uint32_t raw_size = 0;      // bytes of content
  uint32_t payload_size = 0;  // bytes that follow the record header
  uint32_t checksum = 0;      // low 32 bits of XXH64 of the content
};

struct FrameEnd {
  uint64_t original_size = 0;
  uint64_t checksum = 0;  // XXH64 of the whole content
};

bool model_name_valid(const std::string& name);

// Checks a layout against the frame's chunk size: what a decoder requires
// (docs/FORMAT.md). Empty string when valid, else what is wrong.
std::string layout_problem(const Layout& layout, uint32_t chunk_size);

// Writes version 1 when header.version is 1 (one model, no layout), else version 2.
void frame_header_write(const FrameHeader& header, std::vector<uint8_t>& out);
void chunk_record_write(const ChunkRecord& record, uint32_t chunk_size, std::vector<uint8_t>& out);
void frame_end_write(const FrameEnd& end, std::vector<uint8_t>& out);

// Reads frames from a stream.
class FrameReader {
 public:
  explicit FrameReader(ByteSource& in) : in_(in) {}

  // True when the input has no more bytes (between frames).
  Result<bool> at_input_end();
  Status read_header(FrameHeader* header);
  // Reads the next record; for ChunkMode::end also fills *end.
  Status read_record(const FrameHeader& header, ChunkRecord* record, FrameEnd* end);
  Status read_payload(uint32_t size, std::vector<uint8_t>* payload);
  // Skips a payload without keeping it (listing).
  Status skip(uint64_t size);

  uint64_t offset() const { return offset_; }

 private:
  Status fill();
  Status read_exact(uint8_t* dst, size_t n, const char* what);
  Status read_varint(uint32_t* value, const char* what);
  Status corrupt(const std::string& what) const;
  Status read_header_v2(std::vector<uint8_t>& covered, FrameHeader* h);

  ByteSource& in_;
  std::vector<uint8_t> buf_ = std::vector<uint8_t>(1 << 16);
  size_t pos_ = 0, len_ = 0;
  bool eof_ = false;
  uint64_t offset_ = 0;  // bytes of input consumed
};

}  // namespace lmzip::format
