#include "audio.h"

namespace lmzip::harness {

int16_t audio_mix_down(const int32_t* frame, uint32_t channels) {
  int64_t sum = 0;
  for (uint32_t c = 0; c < channels; ++c) sum += frame[c];
  int64_t q = sum / channels;
  if ((sum % channels) != 0 && sum < 0) --q;  // floor, not truncation towards zero
  return static_cast<int16_t>(q);
}

int32_t audio_to_16_bits(int32_t sample, uint32_t bits) {
  if (bits >= 16) return sample >> (bits - 16);
  return static_cast<int32_t>(static_cast<uint32_t>(sample) << (16 - bits));
}

}  // namespace lmzip::harness
