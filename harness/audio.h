// Decoded audio as the preparation uses it: mono, 16-bit.
#pragma once

#include <cstdint>
#include <vector>

namespace lmzip::harness {

struct MonoAudio {
  uint32_t source_channels = 0;  // before the mix-down
  uint32_t source_bits = 0;      // bits per sample in the file
  std::vector<int16_t> samples;
};

// More samples than this are refused (limit_exceeded): about 18 hours at 16 kHz.
inline constexpr uint64_t kMaxAudioSamples = uint64_t{1} << 30;

// One frame of `channels` samples already scaled to 16 bits → one mono
// sample: the mean, rounded towards negative infinity (exact for mono).
int16_t audio_mix_down(const int32_t* frame, uint32_t channels);

// A sample of `bits` (8 ..= 32, signed, right-aligned) scaled to 16 bits: wider
// samples keep their top 16 bits (arithmetic shift), narrower ones are shifted up.
int32_t audio_to_16_bits(int32_t sample, uint32_t bits);

}  // namespace lmzip::harness
