// RIFF/WAVE PCM (8, 16, 24 or 32 bits, any channel count) → mono 16-bit.
#pragma once

#include <cstdint>
#include <span>

#include "data/audio.h"
#include "lmzip/error.h"

namespace lmzip::data {

// Accepts format tag 1 (PCM) and WAVE_FORMAT_EXTENSIBLE with the PCM
// sub-format. Any malformed header (missing or short 'fmt ', missing 'data',
// an inconsistent block size, a non-PCM encoding) is an error Status. A data
// chunk that claims more bytes than the file holds (as streaming writers
// leave it) is read up to the last whole frame present.
Result<MonoAudio> wav_read(std::span<const uint8_t> file);

}  // namespace lmzip::data
