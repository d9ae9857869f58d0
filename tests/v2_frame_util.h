// An independent parser of version 2 frame headers (docs/FORMAT.md), used by
// the layout tests and the golden files to find and forge fields.
#pragma once

#include "test_util.h"

namespace lmzip::test {

struct V2Layout {
  size_t offset = 0;              // of the magic
  std::vector<size_t> model_at;   // offset of each model's name length byte
  size_t chunk_size_offset = 0, layout_offset = 0;  // layout_offset: the kind byte
  size_t header_checksum_offset = 0, header_end = 0;
  uint32_t chunk_size = 0;
  std::vector<RecordLayout> records;
  size_t end_offset = 0, frame_end = 0;
};

// Parses one well-formed version 2 frame at `at`.
inline V2Layout v2_parse(const Bytes& b, size_t at = 0) {
  V2Layout f;
  f.offset = at;
  const size_t count = b.at(at + 6);
  size_t p = at + 7;
  for (size_t i = 0; i < count; ++i) {
    f.model_at.push_back(p);
    p += 1 + b.at(p) + 32;
  }
  f.chunk_size_offset = p;
  f.chunk_size = static_cast<uint32_t>(get_le(b, p, 4));
  f.layout_offset = p + 4;
  const uint8_t kind = b.at(f.layout_offset);
  f.header_checksum_offset = f.layout_offset + 1 + (kind == 0 ? 0 : 26 + (kind >= 2 ? 17 : 0));
  f.header_end = f.header_checksum_offset + 4;
  records_parse(b, f.header_end, f.chunk_size, &f.records, &f.end_offset);
  f.frame_end = f.end_offset + 17;
  return f;
}

inline void v2_header_checksum_fix(Bytes& b, const V2Layout& f) {
  const Bytes covered(b.begin() + static_cast<long>(f.offset), b.begin() + static_cast<long>(f.header_checksum_offset));
  set_le(b, f.header_checksum_offset, xxh32low(covered), 4);
}

}  // namespace lmzip::test
