#include "measure.h"

#include <algorithm>
#include <chrono>

namespace lmzip::harness {
namespace {

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

using Span = std::span<const uint8_t>;

// The inputs the codec sees. Native chunking: runs of chunks that a frame of
// fixed-size chunks can hold (full chunks, then at most one short one).
std::vector<Span> measure_inputs(const DataSet& data, ChunkMode mode, bool native) {
  std::vector<Span> inputs;
  if (mode == ChunkMode::unchunked) {
    inputs.push_back(data.bytes);
    return inputs;
  }
  const uint32_t full = data.chunk_sizes.empty() ? 0 : *std::max_element(data.chunk_sizes.begin(), data.chunk_sizes.end());
  size_t pos = 0, run_start = 0;
  for (uint32_t s : data.chunk_sizes) {
    pos += s;
    if (!native || s != full) {
      inputs.push_back(Span(data.bytes).subspan(run_start, pos - run_start));
      run_start = pos;
    }
  }
  if (run_start != pos) inputs.push_back(Span(data.bytes).subspan(run_start, pos - run_start));
  return inputs;
}

}  // namespace

const char* chunk_mode_name(ChunkMode mode) { return mode == ChunkMode::chunked ? "chunked" : "unchunked"; }

Measurement measure_run(const Baseline& codec, const DataSet& data, ChunkMode mode, const MeasureProgress& progress) {
  Measurement m;
  m.compressor = codec.name();
  m.dataset = data.name();
  m.mode = mode;
  m.raw_bytes = data.bytes.size();
  m.full_bytes = data.full_bytes;
  m.parameters = codec.parameters();
  m.chunks = mode == ChunkMode::chunked ? data.chunk_sizes.size() : 1;

  const bool native = mode == ChunkMode::chunked && codec.has_native_chunks();
  const uint32_t chunk_size = data.chunk_sizes.empty() ? 0 : data.chunk_sizes.front();
  auto encode = [&](Span in) { return native ? codec.encode_chunks(in, chunk_size, data.shape) : codec.encode(in, data.shape); };

  if (mode == ChunkMode::chunked) {
    // The paper's header estimate: what the codec writes for the smallest input.
    const Bytes probe(data.shape.unit_bytes(), 0);
    Result<Bytes> h = codec.encode(probe, data.shape);
    if (!h) {
      m.error = "header probe: " + h.status().message();
      return m;
    }
    m.header_bytes = h->size();
  }
  if (native && data.chunk_sizes.size() >= 2 && data.chunk_sizes[0] == chunk_size && data.chunk_sizes[1] == chunk_size) {
    const Span a = Span(data.bytes).subspan(0, chunk_size), b = Span(data.bytes).subspan(chunk_size, chunk_size);
    Result<Bytes> ea = encode(a), eb = encode(b), eab = encode(Span(data.bytes).subspan(0, 2 * size_t{chunk_size}));
    if (!ea || !eb || !eab) {
      m.error = "stream overhead probe failed";
      return m;
    }
    m.stream_overhead_bytes = ea->size() + eb->size() - eab->size();
  }

  const std::vector<Span> inputs = measure_inputs(data, mode, native);
  m.streams = inputs.size();

  // Encode everything first, then decode: each phase is timed on its own.
  std::vector<Bytes> encoded(inputs.size());
  const uint64_t total = inputs.size() * 2;
  if (progress) progress(0, total);
  for (size_t i = 0; i < inputs.size(); ++i) {
    const auto t0 = std::chrono::steady_clock::now();
    Result<Bytes> e = encode(inputs[i]);
    m.encode_seconds += seconds_since(t0);
    if (!e) {
      m.error = "encode: " + e.status().message();
      return m;
    }
    m.compressed_bytes += e->size();
    encoded[i] = std::move(*e);
    if (progress) progress(i + 1, total);
  }
  for (size_t i = 0; i < inputs.size(); ++i) {
    const auto t0 = std::chrono::steady_clock::now();
    Result<Bytes> d = codec.decode(encoded[i], data.shape);
    m.decode_seconds += seconds_since(t0);
    if (!d) {
      m.error = "decode: " + d.status().message();
      return m;
    }
    if (d->size() != inputs[i].size() || !std::equal(d->begin(), d->end(), inputs[i].begin())) {
      m.error = "decoded bytes differ from the input (stream " + std::to_string(i) + ")";
      return m;
    }
    Bytes().swap(encoded[i]);
    if (progress) progress(inputs.size() + i + 1, total);
  }
  m.verified = true;
  return m;
}

}  // namespace lmzip::harness
