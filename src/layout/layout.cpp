#include "layout/layout.h"

#include "layout/file_kind.h"

namespace lmzip {

bool layout_is_image(LayoutKind kind) {
  const FileKind* k = file_kind(kind);
  return k && k->media == Media::image;
}

std::string layout_name(const Layout& l) {
  if (l.kind == LayoutKind::none) return "bytes";
  const FileKind* k = file_kind(l.kind);
  return k ? k->name(l) : "unknown";
}

std::string layout_problem(const Layout& l, uint32_t chunk_size) {
  if (l.kind == LayoutKind::none) return {};
  const FileKind* kind = file_kind(l.kind);
  if (!kind) return "unknown layout kind";
  // Each field is below 2^63 after these checks, so the sums cannot wrap.
  if (l.header_bytes > kMaxLayoutBytes || l.payload_bytes > kMaxLayoutBytes || l.trailer_bytes > kMaxLayoutBytes ||
      l.header_bytes + l.payload_bytes + l.trailer_bytes > kMaxLayoutBytes)
    return "layout sizes exceed 2^31 bytes";
  if (l.payload_bytes == 0) return "layout with no samples";
  if (l.bits != 8 && l.bits != 16) return "layout sample bits not 8 or 16";
  const uint64_t bytes = l.bits / 8;
  if (kind->media == Media::audio) {
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
  if (!kind->padded_rows && (l.bottom_up || l.bgr || l.row_stride != row_bytes))
    return "row padding, bottom-up or BGR rows outside a BMP layout";
  if (kind->content_is_samples && (l.header_bytes || l.trailer_bytes))
    return "header or trailer bytes in a PNG pixels layout";
  if (l.tile_width == 0 || uint64_t{l.tile_width} * l.channels > chunk_size)
    return "tile width 0 or wider than a chunk";
  return {};
}

}  // namespace lmzip
