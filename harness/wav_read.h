// RIFF/WAVE PCM (8, 16, 24 or 32 bits, 1 ..= 16 channels) → mono 16-bit.
#pragma once

#include <cstdint>
#include <span>

#include "audio.h"
#include "lmzip/error.h"

namespace lmzip::harness {

// What the codec's WAV layout finds (src/layout/kinds/wav.cpp): format tag 1
// (PCM) or WAVE_FORMAT_EXTENSIBLE with the PCM sub-format, chunks in any
// order; a data chunk that claims more bytes than the file holds (as
// streaming writers leave it) is read up to the last whole frame present.
// Anything else (not RIFF/WAVE, no usable 'fmt ' or 'data', float or
// compressed samples, no whole frame) is an error Status.
Result<MonoAudio> wav_read(std::span<const uint8_t> file);

}  // namespace lmzip::harness
