#include "data/pnm_read.h"

#include <string>

namespace lmzip::data {
namespace {

bool pnm_is_space(uint8_t c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'; }

// Skips whitespace and '#' comments, then reads one decimal header field.
bool pnm_header_field(std::span<const uint8_t> in, size_t* pos, uint32_t* value) {
  size_t p = *pos;
  for (;;) {
    while (p < in.size() && pnm_is_space(in[p])) ++p;
    if (p < in.size() && in[p] == '#') {
      while (p < in.size() && in[p] != '\n' && in[p] != '\r') ++p;
      continue;
    }
    break;
  }
  uint64_t v = 0;
  size_t digits = 0;
  while (p < in.size() && in[p] >= '0' && in[p] <= '9') {
    v = v * 10 + (in[p] - '0');
    if (v > 0xFFFFFFFFu) return false;
    ++p;
    ++digits;
  }
  if (digits == 0) return false;
  *value = static_cast<uint32_t>(v);
  *pos = p;
  return true;
}

}  // namespace

Result<Pixels> pnm_read(std::span<const uint8_t> file) {
  if (file.size() < 2 || file[0] != 'P' || (file[1] != '5' && file[1] != '6'))
    return Status(ErrorCode::bad_magic, "not a binary PGM/PPM file (P5/P6 signature missing)");
  const uint32_t channels = file[1] == '5' ? 1 : 3;
  size_t pos = 2;
  uint32_t width = 0, height = 0, maxval = 0;
  if (!pnm_header_field(file, &pos, &width) || !pnm_header_field(file, &pos, &height) ||
      !pnm_header_field(file, &pos, &maxval))
    return Status(ErrorCode::corrupt, "malformed PNM header");
  // Exactly one whitespace byte separates the header from the samples.
  if (pos >= file.size() || !pnm_is_space(file[pos]))
    return Status(ErrorCode::corrupt, "malformed PNM header (no separator before samples)");
  ++pos;
  if (width == 0 || height == 0 || maxval == 0 || maxval > 65535)
    return Status(ErrorCode::corrupt, "PNM header has a zero size or an invalid maxval");
  if (uint64_t{width} * height > kMaxImagePixels)
    return Status(ErrorCode::limit_exceeded, "PNM image has too many pixels");
  const uint64_t sample_bytes = maxval > 255 ? 2 : 1;
  const uint64_t samples = uint64_t{width} * height * channels;
  if (file.size() - pos < samples * sample_bytes)
    return Status(ErrorCode::truncated, "PNM samples end before the image does");
  Pixels out;
  out.width = width;
  out.height = height;
  out.channels = channels;
  out.bytes.resize(samples);
  for (uint64_t i = 0; i < samples; ++i) out.bytes[i] = file[pos + i * sample_bytes];
  return out;
}

}  // namespace lmzip::data
