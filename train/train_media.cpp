#include "train_media.h"

#include <cmath>

#include "audio_samples.h"
#include "image_patches.h"
#include "train_data.h"

namespace lmzip::train {

Result<MediaPreset> media_preset(const std::string& name, const std::string& filter) {
  MediaPreset p;
  p.name = name;
  DataSpec data;
  std::string fallback;
  if (name == "image-gray") {
    data = {Media::image, 64, 1, 8};
    fallback = "med";
  } else if (name == "image-rgb") {
    data = {Media::image, 64, 3, 8};
    fallback = "med";
    p.chunk = 64 * 3 * (2048 / (64 * 3));  // 10 rows: the codec's tile for 2048-byte chunks
  } else if (name == "audio8") {
    data = {Media::audio, 0, 1, 8};
    fallback = "poly2";
  } else if (name == "audio16") {
    data = {Media::audio, 0, 1, 16};
    fallback = "poly2";
  } else {
    return Status(ErrorCode::invalid_argument,
                  "unknown media '" + name + "' (image-gray, image-rgb, audio8, audio16)");
  }
  Result<FilterSpec> f = filter_spec_parse(filter.empty() ? fallback : filter, data);
  if (!f) return f.status();
  p.filter = *f;
  return p;
}

Result<MediaTokens> media_tokens(const MediaPreset& p, const std::vector<std::string>& files) {
  const DataSpec& spec = p.filter.data;
  std::vector<uint8_t> content;
  for (const std::string& path : files) {
    auto bytes = file_read_all(path);
    if (!bytes) return bytes.status();
    auto fail = [&](const Status& s) { return Status(s.code(), path + ": " + s.message()); };
    if (spec.kind == Media::image) {
      auto im = harness::image_read(*bytes);
      if (!im) return fail(im.status());
      const Pixels px = spec.channels == 1 ? harness::image_gray_mean(*im) : harness::image_rgb(*im);
      const std::vector<uint8_t> tiles =
          harness::image_tiles(px, spec.width, uint32_t(p.chunk) / (spec.width * spec.channels));
      content.insert(content.end(), tiles.begin(), tiles.end());
    } else {
      auto au = harness::audio_read(*bytes);
      if (!au) return fail(au.status());
      std::vector<uint8_t> b = spec.bits == 8 ? harness::audio_bytes_8bit(au->samples)
                                              : harness::audio_bytes_16bit_le(au->samples);
      b.resize(b.size() / size_t(p.chunk) * size_t(p.chunk));
      content.insert(content.end(), b.begin(), b.end());
    }
  }
  MediaTokens out;
  out.tokens.resize(content.size());
  out.tags.resize(content.size());
  for (size_t off = 0; off < content.size(); off += size_t(p.chunk))
    filter_tokens(p.filter, std::span(content).subspan(off, size_t(p.chunk)), out.tokens.data() + off,
                  out.tags.data() + off);
  return out;
}

double chunk_entropy_bits(const std::vector<uint8_t>& bytes, int chunk) {
  double bits = 0;
  for (size_t off = 0; off < bytes.size(); off += size_t(chunk)) {
    const size_t n = std::min(bytes.size() - off, size_t(chunk));
    uint32_t count[256] = {};
    for (size_t i = 0; i < n; ++i) ++count[bytes[off + i]];
    for (uint32_t c : count)
      if (c) bits -= double(c) * std::log2(double(c) / double(n));
  }
  return bytes.empty() ? 0.0 : bits / double(bytes.size());
}

}  // namespace lmzip::train
