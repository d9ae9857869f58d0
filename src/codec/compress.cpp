#include <algorithm>
#include <memory>
#include <vector>

#include "codec/chunk_codec.h"
#include "common/checksum.h"
#include "common/parallel_for.h"
#include "format/frame_format.h"
#include "lmzip/codec.h"

namespace lmzip {
namespace {

struct EncodedChunk {
  std::vector<uint8_t> content;
  std::vector<uint8_t> record;   // record header, then payload
  std::vector<uint8_t> payload;
};

size_t varint_size(size_t v) {
  size_t n = 1;
  while (v >= 0x80) v >>= 7, ++n;
  return n;
}

void encode_one(Predictor& predictor, uint32_t chunk_size, EncodedChunk& c) {
  format::ChunkRecord r;
  r.raw_size = static_cast<uint32_t>(c.content.size());
  r.checksum = checksum32(c.content);
  // Modelled only if its record (payload and payload size) is smaller than
  // the stored record: so no chunk grows by more than a stored record header.
  if (chunk_encode(predictor, c.content, c.payload) &&
      c.payload.size() + varint_size(c.payload.size()) < c.content.size()) {
    r.mode = format::ChunkMode::modelled;
    r.payload_size = static_cast<uint32_t>(c.payload.size());
  } else {
    r.mode = format::ChunkMode::stored;
    r.payload_size = r.raw_size;
    c.payload = c.content;
  }
  c.record.clear();
  format::chunk_record_write(r, chunk_size, c.record);
  c.record.insert(c.record.end(), c.payload.begin(), c.payload.end());
}

}  // namespace

Status compress(ByteSource& in, ByteSink& out, const CompressOptions& options,
                CompressStats* stats) {
  if (!options.model) return Status(ErrorCode::invalid_argument, "no model given");
  const Model& model = *options.model;
  const uint32_t chunk_size = options.chunk_size ? options.chunk_size : model.default_chunk_size();
  if (chunk_size == 0 || chunk_size > kMaxChunkSize)
    return Status(ErrorCode::invalid_argument,
                  "chunk size must be 1 .. " + std::to_string(kMaxChunkSize));
  if (!format::model_name_valid(model.name()))
    return Status(ErrorCode::invalid_argument, "model name '" + model.name() + "' cannot be stored");
  const unsigned threads = std::max(1u, options.threads);
  std::vector<std::unique_ptr<Predictor>> predictors(threads);
  {
    auto probe = model.make_predictor();
    if (probe->alphabet_size() != 256)
      return Status(ErrorCode::invalid_argument, "model '" + model.name() + "' is not a byte model");
  }

  CompressStats local;
  std::vector<uint8_t> bytes;
  format::frame_header_write({model.name(), model.identity(), chunk_size}, bytes);
  if (Status st = out.write(bytes); !st) return st;
  local.bytes_out += bytes.size();

  const size_t batch = chunks_in_flight(threads, chunk_size);
  std::vector<EncodedChunk> chunks(batch);
  StreamChecksum content_sum;
  bool input_done = false;
  while (!input_done) {
    size_t n = 0;
    for (; n < batch && !input_done; ++n) {
      auto& c = chunks[n].content;
      c.resize(chunk_size);
      size_t got = 0;
      if (Status st = in.read(c, &got); !st) return st;
      c.resize(got);
      if (got < chunk_size) input_done = true;
      if (got == 0) break;
    }
    parallel_for(n, threads, [&](size_t i, unsigned worker) {
      if (!predictors[worker]) predictors[worker] = model.make_predictor();
      encode_one(*predictors[worker], chunk_size, chunks[i]);
    });
    for (size_t i = 0; i < n; ++i) {
      content_sum.update(chunks[i].content);
      if (Status st = out.write(chunks[i].record); !st) return st;
      local.bytes_in += chunks[i].content.size();
      local.bytes_out += chunks[i].record.size();
    }
    if (options.progress) options.progress(local.bytes_in, local.bytes_out);
  }

  bytes.clear();
  format::frame_end_write({local.bytes_in, content_sum.digest()}, bytes);
  if (Status st = out.write(bytes); !st) return st;
  local.bytes_out += bytes.size();
  if (stats) *stats = local;
  return {};
}

const char* version_string() { return LMZIP_VERSION; }

}  // namespace lmzip
