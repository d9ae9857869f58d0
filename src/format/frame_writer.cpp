#include <bit>
#include <cstring>

#include "common/checksum.h"
#include "format/frame_format.h"
#include "format/shipped_models.h"

namespace lmzip::format {
namespace {

void put_le(std::vector<uint8_t>& out, uint64_t v, int bytes) {
  for (int i = 0; i < bytes; ++i) out.push_back(static_cast<uint8_t>(v >> (8 * i)));
}

void put_varint(std::vector<uint8_t>& out, uint64_t v) {
  while (v >= 0x80) {
    out.push_back(static_cast<uint8_t>(v | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<uint8_t>(v));
}

// A shipped model by its id and identity prefix, any other by name and whole identity.
void put_model(std::vector<uint8_t>& out, const ModelRef& m) {
  const uint8_t id = shipped_model_id(m.name);
  out.push_back(id);
  if (id != 0) {
    out.insert(out.end(), m.identity.digest.begin(), m.identity.digest.begin() + kShippedIdentityBytes);
    return;
  }
  out.push_back(static_cast<uint8_t>(m.name.size()));
  out.insert(out.end(), m.name.begin(), m.name.end());
  out.insert(out.end(), m.identity.digest.begin(), m.identity.digest.end());
}

void put_layout(std::vector<uint8_t>& out, const Layout& l) {
  out.push_back(static_cast<uint8_t>(l.kind));
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

}  // namespace

bool model_name_valid(const std::string& name) {
  if (name.empty() || name.size() > kMaxModelName) return false;
  for (char c : name)
    if (c < 0x21 || c > 0x7E) return false;
  return true;
}

void frame_header_write(const FrameHeader& h, std::vector<uint8_t>& out) {
  const size_t start = out.size();
  const bool layout = h.layout.kind != LayoutKind::none;
  const bool exponent = std::has_single_bit(h.chunk_size);
  out.insert(out.end(), std::begin(kMagic), std::end(kMagic));
  out.push_back(kVersion);
  out.push_back(static_cast<uint8_t>((h.models.size() - 1) | (h.adaptive ? descriptor::kAdaptive : 0) |
                                     (layout ? descriptor::kLayout : 0) | (h.one_chunk ? descriptor::kOneChunk : 0) |
                                     (exponent ? descriptor::kChunkExponent : 0) |
                                     (h.exact_ends ? descriptor::kExactEnds : 0)));
  for (const auto& m : h.models) put_model(out, m);
  if (exponent) out.push_back(static_cast<uint8_t>(std::countr_zero(h.chunk_size)));
  else put_varint(out, h.chunk_size);
  if (h.adaptive) out.push_back(h.adaptive | (h.adaptive_checked ? kStageChecked : 0));
  if (layout) put_layout(out, h.layout);
  put_le(out, checksum64({out.data() + start, out.size() - start}), 2);
}

void chunk_record_write(const ChunkRecord& r, const FrameHeader& h, std::vector<uint8_t>& out) {
  const bool partial = r.raw_size != h.chunk_size;
  out.push_back(static_cast<uint8_t>(static_cast<uint8_t>(r.mode) | (partial ? 4 : 0) | (r.slot << 3) |
                                     (r.alone ? 0x40 : 0)));
  if (partial) put_varint(out, r.raw_size);
  if (r.mode == ChunkMode::modelled || r.mode == ChunkMode::adaptive) put_varint(out, r.payload_size);
  if (!h.one_chunk) put_le(out, r.checksum, 4);
}

void frame_end_write(const FrameEnd& e, std::vector<uint8_t>& out) {
  out.push_back(static_cast<uint8_t>(ChunkMode::end));
  put_varint(out, e.original_size);
  put_le(out, e.checksum, 4);  // the low half of the XXH64
}

}  // namespace lmzip::format
