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

struct PendingChunk {
  format::ChunkRecord record;
  std::vector<uint8_t> payload;
  std::vector<uint8_t> content;
  bool checksum_ok = false;
};

class FrameDecoder {
 public:
  FrameDecoder(format::FrameReader& reader, ByteSink& out, const DecompressOptions& options,
               CompressStats& stats)
      : reader_(reader), out_(out), options_(options), stats_(stats) {}

  Status decode_frame() {
    format::FrameHeader header;
    if (Status st = reader_.read_header(&header); !st) return st;
    if (!model_ || model_->name() != header.model_name ||
        model_->identity() != header.model_identity) {
      auto model = options_.resolve(header.model_name, header.model_identity);
      if (!model) return model.status();
      model_ = *model;
      predictors_.clear();
      predictors_.resize(threads());
      lockstep_.clear();
      lockstep_.resize(threads());
      lockstep_probe_ = 0;
    }
    const size_t batch = chunks_in_flight(threads(), header.chunk_size);
    std::vector<PendingChunk> chunks(batch);
    StreamChecksum content_sum;
    uint64_t frame_bytes = 0;
    uint64_t chunk_index = 0;
    bool saw_partial = false;
    for (;;) {
      size_t n = 0;
      format::FrameEnd end;
      bool at_end = false;
      while (n < batch) {
        PendingChunk& c = chunks[n];
        if (Status st = reader_.read_record(header, &c.record, &end); !st) return st;
        if (c.record.mode == format::ChunkMode::end) {
          at_end = true;
          break;
        }
        if (saw_partial)
          return corrupt_at("a chunk follows a partial chunk");
        saw_partial = c.record.raw_size != header.chunk_size;
        if (Status st = reader_.read_payload(c.record.payload_size, &c.payload); !st) return st;
        ++n;
      }
      decode_batch({chunks.data(), n}, header.chunk_size);
      for (size_t i = 0; i < n; ++i, ++chunk_index) {
        if (!chunks[i].checksum_ok)
          return Status(ErrorCode::corrupt,
                        "corrupt input: checksum mismatch in chunk " + std::to_string(chunk_index) +
                            " (content bytes " + std::to_string(frame_bytes) + " ..)");
        content_sum.update(chunks[i].content);
        if (Status st = out_.write(chunks[i].content); !st) return st;
        frame_bytes += chunks[i].content.size();
        stats_.bytes_out += chunks[i].content.size();
      }
      stats_.bytes_in = reader_.offset();
      if (options_.progress) options_.progress(stats_.bytes_in, stats_.bytes_out);
      if (at_end) {
        if (end.original_size != frame_bytes)
          return corrupt_at("the frame end records a different size than its chunks hold");
        if (end.checksum != content_sum.digest())
          return corrupt_at("whole-content checksum mismatch");
        return {};
      }
    }
  }

 private:
  unsigned threads() const { return std::max(1u, options_.threads); }

  Status corrupt_at(const std::string& what) const {
    return Status(ErrorCode::corrupt,
                  "corrupt input at offset " + std::to_string(reader_.offset()) + ": " + what);
  }

  // Full-size modelled chunks go through the model's lockstep predictor when
  // it has one, split evenly between the threads; the rest one by one.
  void decode_batch(std::span<PendingChunk> chunks, uint32_t chunk_size) {
    std::vector<PendingChunk*> single, together;
    for (auto& c : chunks) {
      const bool full_modelled = c.record.mode == format::ChunkMode::modelled &&
                                 c.record.raw_size == chunk_size;
      (full_modelled && lockstep_available() ? together : single).push_back(&c);
    }
    if (together.size() < 2) {
      single.insert(single.end(), together.begin(), together.end());
      together.clear();
    }
    parallel_for(single.size(), threads(), [&](size_t i, unsigned worker) { decode_one(*single[i], worker); });
    if (together.empty()) return;
    const size_t groups = std::min<size_t>(threads(), together.size());
    parallel_for(groups, threads(), [&](size_t g, unsigned worker) {
      const size_t begin = together.size() * g / groups, end = together.size() * (g + 1) / groups;
      decode_lockstep({together.data() + begin, end - begin}, worker);
    });
  }

