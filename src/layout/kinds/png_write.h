// 8-bit gray / RGB pixels → PNG through libpng, with fixed settings so that
// the same pixels always give the same file (with the same libpng and zlib);
// and the check that a PNG's pixels are exactly what png_read returns.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "layout/kinds/pixels.h"
#include "lmzip/error.h"

namespace lmzip {

// Non-interlaced, 8 bits per sample, gray (1 channel) or RGB (3), zlib level
// 6, libpng's adaptive filters, no ancillary chunks. Errors are Statuses.
Result<std::vector<uint8_t>> png_write(const Pixels& pixels);

// OK when png_read gives this PNG's pixels exactly (so that storing them and
// writing them back as a PNG loses nothing but the encoding and metadata):
// 8-bit gray, 8-bit RGB, or a palette (expanded to RGB) without transparency;
// interlaced or not. Otherwise invalid_argument, saying what the PNG has
// (alpha, 16-bit samples, 1/2/4-bit gray, transparency); bad_magic for a
// file that is not a PNG. Reads the chunk headers only.
Status png_pixels_exact(std::span<const uint8_t> file);

}  // namespace lmzip
