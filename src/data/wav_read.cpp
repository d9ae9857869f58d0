#include "data/wav_read.h"

#include <cstring>

namespace lmzip::data {
namespace {

uint32_t wav_u32(const uint8_t* p) { return p[0] | (p[1] << 8) | (p[2] << 16) | (uint32_t{p[3]} << 24); }
uint16_t wav_u16(const uint8_t* p) { return static_cast<uint16_t>(p[0] | (p[1] << 8)); }

struct WavFormat {
  uint16_t channels = 0;
  uint32_t sample_rate = 0;
  uint16_t block_align = 0;
  uint16_t bits = 0;
};

Status wav_format_parse(std::span<const uint8_t> body, WavFormat* fmt) {
  if (body.size() < 16) return Status(ErrorCode::corrupt, "WAV 'fmt ' chunk is shorter than 16 bytes");
  uint16_t tag = wav_u16(&body[0]);
  fmt->channels = wav_u16(&body[2]);
  fmt->sample_rate = wav_u32(&body[4]);
  fmt->block_align = wav_u16(&body[12]);
  fmt->bits = wav_u16(&body[14]);
  if (tag == 0xFFFE) {  // WAVE_FORMAT_EXTENSIBLE: the real tag opens the sub-format GUID
    if (body.size() < 40) return Status(ErrorCode::corrupt, "WAV extensible 'fmt ' chunk is too short");
    tag = wav_u16(&body[24]);
  }
  if (tag != 1) return Status(ErrorCode::invalid_argument, "WAV encoding is not integer PCM (format tag " + std::to_string(tag) + ")");
  if (fmt->channels == 0) return Status(ErrorCode::corrupt, "WAV header says 0 channels");
  if (fmt->sample_rate == 0) return Status(ErrorCode::corrupt, "WAV header says sample rate 0");
  if (fmt->bits != 8 && fmt->bits != 16 && fmt->bits != 24 && fmt->bits != 32)
    return Status(ErrorCode::invalid_argument, "WAV sample size " + std::to_string(fmt->bits) + " bits is not 8, 16, 24 or 32");
  if (fmt->block_align != uint32_t{fmt->channels} * (fmt->bits / 8))
    return Status(ErrorCode::corrupt, "WAV block align disagrees with channels × sample size");
  return {};
}

// One sample of `bytes` bytes, little-endian, as a signed value (8-bit WAV is unsigned).
int32_t wav_sample(const uint8_t* p, uint32_t bytes) {
  switch (bytes) {
    case 1: return int32_t{p[0]} - 128;
    case 2: return static_cast<int16_t>(wav_u16(p));
    case 3: return static_cast<int32_t>((uint32_t{p[0]} << 8) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 24)) >> 8;
    default: return static_cast<int32_t>(wav_u32(p));
  }
}

}  // namespace

Result<MonoAudio> wav_read(std::span<const uint8_t> file) {
  if (file.size() < 12 || std::memcmp(file.data(), "RIFF", 4) != 0 || std::memcmp(file.data() + 8, "WAVE", 4) != 0)
    return Status(ErrorCode::bad_magic, "not a WAV file (RIFF/WAVE signature missing)");
  WavFormat fmt;
  bool have_fmt = false;
  size_t pos = 12;
  while (file.size() - pos >= 8) {
    const uint8_t* id = file.data() + pos;
    const uint64_t size = wav_u32(file.data() + pos + 4);
    pos += 8;
    const uint64_t available = file.size() - pos;
    if (std::memcmp(id, "fmt ", 4) == 0) {
      if (size > available) return Status(ErrorCode::truncated, "WAV 'fmt ' chunk runs past the end of the file");
      Status st = wav_format_parse(file.subspan(pos, size), &fmt);
      if (!st) return st;
      have_fmt = true;
    } else if (std::memcmp(id, "data", 4) == 0) {
      if (!have_fmt) return Status(ErrorCode::corrupt, "WAV 'data' chunk comes before any 'fmt ' chunk");
      const uint64_t bytes = size < available ? size : available;
      const uint32_t sample_bytes = fmt.bits / 8u;
      const uint64_t frames = bytes / fmt.block_align;
      if (frames > kMaxAudioSamples) return Status(ErrorCode::limit_exceeded, "WAV file has too many samples");
      MonoAudio out;
      out.sample_rate = fmt.sample_rate;
      out.source_channels = fmt.channels;
      out.source_bits = fmt.bits;
      out.samples.resize(frames);
      std::vector<int32_t> frame(fmt.channels);
      const uint8_t* p = file.data() + pos;
      for (uint64_t i = 0; i < frames; ++i) {
        for (uint32_t c = 0; c < fmt.channels; ++c, p += sample_bytes)
          frame[c] = audio_to_16_bits(wav_sample(p, sample_bytes), fmt.bits);
        out.samples[i] = audio_mix_down(frame.data(), fmt.channels);
      }
      return out;
    }
    const uint64_t padded = size + (size & 1);  // chunks are padded to an even size
    if (padded > available) break;
    pos += padded;
  }
  return Status(ErrorCode::corrupt, have_fmt ? "WAV file has no 'data' chunk" : "WAV file has no 'fmt ' chunk");
}

}  // namespace lmzip::data
