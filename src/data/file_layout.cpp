#include "data/file_layout.h"

#include <algorithm>
#include <cstring>
#include <limits>
#include <optional>

namespace lmzip::data {
namespace {

using Bytes = std::span<const uint8_t>;

// ---- bounds-checked reading ----------------------------------------------------

// The n-byte little-endian field at `at`, or nullopt when the file ends first.
std::optional<uint32_t> read_le(Bytes f, uint64_t at, unsigned n) {
  if (at > f.size() || f.size() - at < n) return std::nullopt;
  uint32_t v = 0;
  for (unsigned i = n; i-- > 0;) v = (v << 8) | f[at + i];
  return v;
}

bool has_tag(Bytes f, uint64_t at, const char (&tag)[5]) {
  return at <= f.size() && f.size() - at >= 4 && std::memcmp(f.data() + at, tag, 4) == 0;
}

// Overflow-safe size arithmetic: a forged header may hold any value.
bool mul(uint64_t a, uint64_t b, uint64_t* out) { return !__builtin_mul_overflow(a, b, out); }
bool add(uint64_t a, uint64_t b, uint64_t* out) { return !__builtin_add_overflow(a, b, out); }

// Payload [header, header + payload) of a file of `size` bytes; the rest is trailer.
void set_extent(FileLayout* l, uint64_t size, uint64_t header, uint64_t payload) {
  l->header_bytes = header;
  l->payload_bytes = payload;
  l->trailer_bytes = size - header - payload;
}

// ---- WAV ---------------------------------------------------------------------------

struct WavFormat {
  uint32_t channels = 0, bits = 0, sample_rate = 0, block_align = 0;
};

// KSDATAFORMAT_SUBTYPE_PCM, the sub-format GUID of WAVE_FORMAT_EXTENSIBLE PCM.
constexpr uint8_t kPcmGuid[16] = {0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10, 0x00,
                                  0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71};

// Only integer PCM whose sample bytes can be modelled as they are; anything
// else (float, compressed, 32-bit, an inconsistent block size) is not ours.
// The byte rate is not checked: writers get it wrong and it is only header.
std::optional<WavFormat> wav_format(Bytes body) {
  if (body.size() < 16) return std::nullopt;
  uint32_t tag = *read_le(body, 0, 2);
  if (tag == 0xFFFE) {  // WAVE_FORMAT_EXTENSIBLE: the sub-format GUID says what it is
    if (body.size() < 40 || std::memcmp(body.data() + 24, kPcmGuid, 16) != 0) return std::nullopt;
    tag = 1;
  }
  WavFormat w{.channels = *read_le(body, 2, 2), .bits = *read_le(body, 14, 2), .sample_rate = *read_le(body, 4, 4),
              .block_align = *read_le(body, 12, 2)};
  if (tag != 1 || w.channels < 1 || w.channels > 16 || w.sample_rate == 0) return std::nullopt;
  if (w.bits != 8 && w.bits != 16 && w.bits != 24) return std::nullopt;
  if (w.block_align != w.channels * (w.bits / 8)) return std::nullopt;
  return w;
}

// Walks the RIFF chunks in any order. The payload is the whole frames of the
// first 'data' chunk that the file holds (a streaming writer may leave the
// chunk size larger than the file); everything after them is trailer. A
// second 'fmt ' or 'data' chunk (which no valid file has) is only bytes in
// the header or trailer: lossless either way, and not worth a guess.
std::optional<FileLayout> detect_wav(Bytes f) {
  if (!has_tag(f, 0, "RIFF") || !has_tag(f, 8, "WAVE")) return std::nullopt;
  std::optional<WavFormat> fmt;
  bool data_seen = false;
  uint64_t data_at = 0, data_size = 0;
  for (uint64_t pos = 12; f.size() - pos >= 8;) {
    const uint64_t size = *read_le(f, pos + 4, 4);
    const uint64_t body = pos + 8, available = f.size() - body;
    if (has_tag(f, pos, "fmt ") && !fmt) {  // an unusable first 'fmt ' returns at once
      if (size > available) return std::nullopt;
      fmt = wav_format(f.subspan(body, size));
      if (!fmt) return std::nullopt;
    } else if (has_tag(f, pos, "data") && !data_seen) {
      data_seen = true;
      data_at = body;
      data_size = std::min(size, available);
    }
    const uint64_t padded = size + (size & 1);  // chunks are padded to an even size
    if (padded > available) break;
    pos = body + padded;
  }
  if (!fmt || !data_seen) return std::nullopt;
  const uint64_t payload = data_size - data_size % fmt->block_align;
  if (payload == 0) return std::nullopt;  // nothing to model
  FileLayout l;
  l.kind = LayoutKind::audio_pcm;
  l.name = "wav";
  l.channels = fmt->channels;
  l.bits_per_sample = fmt->bits;
  l.sample_rate = fmt->sample_rate;
  set_extent(&l, f.size(), data_at, payload);
  return l;
}

// ---- images: what PNM and BMP share ---------------------------------------------------

// Fills the image fields once the raster is known to lie at [at, at + rows *
// stride) inside the file; nullopt when the sizes overflow a field.
std::optional<FileLayout> image_layout(uint64_t file_size, uint64_t at, uint64_t width, uint64_t height,
                                       uint32_t channels, uint32_t bits, uint64_t stride) {
  uint64_t payload = 0;
  if (stride > std::numeric_limits<uint32_t>::max() || !mul(stride, height, &payload)) return std::nullopt;
  if (at > file_size || file_size - at < payload) return std::nullopt;  // short raster
  FileLayout l;
  l.kind = channels == 1 ? LayoutKind::image_gray : LayoutKind::image_rgb;
  l.width = static_cast<uint32_t>(width);
  l.height = static_cast<uint32_t>(height);
  l.channels_per_pixel = channels;
  l.bits_per_channel = bits;
  l.row_stride = static_cast<uint32_t>(stride);
  set_extent(&l, file_size, at, payload);
  return l;
}

// ---- PNM (binary PGM P5, PPM P6) -----------------------------------------------------

bool pnm_space(uint8_t c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'; }

// One header field: at least one whitespace or '#' comment before it (so that
// "P5640" is not read as width 640), then decimal digits up to `max`.
std::optional<uint32_t> pnm_field(Bytes f, uint64_t* pos, uint32_t max) {
  uint64_t p = *pos;
  for (;;) {
    if (p < f.size() && pnm_space(f[p])) {
      ++p;
    } else if (p < f.size() && f[p] == '#') {
      while (p < f.size() && f[p] != '\n' && f[p] != '\r') ++p;
    } else {
      break;
    }
  }
  if (p == *pos) return std::nullopt;
  uint64_t v = 0;
  const uint64_t first = p;
  for (; p < f.size() && f[p] >= '0' && f[p] <= '9'; ++p) {
    v = v * 10 + (f[p] - '0');
    if (v > max) return std::nullopt;
  }
  if (p == first) return std::nullopt;
  *pos = p;
  return static_cast<uint32_t>(v);
}

// Only the first image of a multi-image file is the payload; any following
// images are trailer (kept, not modelled).
std::optional<FileLayout> detect_pnm(Bytes f) {
  if (f.size() < 2 || f[0] != 'P' || (f[1] != '5' && f[1] != '6')) return std::nullopt;
  const uint32_t channels = f[1] == '5' ? 1 : 3;
  uint64_t pos = 2;
  constexpr uint32_t kAny = std::numeric_limits<uint32_t>::max();
  const auto width = pnm_field(f, &pos, kAny), height = pnm_field(f, &pos, kAny), maxval = pnm_field(f, &pos, 65535);
  if (!width || !height || !maxval || *width == 0 || *height == 0 || *maxval == 0) return std::nullopt;
  // Exactly one whitespace byte ends the header: the next byte is a sample even if it looks like space.
  if (pos >= f.size() || !pnm_space(f[pos])) return std::nullopt;
  ++pos;
  const uint32_t bytes = *maxval > 255 ? 2 : 1;
  auto l = image_layout(f.size(), pos, *width, *height, channels, 8 * bytes, uint64_t{*width} * channels * bytes);
  if (l) l->name = channels == 1 ? "pgm" : "ppm";
  return l;
}

// ---- BMP (uncompressed 24-bit, or 8-bit with the identity gray palette) -------------------

// BITMAPINFOHEADER and its V2..V5 extensions share the first 40 bytes;
// OS/2 and BITMAPCOREHEADER variants are left raw.
bool bmp_info_size_known(uint32_t size) {
  return size == 40 || size == 52 || size == 56 || size == 108 || size == 124;
}

// An 8-bit BMP is gray only when palette entry i is (i, i, i): then the pixel
// indices are the gray levels. The palette itself stays in the header.
bool bmp_gray_palette(Bytes f, uint64_t at, uint32_t colors_used, uint64_t pixels_at) {
  if (colors_used != 0 && colors_used != 256) return false;
  if (pixels_at < at || pixels_at - at < 256 * 4) return false;
  for (uint32_t i = 0; i < 256; ++i) {
    const uint8_t* e = f.data() + at + 4 * i;
    if (e[0] != i || e[1] != i || e[2] != i) return false;
  }
  return true;
}

std::optional<FileLayout> detect_bmp(Bytes f) {
  if (f.size() < 14 + 40 || f[0] != 'B' || f[1] != 'M') return std::nullopt;
  const uint32_t pixels_at = *read_le(f, 10, 4), info_size = *read_le(f, 14, 4);
  if (!bmp_info_size_known(info_size) || pixels_at < 14 + info_size || pixels_at > f.size()) return std::nullopt;
  const auto width = static_cast<int32_t>(*read_le(f, 18, 4)), height = static_cast<int32_t>(*read_le(f, 22, 4));
  const uint32_t planes = *read_le(f, 26, 2), bits = *read_le(f, 28, 2), compression = *read_le(f, 30, 4);
  const uint32_t colors_used = *read_le(f, 46, 4);
  // BI_RGB only: bit fields, RLE, JPEG and PNG payloads are not plain pixels.
  if (planes != 1 || compression != 0 || width <= 0 || height == 0 || height == std::numeric_limits<int32_t>::min())
    return std::nullopt;
  uint32_t channels = 0;
  if (bits == 24) {
    channels = 3;
  } else if (bits == 8 && bmp_gray_palette(f, 14 + uint64_t{info_size}, colors_used, pixels_at)) {
    channels = 1;
  } else {
    return std::nullopt;  // 32-bit (the 4th byte's meaning varies), 16-bit, colour palettes
  }
  const uint64_t rows = static_cast<uint64_t>(height < 0 ? -int64_t{height} : int64_t{height});  // negative: top-down
  const uint64_t stride = (uint64_t{static_cast<uint32_t>(width)} * bits + 31) / 32 * 4;  // rows padded to 4 bytes
  auto l = image_layout(f.size(), pixels_at, static_cast<uint32_t>(width), rows, channels, 8, stride);
  if (!l) return std::nullopt;
  l->name = "bmp";
  l->bottom_up = height > 0;
  l->bgr = channels == 3;
  return l;
}

// ---- split / join -------------------------------------------------------------------------

bool is_image(LayoutKind k) { return k == LayoutKind::image_gray || k == LayoutKind::image_rgb; }

// Sizes that follow from a layout: what split produces and join expects.
struct Shape {
  uint64_t total = 0;          // the file's size
  uint64_t samples = 0;        // bytes of LayoutParts::samples
  uint64_t row_bytes = 0;      // image rows without padding (images only)
  uint64_t channel_bytes = 0;  // bytes per image sample (images only)
};

// Checks everything split and join rely on, so that a layout that was not
// detected (or was altered) is an error rather than an out-of-bounds access.
std::optional<Shape> layout_shape(const FileLayout& l) {
  Shape s;
  if (!add(l.header_bytes, l.payload_bytes, &s.total) || !add(s.total, l.trailer_bytes, &s.total)) return std::nullopt;
  s.samples = l.payload_bytes;
  switch (l.kind) {
    case LayoutKind::raw:
      return s;
    case LayoutKind::audio_pcm: {
      if (l.channels < 1 || l.channels > 16) return std::nullopt;
      if (l.bits_per_sample != 8 && l.bits_per_sample != 16 && l.bits_per_sample != 24) return std::nullopt;
      if (l.payload_bytes % (uint64_t{l.channels} * (l.bits_per_sample / 8)) != 0) return std::nullopt;
      return s;
    }
    case LayoutKind::image_gray:
    case LayoutKind::image_rgb: {
      const uint32_t channels = l.kind == LayoutKind::image_gray ? 1 : 3;
      if (l.channels_per_pixel != channels || (l.bits_per_channel != 8 && l.bits_per_channel != 16)) return std::nullopt;
      if (l.width == 0 || l.height == 0 || (l.bgr && channels != 3)) return std::nullopt;
      s.channel_bytes = l.bits_per_channel / 8;
      s.row_bytes = uint64_t{l.width} * channels * s.channel_bytes;  // < 2^35: no overflow
      if (l.row_stride < s.row_bytes || uint64_t{l.row_stride} * l.height != l.payload_bytes) return std::nullopt;
      s.samples = s.row_bytes * l.height;
      return s;
    }
  }
  return std::nullopt;
}

// One image row between stored and model order. Swapping B and R is its own
// inverse, so the same copy serves split and join.
void copy_row(const uint8_t* from, uint8_t* to, const FileLayout& l, const Shape& s) {
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
uint64_t shown_row(const FileLayout& l, uint64_t stored) { return l.bottom_up ? l.height - 1 - stored : stored; }

Status bad_layout(const char* what) { return Status(ErrorCode::invalid_argument, what); }

}  // namespace

FileLayout file_layout_detect(std::span<const uint8_t> file) {
  for (auto detect : {detect_wav, detect_pnm, detect_bmp})
    if (auto l = detect(file)) return *l;
  FileLayout raw;
  raw.payload_bytes = file.size();
  return raw;
}

Result<LayoutParts> file_layout_split(std::span<const uint8_t> file, const FileLayout& layout) {
  const auto shape = layout_shape(layout);
  if (!shape) return bad_layout("file layout is inconsistent");
  if (shape->total != file.size()) return bad_layout("file layout does not match the file's size");
  const auto payload = file.subspan(layout.header_bytes, layout.payload_bytes);
  LayoutParts parts;
  parts.header.assign(file.begin(), file.begin() + static_cast<ptrdiff_t>(layout.header_bytes));
  parts.trailer.assign(payload.end(), file.end());
  if (!is_image(layout.kind)) {
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

Result<std::vector<uint8_t>> file_layout_join(const FileLayout& layout, const LayoutParts& parts) {
  const auto shape = layout_shape(layout);
  if (!shape) return bad_layout("file layout is inconsistent");
  if (parts.header.size() != layout.header_bytes || parts.trailer.size() != layout.trailer_bytes ||
      parts.samples.size() != shape->samples || parts.residue.size() != layout.payload_bytes - shape->samples)
    return bad_layout("file parts disagree with the layout's sizes");
  std::vector<uint8_t> out;
  out.reserve(shape->total);
  out.insert(out.end(), parts.header.begin(), parts.header.end());
  if (!is_image(layout.kind)) {
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

}  // namespace lmzip::data
