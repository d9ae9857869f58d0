// PNG, when asked for (CompressOptions::png_pixels): the decoded pixels are
// the samples and the frame's content; decompression writes a new PNG with
// exactly these pixels (png_write.h), not the original file.
#include <cstring>

#include "layout/kinds/kinds.h"
#include "layout/kinds/png_read.h"
#include "layout/kinds/png_write.h"

namespace lmzip {
namespace {

using Bytes = std::span<const uint8_t>;

bool png_sniff(Bytes head) {
  static const uint8_t sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
  return head.size() >= 8 && std::memcmp(head.data(), sig, 8) == 0;
}

// A PNG whose pixels png_read would not give exactly is refused, not left to
// plain bytes: the caller asked for its pixels.
Result<std::optional<LayoutSplit>> png_pixels_split(Bytes f) {
  if (!png_sniff(f)) return std::optional<LayoutSplit>();
  if (Status st = png_pixels_exact(f); !st) return st;
  auto pixels = png_read(f);
  if (!pixels) return pixels.status();
  LayoutSplit s;
  Layout& l = s.layout;
  l.kind = LayoutKind::png_pixels;
  l.channels = pixels->channels;
  l.bits = 8;
  l.width = pixels->width;
  l.height = pixels->height;
  l.row_stride = pixels->width * pixels->channels;
  l.payload_bytes = pixels->bytes.size();
  s.parts.samples = std::move(pixels->bytes);
  return std::optional<LayoutSplit>(std::move(s));
}

Result<std::optional<Layout>> png_pixels_detect(Bytes f) {
  auto s = png_pixels_split(f);
  if (!s) return s.status();
  if (!*s) return std::optional<Layout>();
  return std::optional<Layout>((*s)->layout);
}

Result<std::vector<uint8_t>> png_pixels_join(const Layout& l, LayoutParts parts) {
  Pixels pixels;
  pixels.width = l.width;
  pixels.height = l.height;
  pixels.channels = l.channels;
  pixels.bytes = std::move(parts.samples);
  return png_write(pixels);
}

std::string png_pixels_name(const Layout&) { return "png-pixels"; }

}  // namespace

const FileKind kPngPixelsKind = {
    .kind = LayoutKind::png_pixels,
    .media = Media::image,
    .opt_in = true,
    .padded_rows = false,
    .content_is_samples = true,
    .name = png_pixels_name,
    .sniff = png_sniff,
    .detect = png_pixels_detect,
    .split = png_pixels_split,
    .join = png_pixels_join,
};

}  // namespace lmzip
