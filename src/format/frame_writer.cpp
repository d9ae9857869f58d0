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

bool layout_is_image(LayoutKind kind) {
  return kind == LayoutKind::pnm || kind == LayoutKind::bmp || kind == LayoutKind::png_pixels;
}

std::string layout_name(const Layout& l) {
  switch (l.kind) {
    case LayoutKind::none: return "bytes";
    case LayoutKind::wav: return "wav";
    case LayoutKind::pnm: return l.channels == 1 ? "pgm" : "ppm";
    case LayoutKind::bmp: return "bmp";
    case LayoutKind::png_pixels: return "png-pixels";
  }
  return "unknown";
}

std::string layout_problem(const Layout& l, uint32_t chunk_size) {
  if (l.kind == LayoutKind::none) return {};
  if (static_cast<uint8_t>(l.kind) > static_cast<uint8_t>(LayoutKind::png_pixels)) return "unknown layout kind";
  // Each field is below 2^63 after these checks, so the sums cannot wrap.
  if (l.header_bytes > kMaxLayoutBytes || l.payload_bytes > kMaxLayoutBytes || l.trailer_bytes > kMaxLayoutBytes ||
      l.header_bytes + l.payload_bytes + l.trailer_bytes > kMaxLayoutBytes)
    return "layout sizes exceed 2^31 bytes";
  if (l.payload_bytes == 0) return "layout with no samples";
  if (l.bits != 8 && l.bits != 16) return "layout sample bits not 8 or 16";
  const uint64_t bytes = l.bits / 8;
  if (l.kind == LayoutKind::wav) {
    if (l.channels < 1 || l.channels > 16) return "audio channel count not 1 ..= 16";
    if (l.width || l.height || l.row_stride || l.bottom_up || l.bgr || l.tile_width || l.strips) return "image fields in an audio layout";
    if (l.payload_bytes % (l.channels * bytes) != 0) return "audio payload not whole frames";
    if (chunk_size < bytes) return "chunk size smaller than one audio sample";
    return {};
  }
  // Images.
  if (l.channels != 1 && l.channels != 3) return "image channel count not 1 or 3";
  if (l.bits != 8) return "image sample bits not 8";
  if (l.width == 0 || l.height == 0) return "image width or height 0";
  const uint64_t row_bytes = uint64_t{l.width} * l.channels;
  if (l.row_stride < row_bytes || uint64_t{l.row_stride} * l.height != l.payload_bytes)
    return "image row stride disagrees with the payload size";
  if (l.bgr && l.channels != 3) return "BGR order in a gray image";
  if (l.kind != LayoutKind::bmp && (l.bottom_up || l.bgr || l.row_stride != row_bytes))
    return "row padding, bottom-up or BGR rows outside a BMP layout";
  if (l.kind == LayoutKind::png_pixels && (l.header_bytes || l.trailer_bytes))
    return "header or trailer bytes in a PNG pixels layout";
  if (l.tile_width == 0 || uint64_t{l.tile_width} * l.channels > chunk_size)
    return "tile width 0 or wider than a chunk";
  return {};
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
  out.push_back(static_cast<uint8_t>(static_cast<uint8_t>(r.mode) | (partial ? 4 : 0) | (r.slot << 3)));
  if (partial) put_varint(out, r.raw_size);
  if (r.mode == ChunkMode::modelled) put_varint(out, r.payload_size);
  put_le(out, r.checksum, 4);
}

void frame_end_write(const FrameEnd& e, std::vector<uint8_t>& out) {
  out.push_back(static_cast<uint8_t>(ChunkMode::end));
  put_le(out, e.original_size, 8);
  put_le(out, e.checksum, 8);
}

}  // namespace lmzip::format
