#include "pnm_read.h"

#include "layout/kinds/kinds.h"

namespace lmzip::harness {

Result<Pixels> pnm_read(std::span<const uint8_t> file) {
  if (!kPnmKind.sniff(file))
    return Status(ErrorCode::bad_magic, "not a binary PGM/PPM file (P5/P6 signature missing)");
  auto split = kPnmKind.split(file);
  if (!split) return split.status();
  if (!*split)
    return Status(ErrorCode::corrupt,
                  "malformed PNM header, or samples that end before the image does");
  const Layout& l = (*split)->layout;
  if (uint64_t{l.width} * l.height > kMaxImagePixels)
    return Status(ErrorCode::limit_exceeded, "PNM image has too many pixels");
  const std::vector<uint8_t>& samples = (*split)->parts.samples;
  const uint64_t sample_bytes = l.bits / 8;  // 16-bit samples are big-endian: the first byte is the high one
  Pixels out;
  out.width = l.width;
  out.height = l.height;
  out.channels = l.channels;
  out.bytes.resize(samples.size() / sample_bytes);
  for (uint64_t i = 0; i < out.bytes.size(); ++i) out.bytes[i] = samples[i * sample_bytes];
  return out;
}

}  // namespace lmzip::harness
