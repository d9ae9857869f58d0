#include "wav_read.h"

#include "layout/kinds/kinds.h"

namespace lmzip::harness {
namespace {

// One sample of `bytes` bytes, little-endian, as a signed value (8-bit WAV is unsigned).
int32_t wav_sample(const uint8_t* p, uint32_t bytes) {
  switch (bytes) {
    case 1: return int32_t{p[0]} - 128;
    case 2: return static_cast<int16_t>(p[0] | (p[1] << 8));
    case 3: return static_cast<int32_t>((uint32_t{p[0]} << 8) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 24)) >> 8;
    default: return static_cast<int32_t>(p[0] | (p[1] << 8) | (p[2] << 16) | (uint32_t{p[3]} << 24));
  }
}

}  // namespace

Result<MonoAudio> wav_read(std::span<const uint8_t> file) {
  if (!kWavKind.sniff(file)) return Status(ErrorCode::bad_magic, "not a WAV file (RIFF/WAVE signature missing)");
  auto split = kWavKind.split(file);
  if (!split) return split.status();
  if (!*split)
    return Status(ErrorCode::invalid_argument,
                  "not a WAV file this reader takes (integer PCM of 8, 16, 24 or 32 bits, 1 to 16 channels, "
                  "a 'fmt ' and a non-empty 'data' chunk)");
  const Layout& l = (*split)->layout;
  const std::vector<uint8_t>& pcm = (*split)->parts.samples;
  const uint32_t sample_bytes = l.bits / 8;
  const uint64_t frames = pcm.size() / (uint64_t{l.channels} * sample_bytes);
  if (frames > kMaxAudioSamples) return Status(ErrorCode::limit_exceeded, "WAV file has too many samples");
  MonoAudio out;
  out.source_channels = l.channels;
  out.source_bits = l.bits;
  out.samples.resize(frames);
  std::vector<int32_t> frame(l.channels);
  const uint8_t* p = pcm.data();
  for (uint64_t i = 0; i < frames; ++i) {
    for (uint32_t c = 0; c < l.channels; ++c, p += sample_bytes)
      frame[c] = audio_to_16_bits(wav_sample(p, sample_bytes), l.bits);
    out.samples[i] = audio_mix_down(frame.data(), l.channels);
  }
  return out;
}

}  // namespace lmzip::harness
