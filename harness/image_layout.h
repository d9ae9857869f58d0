// The 2-D shape an image codec gives a byte string.
#pragma once

#include <cstddef>
#include <cstdint>

#include "baseline.h"

namespace lmzip::harness {

struct ImageLayout {
  uint32_t width = 0;
  uint32_t height = 0;
  uint32_t channels = 1;
};

// The paper's png.py: a = round(sqrt(n)), lowered until it divides n; the
// image is a wide, n / a high, one gray channel (2048 → 32 wide × 64 high).
ImageLayout image_layout_closest_factors(size_t n);

// Image data keeps its pixel width (64 for patches) and channels, so each
// 2048-byte patch is the 64 × 32 picture it was cut from; data that does not
// fill whole rows of that width, and non-image data, fall back to the paper's
// layout.
ImageLayout image_layout_for(size_t n, const DataShape& shape);

}  // namespace lmzip::harness
