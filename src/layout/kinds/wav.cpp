// RIFF/WAVE integer PCM: the samples of the first 'data' chunk, the rest
// verbatim.
#include <algorithm>
#include <cstring>

#include "layout/kinds/kinds.h"
#include "layout/stored_parts.h"

namespace lmzip {
namespace {

using Bytes = std::span<const uint8_t>;

bool has_tag(Bytes f, uint64_t at, const char (&tag)[5]) {
  return at <= f.size() && f.size() - at >= 4 && std::memcmp(f.data() + at, tag, 4) == 0;
}

bool wav_sniff(Bytes head) { return has_tag(head, 0, "RIFF") && has_tag(head, 8, "WAVE"); }

struct WavFormat {
  uint32_t channels = 0, bits = 0, block_align = 0;
};

// KSDATAFORMAT_SUBTYPE_PCM, the sub-format GUID of WAVE_FORMAT_EXTENSIBLE PCM.
constexpr uint8_t kPcmGuid[16] = {0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10, 0x00,
                                  0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71};

// Only integer PCM whose sample bytes can be modelled as they are; anything
// else (float, compressed, an inconsistent block size) is not ours. The
// byte rate and the sample rate are not checked beyond a non-zero rate:
// writers get the byte rate wrong, and both are only header.
std::optional<WavFormat> wav_format(Bytes body) {
  if (body.size() < 16) return std::nullopt;
  uint32_t tag = *stored_read_le(body, 0, 2);
  if (tag == 0xFFFE) {  // WAVE_FORMAT_EXTENSIBLE: the sub-format GUID says what it is
    if (body.size() < 40 || std::memcmp(body.data() + 24, kPcmGuid, 16) != 0) return std::nullopt;
    tag = 1;
  }
  const WavFormat w{.channels = *stored_read_le(body, 2, 2), .bits = *stored_read_le(body, 14, 2),
                    .block_align = *stored_read_le(body, 12, 2)};
  if (tag != 1 || w.channels < 1 || w.channels > 16 || *stored_read_le(body, 4, 4) == 0) return std::nullopt;
  if (w.bits != 8 && w.bits != 16 && w.bits != 24 && w.bits != 32) return std::nullopt;
  if (w.block_align != w.channels * (w.bits / 8)) return std::nullopt;
  return w;
}

// Walks the RIFF chunks in any order. The payload is the whole frames of the
// first 'data' chunk that the file holds (a streaming writer may leave the
// chunk size larger than the file); everything after them is trailer. A
// second 'fmt ' or 'data' chunk (which no valid file has) is only bytes in
// the header or trailer: lossless either way, and not worth a guess.
Result<std::optional<Layout>> wav_detect(Bytes f) {
  if (!wav_sniff(f)) return std::optional<Layout>();
  std::optional<WavFormat> fmt;
  bool data_seen = false;
  uint64_t data_at = 0, data_size = 0;
  for (uint64_t pos = 12; f.size() - pos >= 8;) {
    const uint64_t size = *stored_read_le(f, pos + 4, 4);
    const uint64_t body = pos + 8, available = f.size() - body;
    if (has_tag(f, pos, "fmt ") && !fmt) {  // an unusable first 'fmt ' returns at once
      if (size > available) return std::optional<Layout>();
      fmt = wav_format(f.subspan(body, size));
      if (!fmt) return std::optional<Layout>();
    } else if (has_tag(f, pos, "data") && !data_seen) {
      data_seen = true;
      data_at = body;
      data_size = std::min(size, available);
    }
    const uint64_t padded = size + (size & 1);  // chunks are padded to an even size
    if (padded > available) break;
    pos = body + padded;
  }
  if (!fmt || !data_seen) return std::optional<Layout>();
  const uint64_t payload = data_size - data_size % fmt->block_align;
  if (payload == 0) return std::optional<Layout>();  // nothing to model
  Layout l = stored_extent(LayoutKind::wav, f.size(), data_at, payload);
  l.channels = fmt->channels;
  l.bits = fmt->bits;
  return std::optional<Layout>(l);
}

std::string wav_name(const Layout&) { return "wav"; }

}  // namespace

const FileKind kWavKind = {
    .kind = LayoutKind::wav,
    .media = Media::audio,
    .opt_in = false,
    .padded_rows = false,
    .content_is_samples = false,
    .name = wav_name,
    .sniff = wav_sniff,
    .detect = wav_detect,
    .split = stored_detect_split<wav_detect>,
    .join = stored_join,
};

}  // namespace lmzip
