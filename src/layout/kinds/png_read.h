// PNG → 8-bit gray or RGB pixels through libpng.
#pragma once

#include <cstdint>
#include <span>

#include "layout/kinds/pixels.h"
#include "lmzip/error.h"

namespace lmzip {

// The stored sample values, untouched by gamma or colour management (as
// TensorFlow's and PIL's decoders give them): palettes are expanded to RGB,
// 1/2/4-bit gray to 8 bits, 16-bit samples keep their high byte, alpha and
// tRNS transparency are dropped. Gray images stay one channel.
// Malformed or truncated data → an error Status (never an abort).
Result<Pixels> png_read(std::span<const uint8_t> file);

}  // namespace lmzip
