// Images → the paper's image data set: 32 × 64 patches, 2048 bytes each.
//
// Our reading of the paper (Delétang et al. 2023, §3.1 and the released
// data_loaders.py): each image is converted to grayscale as the mean of its
// colour channels truncated to uint8 (np.mean(image, -1).astype(uint8)), then
// cut into non-overlapping patches of 32 rows × 64 columns, taken in row-major
// order over the patch grid; each patch is flattened row-major into 2048
// bytes; pixels right of the last full patch column and below the last full
// patch row are dropped.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "layout/kinds/pixels.h"
#include "lmzip/error.h"

namespace lmzip::harness {

inline constexpr uint32_t kPatchRows = 32;
inline constexpr uint32_t kPatchColumns = 64;
inline constexpr uint32_t kGrayPatchBytes = kPatchRows * kPatchColumns;       // 2048
inline constexpr uint32_t kRgbPatchBytes = kPatchRows * kPatchColumns * 3;    // 6144

// PNG, binary PGM or PPM, chosen by the file's signature.
Result<Pixels> image_read(std::span<const uint8_t> file);

// True when the bytes start like a PNG or a binary PGM/PPM.
bool image_signature_matches(std::span<const uint8_t> file);

// Channel mean, truncated (one channel in, the same values out).
Pixels image_gray_mean(const Pixels& image);

// Gray replicated into three equal channels (an RGB image unchanged).
Pixels image_rgb(const Pixels& image);

// The full tiles `width` pixels wide and `rows` rows high, in row-major order
// over the tile grid, each flattened row-major (channels interleaved);
// pixels right of the last full tile column and below the last full row of
// tiles are dropped.
std::vector<uint8_t> image_tiles(const Pixels& image, uint32_t width, uint32_t rows);

// The paper's protocol: gray mean, then 2048-byte patches, concatenated.
std::vector<uint8_t> image_patches_gray(const Pixels& image);

// Our lossless variant: the same 32 × 64 patch grid on the RGB pixels, each
// patch flattened row-major with R, G, B interleaved (6144 bytes). A gray
// image is replicated into three equal channels.
std::vector<uint8_t> image_patches_rgb(const Pixels& image);

}  // namespace lmzip::harness
