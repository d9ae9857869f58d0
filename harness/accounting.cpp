#include "accounting.h"

namespace lmzip::harness {

double accounted_bytes(const Measurement& m, HeaderCount count) {
  double bytes = static_cast<double>(m.compressed_bytes);
  // Native chunking made fewer streams than chunks: add what the missing
  // streams would have cost, so that every chunk pays its own stream.
  if (m.mode == ChunkMode::chunked && m.streams < m.chunks) bytes += static_cast<double>(m.separate_extra_bytes);
  if (m.mode == ChunkMode::chunked && count == HeaderCount::once && m.chunks > 1)
    bytes -= static_cast<double>(m.header_bytes) * static_cast<double>(m.chunks - 1);
  return bytes < 0 ? 0 : bytes;
}

double rate_raw(const Measurement& m, HeaderCount count) {
  return m.raw_bytes == 0 ? 0 : accounted_bytes(m, count) / static_cast<double>(m.raw_bytes);
}

double rate_adjusted(const Measurement& m, HeaderCount count, double data_bytes) {
  return rate_raw(m, count) + kBytesPerParameter * static_cast<double>(m.parameters) / data_bytes;
}

double throughput_encode(const Measurement& m) {
  return m.encode_seconds > 0 ? static_cast<double>(m.raw_bytes) / m.encode_seconds : 0;
}

double throughput_decode(const Measurement& m) {
  return m.decode_seconds > 0 ? static_cast<double>(m.raw_bytes) / m.decode_seconds : 0;
}

}  // namespace lmzip::harness
