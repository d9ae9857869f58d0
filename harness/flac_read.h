// FLAC streams → PCM samples through libFLAC.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "lmzip/error.h"

namespace lmzip::harness {

struct FlacPcm {
  uint32_t sample_rate = 0;
  uint32_t channels = 0;
  uint32_t bits_per_sample = 0;
  std::vector<int32_t> interleaved;  // channels × frames, right-aligned signed samples
};

// Decodes a whole native FLAC stream held in memory (not Ogg FLAC).
// Malformed data → an error Status. Used for FLAC input files and by the FLAC
// baseline's decoder.
Result<FlacPcm> flac_decode(std::span<const uint8_t> stream);

}  // namespace lmzip::harness
