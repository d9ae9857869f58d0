#include "measure.h"

#include <algorithm>
#include <chrono>

namespace lmzip::harness {
namespace {

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

using Span = std::span<const uint8_t>;

// The inputs the codec sees, and the chunks each holds. Native chunking:
// runs of chunks that a frame of fixed-size chunks can hold (full chunks,
// then at most one short one).
std::vector<Span> measure_inputs(const DataSet& data, ChunkMode mode, bool native, std::vector<uint64_t>* chunks) {
  std::vector<Span> inputs;
  chunks->clear();
  if (mode == ChunkMode::unchunked) {
    inputs.push_back(data.bytes);
    chunks->push_back(1);
    return inputs;
  }
  const uint32_t full = data.chunk_sizes.empty() ? 0 : *std::max_element(data.chunk_sizes.begin(), data.chunk_sizes.end());
  size_t pos = 0, run_start = 0;
  uint64_t run_chunks = 0;
  for (uint32_t s : data.chunk_sizes) {
    pos += s;
    ++run_chunks;
    if (!native || s != full) {
      inputs.push_back(Span(data.bytes).subspan(run_start, pos - run_start));
      chunks->push_back(run_chunks);
      run_start = pos;
      run_chunks = 0;
    }
  }
  if (run_start != pos) {
    inputs.push_back(Span(data.bytes).subspan(run_start, pos - run_start));
    chunks->push_back(run_chunks);
  }
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
  // What a stream of k >= 2 chunks would cost more as k streams. Two probes
  // on the first full chunks A, B, C: splitting a stream of two costs
  // pair = |A| + |B| - |AB|; taking one more chunk out of a stream of at least
  // two costs each = |C| + |AB| - |ABC|. They differ when a stream of one
  // chunk is cheaper than a chunk's share of a longer one (format version 4
  // drops the chunk checksum of a frame of one chunk); then k streams cost
  // (k - 2) * each + pair more.
  uint64_t full_run = 0;
  while (full_run < data.chunk_sizes.size() && data.chunk_sizes[full_run] == chunk_size) ++full_run;
  int64_t pair = 0, each = 0;
  if (native && full_run >= 2) {
    const auto part = [&](size_t first, size_t count) {
      return Span(data.bytes).subspan(first * chunk_size, count * size_t{chunk_size});
    };
    Result<Bytes> ea = encode(part(0, 1)), eb = encode(part(1, 1)), eab = encode(part(0, 2));
    if (!ea || !eb || !eab) {
      m.error = "stream overhead probe failed";
      return m;
    }
    pair = static_cast<int64_t>(ea->size() + eb->size()) - static_cast<int64_t>(eab->size());
    each = pair;
    if (full_run >= 3) {
      Result<Bytes> ec = encode(part(2, 1)), eabc = encode(part(0, 3));
      if (!ec || !eabc) {
        m.error = "stream overhead probe failed";
        return m;
      }
      each = static_cast<int64_t>(ec->size() + eab->size()) - static_cast<int64_t>(eabc->size());
    }
    m.stream_overhead_bytes = static_cast<uint64_t>(std::max<int64_t>(each, 0));
  }

  std::vector<uint64_t> stream_chunks;
  const std::vector<Span> inputs = measure_inputs(data, mode, native, &stream_chunks);
  m.streams = inputs.size();
  int64_t extra = 0;
  for (uint64_t k : stream_chunks)
    if (k >= 2) extra += static_cast<int64_t>(k - 2) * each + pair;
  m.separate_extra_bytes = static_cast<uint64_t>(std::max<int64_t>(extra, 0));

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
