// Binary PGM (P5) and PPM (P6) → 8-bit gray or RGB pixels.
#pragma once

#include <cstdint>
#include <span>

#include "layout/kinds/pixels.h"
#include "lmzip/error.h"

namespace lmzip::harness {

// What the codec's PNM layout finds (src/layout/kinds/pnm.cpp). Samples are
// taken as stored: maxval <= 255 keeps the byte values, maxval > 255 (two
// bytes, big-endian) keeps the high byte, like 16-bit PNG. Only the first
// image of a multi-image file is read.
Result<Pixels> pnm_read(std::span<const uint8_t> file);

}  // namespace lmzip::harness
