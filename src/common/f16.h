// IEEE binary16 ("half") conversions, exact and portable: GGUF f16 tensors
// and the transformer's f16 key/value cache (docs/ARCHITECTURE.md).
#pragma once

#include <cstdint>

namespace lmzip {

// Largest finite binary16 value.
inline constexpr float kF16Max = 65504.0f;

// f32 -> f16, round to nearest even; overflow gives infinity, NaN stays NaN.
uint16_t f32_to_f16(float x);
// f16 -> f32, exact.
float f16_to_f32(uint16_t h);
// The key/value rounding of the transformer: clamp to [-kF16Max, kF16Max]
// (NaN -> -kF16Max), then round to the nearest binary16, returned as f32.
// The kernels' round_f16 computes exactly this in every path.
float f16_round(float x);

}  // namespace lmzip
