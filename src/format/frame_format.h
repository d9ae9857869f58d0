// The .lmz frame layout (docs/FORMAT.md): writing on the encoder side,
// validating parsing on the decoder side. Every field a decoder reads is
// checked before it is used; nothing is allocated from an unchecked size.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "layout/layout.h"
#include "lmzip/format_limits.h"
#include "lmzip/io.h"
#include "lmzip/model.h"

namespace lmzip::format {

inline constexpr uint8_t kMagic[4] = {0x89, 'L', 'M', 'Z'};
inline constexpr uint8_t kVersion = 4;          // the newest version: the one the encoder writes
inline constexpr uint8_t kVersionAdaptive = 3;  // read only: the adaptive stage (a model table, a layout)
inline constexpr uint8_t kVersionLayout = 2;    // read only: a model table and a layout
inline constexpr uint8_t kVersionPlain = 1;     // read only: one model, no layout
inline constexpr size_t kMaxModelName = 64;
inline constexpr size_t kMaxModels = 8;       // model table entries (v2); chunk tags carry a 3-bit slot

// Version 4: the header's descriptor byte (docs/FORMAT.md).
namespace descriptor {
inline constexpr uint8_t kModelCount = 0x07;     // model count - 1
inline constexpr uint8_t kAdaptive = 0x08;       // the adaptive stage byte is present
inline constexpr uint8_t kLayout = 0x10;         // the layout kind and block are present
inline constexpr uint8_t kOneChunk = 0x20;       // exactly one chunk, its checksum the frame end's
inline constexpr uint8_t kChunkExponent = 0x40;  // the chunk size is 2^(one byte), else a varint
inline constexpr uint8_t kExactEnds = 0x80;      // coded payloads end exactly (RangeEncoder, range_coder.h)
}  // namespace descriptor
// Version 4: the stage byte's top bit, over the stage number in the low 7.
inline constexpr uint8_t kStageChecked = 0x80;   // adaptive payloads open with a size check

struct ModelRef {
  std::string name;
  IdentityPrefix identity;  // whole, except for a shipped model of a version 4 frame
  bool operator==(const ModelRef&) const = default;
};

struct FrameHeader {
  uint8_t version = kVersion;
  std::vector<ModelRef> models;  // v1: exactly one
  uint32_t chunk_size = 0;
  // The adaptive stage that codes mode 3 chunks (src/adaptive, adaptive_stage_known), >= 1 in v3; 0 before
  // v3, and in a v4 frame without one.
  uint8_t adaptive = 0;
  Layout layout;                 // v1: always none (src/layout/layout.h: how the content was split)
  // v4, without a layout: the frame holds exactly one chunk, whose record has no checksum (the frame
  // end's covers the same bytes).
  bool one_chunk = false;
  // v4: the modelled and adaptive payloads have exact ends (coder/range_coder.h): a decoder stops
  // where one would read past its payload. Always written; frames without it are those of earlier
  // encoders, whose payloads dropped every trailing zero byte.
  bool exact_ends = true;
  // v4 with an adaptive stage: every adaptive payload opens with a check of its chunk's claimed size
  // (codec/chunk_codec.h, PayloadRules). Always written; earlier encoders' frames lack it.
  bool adaptive_checked = true;
};

enum class ChunkMode : uint8_t { end = 0, stored = 1, modelled = 2, adaptive = 3 };

struct ChunkRecord {
  ChunkMode mode = ChunkMode::end;
  uint8_t slot = 0;           // model table index (v2; 0 in v1)
  // adaptive (v3): the stage alone, without the slot's model as its network (slot 0).
  bool alone = false;
  uint32_t raw_size = 0;      // bytes of content
  uint32_t payload_size = 0;  // bytes that follow the record header
  uint32_t checksum = 0;      // low 32 bits of XXH64 of the content (a v4 one-chunk frame: absent, 0)
};

struct FrameEnd {
  uint64_t original_size = 0;
  uint64_t checksum = 0;  // XXH64 of the whole content; v4: its low 32 bits
  bool checksum_whole = true;

  // Whether `digest`, the XXH64 of the content, is the one this end records.
  bool matches(uint64_t digest) const { return checksum == (checksum_whole ? digest : digest & 0xFFFFFFFFu); }
};

bool model_name_valid(const std::string& name);

// Write the newest version (kVersion): the encoder writes nothing else.
void frame_header_write(const FrameHeader& header, std::vector<uint8_t>& out);
void chunk_record_write(const ChunkRecord& record, const FrameHeader& header, std::vector<uint8_t>& out);
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
  // A LEB128 number of at most `limit`; its bytes also appended to *keep when given.
  Status read_varint(uint64_t* value, uint64_t limit, const char* what, std::vector<uint8_t>* keep = nullptr);
  Status read_varint32(uint32_t* value, const char* what);
  Status corrupt(const std::string& what) const;
  Status read_header_v1(std::vector<uint8_t>& covered, FrameHeader* h);
  Status read_header_v2(std::vector<uint8_t>& covered, FrameHeader* h);
  Status read_header_v4(std::vector<uint8_t>& covered, FrameHeader* h);

  ByteSource& in_;
  std::vector<uint8_t> buf_ = std::vector<uint8_t>(1 << 16);
  size_t pos_ = 0, len_ = 0;
  bool eof_ = false;
  uint64_t offset_ = 0;  // bytes of input consumed
};

}  // namespace lmzip::format
