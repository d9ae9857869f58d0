#include <cstring>

#include "common/checksum.h"
#include "format/frame_format.h"

namespace lmzip::format {
namespace {

void put_le(std::vector<uint8_t>& out, uint64_t v, int bytes) {
  for (int i = 0; i < bytes; ++i) out.push_back(static_cast<uint8_t>(v >> (8 * i)));
}

void put_varint(std::vector<uint8_t>& out, uint32_t v) {
  while (v >= 0x80) {
    out.push_back(static_cast<uint8_t>(v | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<uint8_t>(v));
}

void put_model(std::vector<uint8_t>& out, const ModelRef& m) {
  out.push_back(static_cast<uint8_t>(m.name.size()));
  out.insert(out.end(), m.name.begin(), m.name.end());
  out.insert(out.end(), m.identity.begin(), m.identity.end());
}

}  // namespace

bool model_name_valid(const std::string& name) {
  if (name.empty() || name.size() > kMaxModelName) return false;
  for (char c : name)
    if (c < 0x21 || c > 0x7E) return false;
  return true;
}

void frame_header_write(const FrameHeader& h, std::vector<uint8_t>& out) {
  const size_t start = out.size();
  out.insert(out.end(), std::begin(kMagic), std::end(kMagic));
  out.push_back(h.version);
  out.push_back(0);  // flags: reserved
  if (h.version == kVersionPlain) {
    put_model(out, h.models.at(0));
    put_le(out, h.chunk_size, 4);
  } else {
    out.push_back(static_cast<uint8_t>(h.models.size()));
    for (const auto& m : h.models) put_model(out, m);
    put_le(out, h.chunk_size, 4);
    if (h.version >= 3) out.push_back(h.adaptive);
    const Layout& l = h.layout;
    out.push_back(static_cast<uint8_t>(l.kind));
    if (l.kind != LayoutKind::none) {
      put_le(out, l.header_bytes, 8);
      put_le(out, l.payload_bytes, 8);
      put_le(out, l.trailer_bytes, 8);
      out.push_back(static_cast<uint8_t>(l.channels));
      out.push_back(static_cast<uint8_t>(l.bits));
      if (layout_is_image(l.kind)) {
        put_le(out, l.width, 4);
        put_le(out, l.height, 4);
        put_le(out, l.row_stride, 4);
        out.push_back(static_cast<uint8_t>((l.bottom_up ? 1 : 0) | (l.bgr ? 2 : 0) | (l.strips ? 4 : 0)));
        put_le(out, l.tile_width, 4);
      }
    }
  }
  put_le(out, checksum32({out.data() + start, out.size() - start}), 4);
}

void chunk_record_write(const ChunkRecord& r, uint32_t chunk_size, std::vector<uint8_t>& out) {
  const bool partial = r.raw_size != chunk_size;
  out.push_back(static_cast<uint8_t>(static_cast<uint8_t>(r.mode) | (partial ? 4 : 0) | (r.slot << 3) |
                                     (r.alone ? 0x40 : 0)));
  if (partial) put_varint(out, r.raw_size);
  if (r.mode == ChunkMode::modelled || r.mode == ChunkMode::adaptive) put_varint(out, r.payload_size);
  put_le(out, r.checksum, 4);
}

void frame_end_write(const FrameEnd& e, std::vector<uint8_t>& out) {
  out.push_back(static_cast<uint8_t>(ChunkMode::end));
  put_le(out, e.original_size, 8);
  put_le(out, e.checksum, 8);
}

}  // namespace lmzip::format
