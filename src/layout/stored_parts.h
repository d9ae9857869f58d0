// Split and join for the kinds whose samples are stored in the file as they
// are (WAV, PNM, BMP): header ‖ payload ‖ trailer, image rows brought to
// model order (top-down, R,G,B, padding set aside as residue). Shared by
// their FileKind entries, with the helpers their detection shares.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "layout/file_kind.h"
#include "layout/layout.h"
#include "lmzip/error.h"

namespace lmzip {

// invalid_argument if `layout` does not describe a file of this size or is
// inconsistent in itself (never the case for a layout its kind detected in
// this file).
Result<LayoutParts> stored_split(std::span<const uint8_t> file, const Layout& layout);

// The exact inverse of stored_split; invalid_argument (never a crash) when
// the parts' sizes disagree with the layout.
Result<std::vector<uint8_t>> stored_join(const Layout& layout, LayoutParts parts);

// FileKind::split of a stored kind whose detection is `Detect`.
template <Result<std::optional<Layout>> (*Detect)(std::span<const uint8_t>)>
Result<std::optional<LayoutSplit>> stored_detect_split(std::span<const uint8_t> file) {
  auto layout = Detect(file);
  if (!layout) return layout.status();
  if (!*layout) return std::optional<LayoutSplit>();
  auto parts = stored_split(file, **layout);
  if (!parts) return parts.status();  // not for a detected layout
  return std::optional<LayoutSplit>(LayoutSplit{**layout, std::move(*parts)});
}

// ---- for detection -------------------------------------------------------------

// The n-byte little-endian field at `at`, or nullopt when the file ends first.
std::optional<uint32_t> stored_read_le(std::span<const uint8_t> f, uint64_t at, unsigned n);

// A layout whose payload is [at, at + payload) of a file of `size` bytes; the rest is trailer.
Layout stored_extent(LayoutKind kind, uint64_t size, uint64_t at, uint64_t payload);

// An image layout once the raster is known to start at `at`: nullopt when
// rows * stride overflows or the file ends before the raster does.
std::optional<Layout> stored_image(LayoutKind kind, uint64_t file_size, uint64_t at, uint64_t width,
                                   uint64_t height, uint32_t channels, uint32_t bits, uint64_t stride);

}  // namespace lmzip
