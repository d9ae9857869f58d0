// Binary PGM (P5) and PPM (P6): the first image's samples, the rest verbatim.
#include <limits>

#include "layout/kinds/kinds.h"
#include "layout/stored_parts.h"

namespace lmzip {
namespace {

using Bytes = std::span<const uint8_t>;

bool pnm_space(uint8_t c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'; }

// The magic, then the whitespace or comment that must come before the width.
bool pnm_sniff(Bytes head) {
  return head.size() >= 3 && head[0] == 'P' && (head[1] == '5' || head[1] == '6') &&
         (pnm_space(head[2]) || head[2] == '#');
}

// One header field: at least one whitespace or '#' comment before it (so that
// "P5640" is not read as width 640), then decimal digits up to `max`.
std::optional<uint32_t> pnm_field(Bytes f, uint64_t* pos, uint32_t max) {
  uint64_t p = *pos;
  for (;;) {
    if (p < f.size() && pnm_space(f[p])) {
      ++p;
    } else if (p < f.size() && f[p] == '#') {
      while (p < f.size() && f[p] != '\n' && f[p] != '\r') ++p;
    } else {
      break;
    }
  }
  if (p == *pos) return std::nullopt;
  uint64_t v = 0;
  const uint64_t first = p;
  for (; p < f.size() && f[p] >= '0' && f[p] <= '9'; ++p) {
    v = v * 10 + (f[p] - '0');
    if (v > max) return std::nullopt;
  }
  if (p == first) return std::nullopt;
  *pos = p;
  return static_cast<uint32_t>(v);
}

// Only the first image of a multi-image file is the payload; any following
// images are trailer (kept, not modelled).
Result<std::optional<Layout>> pnm_detect(Bytes f) {
  if (!pnm_sniff(f)) return std::optional<Layout>();
  const uint32_t channels = f[1] == '5' ? 1 : 3;
  uint64_t pos = 2;
  constexpr uint32_t kAny = std::numeric_limits<uint32_t>::max();
  const auto width = pnm_field(f, &pos, kAny), height = pnm_field(f, &pos, kAny), maxval = pnm_field(f, &pos, 65535);
  if (!width || !height || !maxval || *width == 0 || *height == 0 || *maxval == 0) return std::optional<Layout>();
  // Exactly one whitespace byte ends the header: the next byte is a sample even if it looks like space.
  if (pos >= f.size() || !pnm_space(f[pos])) return std::optional<Layout>();
  ++pos;
  const uint32_t bytes = *maxval > 255 ? 2 : 1;
  return stored_image(LayoutKind::pnm, f.size(), pos, *width, *height, channels, 8 * bytes,
                      uint64_t{*width} * channels * bytes);
}

std::string pnm_name(const Layout& l) { return l.channels == 1 ? "pgm" : "ppm"; }

}  // namespace

const FileKind kPnmKind = {
    .kind = LayoutKind::pnm,
    .media = Media::image,
    .opt_in = false,
    .padded_rows = false,
    .content_is_samples = false,
    .name = pnm_name,
    .sniff = pnm_sniff,
    .detect = pnm_detect,
    .split = stored_detect_split<pnm_detect>,
    .join = stored_join,
};

}  // namespace lmzip
