// Running one compressor on one data set: compress, decompress, compare, time.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "baseline.h"
#include "dataset.h"

namespace lmzip::harness {

enum class ChunkMode { unchunked, chunked };
const char* chunk_mode_name(ChunkMode mode);

struct Measurement {
  std::string compressor;
  std::string dataset;
  ChunkMode mode = ChunkMode::chunked;
  uint64_t raw_bytes = 0;         // bytes measured (a sample when the data set was sampled)
  uint64_t full_bytes = 0;        // size of the whole prepared data set
  uint64_t chunks = 0;            // chunks measured (1 when unchunked)
  uint64_t streams = 0;           // streams actually produced: == chunks, except native chunking
  uint64_t compressed_bytes = 0;  // sum of every stream, each complete with its own header
  // Native chunking only: what one more stream costs (its header and end),
  // measured as size(C) + size(AB) − size(ABC) on three chunks (with two:
  // size(A) + size(B) − size(AB)).
  uint64_t stream_overhead_bytes = 0;
  // Native chunking only: what the chunks that shared streams would cost
  // more as streams of their own (measure.cpp: the probes).
  uint64_t separate_extra_bytes = 0;
  uint64_t header_bytes = 0;      // output for a 1-unit input (the paper's header estimate)
  uint64_t parameters = 0;        // the model's learned parameters
  double encode_seconds = 0;
  double decode_seconds = 0;
  bool verified = false;  // every stream decoded to exactly its input
  std::string error;      // why there is no number (empty when verified)

  bool ok() const { return verified && error.empty(); }
  bool sampled() const { return raw_bytes != full_bytes; }
};

// Called now and then with (streams done, streams in all).
using MeasureProgress = std::function<void(uint64_t done, uint64_t total)>;

// Unchunked: the whole data set as one input. Chunked: every chunk alone; or,
// for a codec with native chunks, each run of whole chunks (a file's chunks)
// as one stream of independently coded chunks, accounted as if every chunk
// were its own stream (accounting.h). A number counts only if every decoded
// stream equals its input.
Measurement measure_run(const Baseline& codec, const DataSet& data, ChunkMode mode, const MeasureProgress& progress);

}  // namespace lmzip::harness
