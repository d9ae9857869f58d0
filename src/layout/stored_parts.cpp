#include "layout/stored_parts.h"

#include <cstring>
#include <limits>

#include "layout/file_kind.h"

namespace lmzip {
namespace {

// Overflow-safe size arithmetic: a forged header or frame may hold any value.
bool mul(uint64_t a, uint64_t b, uint64_t* out) { return !__builtin_mul_overflow(a, b, out); }
bool add(uint64_t a, uint64_t b, uint64_t* out) { return !__builtin_add_overflow(a, b, out); }

// Sizes that follow from a layout: what split produces and join expects.
struct Shape {
  bool image = false;
  uint64_t total = 0;          // the file's size
  uint64_t samples = 0;        // bytes of LayoutParts::samples
  uint64_t row_bytes = 0;      // image rows without padding (images only)
  uint64_t channel_bytes = 0;  // bytes per image sample (images only)
};

// Checks everything split and join rely on, so that a layout that was not
// detected (or was altered) is an error rather than an out-of-bounds access.
std::optional<Shape> layout_shape(const Layout& l) {
  const FileKind* kind = file_kind(l.kind);
  if (!kind || kind->content_is_samples) return std::nullopt;
  Shape s;
  s.image = kind->media == Media::image;
  if (!add(l.header_bytes, l.payload_bytes, &s.total) || !add(s.total, l.trailer_bytes, &s.total)) return std::nullopt;
  s.samples = l.payload_bytes;
  if (!s.image) {
    if (l.channels < 1 || l.channels > 16) return std::nullopt;
    if (l.bits != 8 && l.bits != 16 && l.bits != 24 && l.bits != 32) return std::nullopt;
    if (l.payload_bytes % (uint64_t{l.channels} * (l.bits / 8)) != 0) return std::nullopt;
    return s;
  }
  if ((l.channels != 1 && l.channels != 3) || (l.bits != 8 && l.bits != 16)) return std::nullopt;
  if (l.width == 0 || l.height == 0 || (l.bgr && l.channels != 3)) return std::nullopt;
  s.channel_bytes = l.bits / 8;
  s.row_bytes = uint64_t{l.width} * l.channels * s.channel_bytes;  // < 2^35: no overflow
  if (l.row_stride < s.row_bytes || uint64_t{l.row_stride} * l.height != l.payload_bytes) return std::nullopt;
  s.samples = s.row_bytes * l.height;
  return s;
}

// One image row between stored and model order. Swapping B and R is its own
// inverse, so the same copy serves split and join.
void copy_row(const uint8_t* from, uint8_t* to, const Layout& l, const Shape& s) {
  if (!l.bgr) {
    std::memcpy(to, from, s.row_bytes);
    return;
  }
  const uint64_t cb = s.channel_bytes, pixel = 3 * cb;
  for (uint64_t p = 0; p < s.row_bytes; p += pixel) {
    std::memcpy(to + p, from + p + 2 * cb, cb);
    std::memcpy(to + p + cb, from + p + cb, cb);
    std::memcpy(to + p + 2 * cb, from + p, cb);
  }
}

// Row `stored` of the payload is row `shown` of the picture.
uint64_t shown_row(const Layout& l, uint64_t stored) { return l.bottom_up ? l.height - 1 - stored : stored; }

Status bad_layout(const char* what) { return Status(ErrorCode::invalid_argument, what); }

}  // namespace

Result<LayoutParts> stored_split(std::span<const uint8_t> file, const Layout& layout) {
  const auto shape = layout_shape(layout);
  if (!shape) return bad_layout("file layout is inconsistent");
  if (shape->total != file.size()) return bad_layout("file layout does not match the file's size");
  const auto payload = file.subspan(layout.header_bytes, layout.payload_bytes);
  LayoutParts parts;
  parts.header.assign(file.begin(), file.begin() + static_cast<ptrdiff_t>(layout.header_bytes));
  parts.trailer.assign(payload.end(), file.end());
  if (!shape->image) {
    parts.samples.assign(payload.begin(), payload.end());
    return parts;
  }
  parts.samples.resize(shape->samples);
  parts.residue.reserve(layout.payload_bytes - shape->samples);
  for (uint64_t r = 0; r < layout.height; ++r) {
    const uint8_t* row = payload.data() + r * layout.row_stride;
    copy_row(row, parts.samples.data() + shown_row(layout, r) * shape->row_bytes, layout, *shape);
    parts.residue.insert(parts.residue.end(), row + shape->row_bytes, row + layout.row_stride);
  }
  return parts;
}

Result<std::vector<uint8_t>> stored_join(const Layout& layout, LayoutParts parts) {
  const auto shape = layout_shape(layout);
  if (!shape) return bad_layout("file layout is inconsistent");
  if (parts.header.size() != layout.header_bytes || parts.trailer.size() != layout.trailer_bytes ||
      parts.samples.size() != shape->samples || parts.residue.size() != layout.payload_bytes - shape->samples)
    return bad_layout("file parts disagree with the layout's sizes");
  std::vector<uint8_t> out = std::move(parts.header);
  out.reserve(shape->total);
  if (!shape->image) {
    out.insert(out.end(), parts.samples.begin(), parts.samples.end());
  } else {
    const uint64_t padding = layout.row_stride - shape->row_bytes;
    out.resize(out.size() + layout.payload_bytes);
    uint8_t* payload = out.data() + layout.header_bytes;
    for (uint64_t r = 0; r < layout.height; ++r) {
      uint8_t* row = payload + r * layout.row_stride;
      copy_row(parts.samples.data() + shown_row(layout, r) * shape->row_bytes, row, layout, *shape);
      if (padding > 0) std::memcpy(row + shape->row_bytes, parts.residue.data() + r * padding, padding);  // data() may be null
    }
  }
  out.insert(out.end(), parts.trailer.begin(), parts.trailer.end());
  return out;
}

std::optional<uint32_t> stored_read_le(std::span<const uint8_t> f, uint64_t at, unsigned n) {
  if (at > f.size() || f.size() - at < n) return std::nullopt;
  uint32_t v = 0;
  for (unsigned i = n; i-- > 0;) v = (v << 8) | f[at + i];
  return v;
}

Layout stored_extent(LayoutKind kind, uint64_t size, uint64_t at, uint64_t payload) {
  Layout l;
  l.kind = kind;
  l.header_bytes = at;
  l.payload_bytes = payload;
  l.trailer_bytes = size - at - payload;
  return l;
}

std::optional<Layout> stored_image(LayoutKind kind, uint64_t file_size, uint64_t at, uint64_t width,
                                   uint64_t height, uint32_t channels, uint32_t bits, uint64_t stride) {
  uint64_t payload = 0;
  if (stride > std::numeric_limits<uint32_t>::max() || !mul(stride, height, &payload)) return std::nullopt;
  if (at > file_size || file_size - at < payload) return std::nullopt;  // short raster
  Layout l = stored_extent(kind, file_size, at, payload);
  l.width = static_cast<uint32_t>(width);
  l.height = static_cast<uint32_t>(height);
  l.channels = channels;
  l.bits = bits;
  l.row_stride = static_cast<uint32_t>(stride);
  return l;
}

}  // namespace lmzip
