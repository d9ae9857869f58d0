#include "audio_samples.h"

#include <cstring>

#include "flac_read.h"
#include "layout/kinds/kinds.h"
#include "wav_read.h"

namespace lmzip::harness {

bool audio_signature_matches(std::span<const uint8_t> file) {
  return kWavKind.sniff(file) || (file.size() >= 4 && std::memcmp(file.data(), "fLaC", 4) == 0);
}

Result<MonoAudio> audio_read(std::span<const uint8_t> file) {
  if (file.size() >= 4 && std::memcmp(file.data(), "fLaC", 4) == 0) {
    Result<FlacPcm> pcm = flac_decode(file);
    if (!pcm) return pcm.status();
    MonoAudio out;
    out.source_channels = pcm->channels;
    out.source_bits = pcm->bits_per_sample;
    const size_t frames = pcm->interleaved.size() / pcm->channels;
    out.samples.resize(frames);
    std::vector<int32_t> frame(pcm->channels);
    for (size_t i = 0; i < frames; ++i) {
      for (uint32_t c = 0; c < pcm->channels; ++c)
        frame[c] = audio_to_16_bits(pcm->interleaved[i * pcm->channels + c], pcm->bits_per_sample);
      out.samples[i] = audio_mix_down(frame.data(), pcm->channels);
    }
    return out;
  }
  return wav_read(file);
}

std::vector<uint8_t> audio_bytes_8bit(std::span<const int16_t> samples) {
  std::vector<uint8_t> out(samples.size());
  for (size_t i = 0; i < samples.size(); ++i)
    out[i] = static_cast<uint8_t>((samples[i] >> 8) + 128);  // lin2lin(…, 2, 1) then bias 128
  return out;
}

std::vector<uint8_t> audio_bytes_16bit_le(std::span<const int16_t> samples) {
  std::vector<uint8_t> out(samples.size() * 2);
  for (size_t i = 0; i < samples.size(); ++i) {
    const auto u = static_cast<uint16_t>(samples[i]);
    out[2 * i] = static_cast<uint8_t>(u & 0xFF);
    out[2 * i + 1] = static_cast<uint8_t>(u >> 8);
  }
  return out;
}

}  // namespace lmzip::harness
