// BMP, uncompressed 24-bit or 8-bit with the identity gray palette: the
// pixels without row padding, the rest verbatim.
#include <limits>

#include "layout/kinds/kinds.h"
#include "layout/stored_parts.h"

namespace lmzip {
namespace {

using Bytes = std::span<const uint8_t>;

bool bmp_sniff(Bytes head) { return head.size() >= 2 && head[0] == 'B' && head[1] == 'M'; }

// BITMAPINFOHEADER and its V2..V5 extensions share the first 40 bytes;
// OS/2 and BITMAPCOREHEADER variants are left to plain bytes.
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

Result<std::optional<Layout>> bmp_detect(Bytes f) {
  const std::optional<Layout> none;
  if (f.size() < 14 + 40 || !bmp_sniff(f)) return none;
  const uint32_t pixels_at = *stored_read_le(f, 10, 4), info_size = *stored_read_le(f, 14, 4);
  if (!bmp_info_size_known(info_size) || pixels_at < 14 + info_size || pixels_at > f.size()) return none;
  const auto width = static_cast<int32_t>(*stored_read_le(f, 18, 4));
  const auto height = static_cast<int32_t>(*stored_read_le(f, 22, 4));
  const uint32_t planes = *stored_read_le(f, 26, 2), bits = *stored_read_le(f, 28, 2);
  const uint32_t compression = *stored_read_le(f, 30, 4), colors_used = *stored_read_le(f, 46, 4);
  // BI_RGB only: bit fields, RLE, JPEG and PNG payloads are not plain pixels.
  if (planes != 1 || compression != 0 || width <= 0 || height == 0 || height == std::numeric_limits<int32_t>::min())
    return none;
  uint32_t channels = 0;
  if (bits == 24) {
    channels = 3;
  } else if (bits == 8 && bmp_gray_palette(f, 14 + uint64_t{info_size}, colors_used, pixels_at)) {
    channels = 1;
  } else {
    return none;  // 32-bit (the 4th byte's meaning varies), 16-bit, colour palettes
  }
  const uint64_t rows = static_cast<uint64_t>(height < 0 ? -int64_t{height} : int64_t{height});  // negative: top-down
  const uint64_t stride = (uint64_t{static_cast<uint32_t>(width)} * bits + 31) / 32 * 4;  // rows padded to 4 bytes
  auto l = stored_image(LayoutKind::bmp, f.size(), pixels_at, static_cast<uint32_t>(width), rows, channels, 8, stride);
  if (!l) return none;
  l->bottom_up = height > 0;
  l->bgr = channels == 3;
  return l;
}

std::string bmp_name(const Layout&) { return "bmp"; }

}  // namespace

const FileKind kBmpKind = {
    .kind = LayoutKind::bmp,
    .media = Media::image,
    .opt_in = false,
    .padded_rows = true,
    .content_is_samples = false,
    .name = bmp_name,
    .sniff = bmp_sniff,
    .detect = bmp_detect,
    .split = stored_detect_split<bmp_detect>,
    .join = stored_join,
};

}  // namespace lmzip
