// Decoded 8-bit images: what the image readers return and the patch
// extraction consumes.
#pragma once

#include <cstdint>
#include <vector>

namespace lmzip {

// Row-major, channels interleaved, 8 bits per sample, no padding between rows.
struct Pixels {
  uint32_t width = 0;
  uint32_t height = 0;
  uint32_t channels = 0;  // 1 (gray) or 3 (RGB): readers drop alpha
  std::vector<uint8_t> bytes;
};

// Images larger than this are refused (limit_exceeded) rather than allocated:
// a forged header must not make a reader ask for gigabytes.
inline constexpr uint64_t kMaxImagePixels = uint64_t{1} << 28;

}  // namespace lmzip