  bool lockstep_available() {
    if (lockstep_probe_ == 0) {
      auto probe = model_->make_lockstep_predictor(1);
      lockstep_probe_ = probe ? 1 : -1;
    }
    return lockstep_probe_ > 0;
  }

  void decode_lockstep(std::span<PendingChunk*> group, unsigned worker) {
    auto& lp = lockstep_[worker];
    for (size_t done = 0; done < group.size();) {
      if (!lp) lp = model_->make_lockstep_predictor(kMaxLanes);
      const size_t lanes = std::min(group.size() - done, lp->max_lanes());
      std::vector<std::span<const uint8_t>> payloads;
      std::vector<std::span<uint8_t>> contents;
      for (size_t i = done; i < done + lanes; ++i) {
        PendingChunk& c = *group[i];
        c.content.resize(c.record.raw_size);
        payloads.emplace_back(c.payload);
        contents.emplace_back(c.content);
      }
      const std::vector<bool> canonical = chunk_decode_lockstep(*lp, payloads, contents);
      for (size_t i = done; i < done + lanes; ++i)
        group[i]->checksum_ok = canonical[i - done] &&
                                checksum32(group[i]->content) == group[i]->record.checksum;
      done += lanes;
    }
  }

  void decode_one(PendingChunk& c, unsigned worker) {
    c.content.resize(c.record.raw_size);
    if (c.record.mode == format::ChunkMode::stored) {
      c.content = c.payload;
    } else {
      if (!predictors_[worker]) predictors_[worker] = model_->make_predictor();
      if (!chunk_decode(*predictors_[worker], c.payload, c.content)) {
        c.checksum_ok = false;  // not the encoder's coding: rejected like damage
        return;
      }
    }
    c.checksum_ok = checksum32(c.content) == c.record.checksum;
  }

  format::FrameReader& reader_;
  ByteSink& out_;
  const DecompressOptions& options_;
  CompressStats& stats_;
  std::shared_ptr<const Model> model_;
  std::vector<std::unique_ptr<Predictor>> predictors_;
  std::vector<std::unique_ptr<LockstepPredictor>> lockstep_;
  int lockstep_probe_ = 0;  // 0 unknown, 1 the model has lockstep, -1 not
  static constexpr size_t kMaxLanes = 128;
};

}  // namespace

Status decompress(ByteSource& in, ByteSink& out, const DecompressOptions& options,
                  CompressStats* stats) {
  format::FrameReader reader(in);
  CompressStats local;
  FrameDecoder decoder(reader, out, options, local);
  bool first = true;
  for (;; first = false) {
    auto end = reader.at_input_end();
    if (!end) return end.status();
    if (*end) {
      if (first) return Status(ErrorCode::truncated, "truncated input: the input is empty");
      break;
    }
    if (Status st = decoder.decode_frame(); !st) return st;
  }
  if (stats) *stats = local;
  return {};
}

Result<std::vector<FrameInfo>> frame_list(ByteSource& in) {
  format::FrameReader reader(in);
  std::vector<FrameInfo> frames;
  for (;;) {
    auto at_end = reader.at_input_end();
    if (!at_end) return at_end.status();
    if (*at_end) break;
    const uint64_t frame_start = reader.offset();
    format::FrameHeader header;
    if (Status st = reader.read_header(&header); !st) return st;
    FrameInfo info;
    info.model_name = header.model_name;
    info.model_identity = header.model_identity;
    info.chunk_size = header.chunk_size;
    uint64_t content = 0;
    for (;;) {
      format::ChunkRecord r;
      format::FrameEnd end;
      if (Status st = reader.read_record(header, &r, &end); !st) return st;
      if (r.mode == format::ChunkMode::end) {
        if (end.original_size != content)
          return Status(ErrorCode::corrupt, "corrupt input: the frame end records a different size than its chunks hold");
        break;
      }
      if (Status st = reader.skip(r.payload_size); !st) return st;
      content += r.raw_size;
      ++info.chunks;
      info.raw_chunks += r.mode == format::ChunkMode::stored;
    }
    info.original_size = content;
    info.compressed_size = reader.offset() - frame_start;
    frames.push_back(info);
  }
  if (frames.empty()) return Status(ErrorCode::truncated, "truncated input: the input is empty");
  return frames;
}

}  // namespace lmzip
