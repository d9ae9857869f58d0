#include "image_patches.h"

#include "layout/kinds/kinds.h"
#include "layout/kinds/png_read.h"
#include "pnm_read.h"

namespace lmzip::harness {

bool image_signature_matches(std::span<const uint8_t> file) {
  return kPngPixelsKind.sniff(file) || kPnmKind.sniff(file);
}

Result<Pixels> image_read(std::span<const uint8_t> file) {
  if (kPnmKind.sniff(file)) return pnm_read(file);
  return png_read(file);
}

Pixels image_gray_mean(const Pixels& image) {
  Pixels gray;
  gray.width = image.width;
  gray.height = image.height;
  gray.channels = 1;
  const size_t n = size_t{image.width} * image.height;
  gray.bytes.resize(n);
  const uint32_t c = image.channels;
  for (size_t i = 0; i < n; ++i) {
    uint32_t sum = 0;
    for (uint32_t k = 0; k < c; ++k) sum += image.bytes[i * c + k];
    gray.bytes[i] = static_cast<uint8_t>(sum / c);  // truncation, as astype(uint8)
  }
  return gray;
}

Pixels image_rgb(const Pixels& image) {
  if (image.channels == 3) return image;
  Pixels rgb;
  rgb.width = image.width;
  rgb.height = image.height;
  rgb.channels = 3;
  const size_t n = size_t{image.width} * image.height;
  rgb.bytes.resize(n * 3);
  for (size_t i = 0; i < n; ++i)
    rgb.bytes[3 * i] = rgb.bytes[3 * i + 1] = rgb.bytes[3 * i + 2] = image.bytes[i * image.channels];
  return rgb;
}

std::vector<uint8_t> image_tiles(const Pixels& image, uint32_t width, uint32_t rows) {
  const uint32_t c = image.channels;
  const uint32_t grid_rows = image.height / rows;
  const uint32_t grid_cols = image.width / width;
  const size_t row_span = size_t{width} * c;
  std::vector<uint8_t> out;
  out.reserve(size_t{grid_rows} * grid_cols * rows * row_span);
  for (uint32_t gr = 0; gr < grid_rows; ++gr)
    for (uint32_t gc = 0; gc < grid_cols; ++gc)
      for (uint32_t y = 0; y < rows; ++y) {
        const size_t src = (size_t{gr} * rows + y) * image.width * c + size_t{gc} * row_span;
        out.insert(out.end(), image.bytes.begin() + src, image.bytes.begin() + src + row_span);
      }
  return out;
}

std::vector<uint8_t> image_patches_gray(const Pixels& image) {
  return image_tiles(image.channels == 1 ? image : image_gray_mean(image), kPatchColumns, kPatchRows);
}

std::vector<uint8_t> image_patches_rgb(const Pixels& image) {
  return image_tiles(image_rgb(image), kPatchColumns, kPatchRows);
}

}  // namespace lmzip::harness
