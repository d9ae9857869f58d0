// Turning measured sizes into the paper's rates (issue 5, "Accounting").
#pragma once

#include "measure.h"

namespace lmzip::harness {

enum class HeaderCount {
  once,       // the paper's way: one container header for the whole data set
  per_chunk,  // the honest way: every chunk pays its own
};

// The paper's model-size charge: 2 bytes (bfloat16) per parameter.
inline constexpr double kBytesPerParameter = 2.0;
// The paper's data sets are 1 GB.
inline constexpr double kPaperDataBytes = 1e9;

// Compressed bytes under an accounting. per_chunk: every chunk as its own
// stream (for native chunking, the measured streams plus what the chunks
// that shared a stream would cost more alone, Measurement::separate_extra_bytes).
// once: that total less the header estimate for every chunk but one, as the
// paper's evaluate_compressor_chunked (never below zero).
double accounted_bytes(const Measurement& m, HeaderCount count);

// compressed / raw (a fraction; ×100 for the paper's %).
double rate_raw(const Measurement& m, HeaderCount count);

// Raw rate plus the model's size spread over `data_bytes` of data.
double rate_adjusted(const Measurement& m, HeaderCount count, double data_bytes);

// Bytes per second, over the bytes measured.
double throughput_encode(const Measurement& m);
double throughput_decode(const Measurement& m);

}  // namespace lmzip::harness
