// The values of a GGUF tensor as f32, for every type gguf.h reads: the
// block formats as ggml defines them (one scale per block of 32 for
// Q4_0 / Q8_0; super-blocks of 256 with 6-bit or 8-bit sub-block scales for
// Q4_K / Q6_K). Each value is computed by one fixed sequence of f32
// operations, the same on every machine (docs/MODEL_FORMAT.md gives them).
#pragma once

#include <cstdint>
#include <span>

#include "gguf/gguf.h"
#include "lmzip/error.h"

namespace lmzip::gguf {

// Writes `n` values (a multiple of the type's block) decoded from `src`.
void dequantize_row(TensorType type, const uint8_t* src, float* out, int64_t n);

// All of `t`'s values into `out` (t.elements() floats).
Status dequantize(const Tensor& t, std::span<float> out);

}  // namespace lmzip::gguf
