#include <algorithm>
#include <array>
#include <map>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include "adaptive/adaptive_model.h"
#include "codec/chunk_codec.h"
#include "codec/single_lanes.h"
#include "common/byte_buffer.h"
#include "common/checksum.h"
#include "common/parallel_for.h"
#include "format/frame_format.h"
#include "layout/chunk_plan.h"
#include "lmzip/codec.h"
#include "lmzip/engine.h"

namespace lmzip {
namespace {

struct PendingChunk {
  format::ChunkRecord record;
  std::vector<uint8_t> payload;
  ByteBuffer content;  // sized from the record, written as decoded
  bool checksum_ok = false;
};

// A model of the frame's table, with the per-worker predictors made for it.
struct ModelSlot {
  format::ModelRef ref;
  std::shared_ptr<const Model> model;
  std::vector<std::unique_ptr<Predictor>> predictors;  // (workers), made on first use
  size_t lanes = 0;  // the predictors' max_lanes() (0: not known yet)
  std::unique_ptr<Predictor> network;  // the network of adaptive chunks, kAdaptiveLanesMax lanes
  std::vector<std::unique_ptr<Predictor>> token_networks;  // (workers): a token model's, of adaptive chunks
};

Status corrupt_status(uint64_t offset, const std::string& what) {
  return Status(ErrorCode::corrupt, "corrupt input at offset " + std::to_string(offset) + ": " + what);
}

// The size rule for chunk `index` of a frame: v1 and v2 without a layout:
// every chunk has the chunk size but a last partial one; with a layout the
// plan gives each chunk's size and count. A v4 one-chunk frame has one chunk.
Status chunk_size_check(const format::FrameHeader& h, const ChunkPlan* plan, uint64_t index,
                        const format::ChunkRecord& r, bool* saw_partial, uint64_t offset) {
  if (h.one_chunk && index > 0) return corrupt_status(offset, "a frame of one chunk holds a second chunk");
  if (!plan) {
    if (*saw_partial) return corrupt_status(offset, "a chunk follows a partial chunk");
    *saw_partial = r.raw_size != h.chunk_size;
    return {};
  }
  if (index >= plan->chunks()) return corrupt_status(offset, "more chunks than the frame's layout holds");
  const uint32_t want = plan->chunk_size(index);
  if (r.raw_size != want)
    return corrupt_status(offset, "chunk " + std::to_string(index) + " holds " + std::to_string(r.raw_size) +
                                      " bytes, the frame's layout " + std::to_string(want));
  return {};
}

Status frame_end_check(const format::FrameHeader& h, const ChunkPlan* plan, uint64_t chunks, uint64_t chunk_bytes,
                       const format::FrameEnd& end, uint64_t offset) {
  if (h.one_chunk && chunks == 0) return corrupt_status(offset, "a frame of one chunk ends before its chunk");
  if (plan) {
    if (chunks != plan->chunks()) return corrupt_status(offset, "the frame ends before its layout's last chunk");
    if (end.original_size != plan->content_bytes())
      return corrupt_status(offset, "the frame end records a different size than its layout");
    return {};
  }
  if (end.original_size != chunk_bytes)
    return corrupt_status(offset, "the frame end records a different size than its chunks hold");
  return {};
}

// Decodes frames, keeping between frames and between inputs what it made
// for them: the model slots' predictors, the adaptive stages, the threads.
class FrameDecoder {
 public:
  explicit FrameDecoder(DecompressOptions options) : options_(std::move(options)) {}

  // Every frame of `in` to `out`.
  Status decode(ByteSource& in, ByteSink& out, CompressStats* stats) {
    format::FrameReader reader(in);
    CompressStats local;
    reader_ = &reader;
    out_ = &out;
    stats_ = &local;
    Status st = decode_frames();
    reader_ = nullptr, out_ = nullptr, stats_ = nullptr;
    if (st && stats) *stats = local;
    return st;
  }

 private:
  Status decode_frames() {
    for (bool first = true;; first = false) {
      auto end = reader_->at_input_end();
      if (!end) return end.status();
      if (*end) {
        if (first) return Status(ErrorCode::truncated, "truncated input: the input is empty");
        return {};
      }
      if (Status st = decode_frame(); !st) return st;
    }
  }

  Status decode_frame() {
    format::FrameHeader header;
    if (Status st = reader_->read_header(&header); !st) return st;
    if (header.adaptive != 0 && !adaptive_stage_known(header.adaptive))
      return Status(ErrorCode::unsupported_version,
                    "this frame needs adaptive stage " + std::to_string(header.adaptive) +
                        ", which this lmzip does not have (it has stages 1 to " +
                        std::to_string(kAdaptiveStageLast) + ")");
    stage_ = header.adaptive;
    rules_ = {.exact_end = header.exact_ends, .size_check = header.adaptive_checked};
    if (Status st = models_resolve(header); !st) return st;
    std::optional<FileRebuild> rebuild;  // layouts: the file, rebuilt at the frame end
    if (header.layout.kind != LayoutKind::none) rebuild.emplace(header.layout, header.chunk_size);
    const ChunkPlan* plan = rebuild ? &rebuild->plan() : nullptr;

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
      // A one-chunk frame's chunk waits for the frame end, whose checksum is its own.
      while (n < batch || header.one_chunk) {
        PendingChunk& c = chunks[n];
        if (Status st = reader_->read_record(header, &c.record, &end); !st) return st;
        if (c.record.mode == format::ChunkMode::end) {
          at_end = true;
          if (header.one_chunk && n == 1) chunks[0].record.checksum = static_cast<uint32_t>(end.checksum);
          break;
        }
        if (Status st = chunk_size_check(header, plan, chunk_index + n, c.record, &saw_partial, reader_->offset());
            !st)
          return st;
        if (Status st = reader_->read_payload(c.record.payload_size, &c.payload); !st) return st;
        ++n;
      }
      decode_batch({chunks.data(), n});
      for (size_t i = 0; i < n; ++i, ++chunk_index) {
        if (!chunks[i].checksum_ok)
          return Status(ErrorCode::corrupt,
                        "corrupt input: checksum mismatch in chunk " + std::to_string(chunk_index) +
                            " (content bytes " + std::to_string(frame_bytes) + " ..)");
        const auto& content = chunks[i].content;
        frame_bytes += content.size();
        if (rebuild) {
          rebuild->chunk_take(chunk_index, content);
          continue;
        }
        content_sum.update(content);
        if (Status st = out_->write(content); !st) return st;
        stats_->bytes_out += content.size();
      }
      stats_->bytes_in = reader_->offset();
      if (options_.progress) options_.progress(stats_->bytes_in, stats_->bytes_out);
      if (at_end) {
        if (Status st = frame_end_check(header, plan, chunk_index, frame_bytes, end, reader_->offset()); !st)
          return st;
        if (rebuild) return layout_finish(*rebuild, end);
        if (!end.matches(content_sum.digest()))
          return corrupt_at("whole-content checksum mismatch");
        return {};
      }
    }
  }

  unsigned threads() const { return std::max(1u, options_.threads); }

  Status corrupt_at(const std::string& what) const { return corrupt_status(reader_->offset(), what); }

  // A slot of the table with no predictor made yet.
  ModelSlot slot_make(const format::ModelRef& ref, std::shared_ptr<const Model> model) const {
    ModelSlot s;
    s.ref = ref;
    s.model = std::move(model);
    s.predictors.resize(threads());
    s.token_networks.resize(threads());
    return s;
  }

  // Resolves the frame's model table, keeping what an earlier frame resolved.
  Status models_resolve(const format::FrameHeader& header) {
    std::vector<ModelSlot> slots;
    for (const auto& ref : header.models) {
      auto same = [&](const ModelSlot& s) { return s.model && s.ref == ref; };
      if (auto it = std::find_if(slots_.begin(), slots_.end(), same); it != slots_.end()) {
        slots.push_back(std::move(*it));
        continue;
      }
      if (auto it = std::find_if(slots.begin(), slots.end(), [&](const ModelSlot& s) { return s.ref == ref; });
          it != slots.end()) {
        slots.push_back(slot_make(ref, it->model));
        continue;
      }
      auto model = options_.resolve(ref.name, ref.identity);
      if (!model) return model.status();
      slots.push_back(slot_make(ref, *model));
    }
    slots_ = std::move(slots);
    return {};
  }

  // The file of a layout frame, rebuilt once all its chunks have passed
  // their checksums; written only if the whole-content checksum and the
  // layout's check pass too.
  Status layout_finish(FileRebuild& rebuild, const format::FrameEnd& end) {
    auto file = rebuild.file([&end](uint64_t digest) { return end.matches(digest); });
    if (!file) {
      const Status& st = file.status();
      return st.code() == ErrorCode::corrupt ? corrupt_at(st.message()) : st;
    }
    if (Status st = out_->write(*file); !st) return st;
    stats_->bytes_out += file->size();
    if (options_.progress) options_.progress(stats_->bytes_in, stats_->bytes_out);
    return {};
  }

  // Modelled chunks of the same model and size go through the model's
  // predictor together, one lane each, when it has lanes, split evenly
  // between the threads; adaptive chunks with a byte network one after the
  // other, their lanes' network on all threads; the rest (a token network's
  // chunks have one lane) one by one.
  void decode_batch(std::span<PendingChunk> chunks) {
    std::vector<PendingChunk*> single, networked;
    std::map<std::pair<uint8_t, uint32_t>, std::vector<PendingChunk*>> together;
    for (auto& c : chunks) {
      if (c.record.mode == format::ChunkMode::adaptive && !c.record.alone && !slots_[c.record.slot].model->token_text())
        networked.push_back(&c);
      else if (c.record.mode == format::ChunkMode::modelled && slot_lanes(c.record.slot) > 1)
        together[{c.record.slot, c.record.raw_size}].push_back(&c);
      else
        single.push_back(&c);
    }
    struct Job {
      uint8_t slot;
      std::span<PendingChunk*> group;
    };
    std::vector<Job> jobs;
    for (auto& [key, list] : together) {
      if (list.size() < 2) {
        single.insert(single.end(), list.begin(), list.end());
        continue;
      }
      const size_t groups = std::min<size_t>(threads(), list.size());
      for (size_t g = 0; g < groups; ++g) {
        const size_t begin = list.size() * g / groups, end = list.size() * (g + 1) / groups;
        jobs.push_back({key.first, {list.data() + begin, end - begin}});
      }
    }
    parallel_for(single.size(), pool_, [&](size_t i, unsigned worker) { chunks_decode(&single[i], 1, worker); });
    parallel_for(jobs.size(), pool_, [&](size_t j, unsigned worker) {
      const Job& job = jobs[j];
      const size_t lanes = slots_[job.slot].lanes;
      for (size_t done = 0; done < job.group.size(); done += lanes)
        chunks_decode(job.group.data() + done, std::min(lanes, job.group.size() - done), worker);
    });
    for (PendingChunk* c : networked) adaptive_decode(*c, 0);
  }

  // The lanes of slot's predictors: what the model gives for the lanes
  // options_.engine asks (1 for a model without lanes).
  size_t slot_lanes(uint8_t slot) {
    ModelSlot& s = slots_[slot];
    if (s.lanes == 0) {
      const size_t want = decode_lanes(*s.model, options_.engine);
      s.predictors[0] = want > 1 ? s.model->make_predictor_lanes(want) : s.model->make_predictor();
      s.lanes = s.predictors[0]->max_lanes();
    }
    return s.lanes;
  }

  // Chunks c[0 .. n) (all modelled with one model and of one size when n > 1;
  // a stored or adaptive chunk when n == 1) through worker's predictor.
  void chunks_decode(PendingChunk* const* c, size_t n, unsigned worker) {
    if (n == 1 && c[0]->record.mode == format::ChunkMode::stored) {
      c[0]->content.assign(c[0]->payload.begin(), c[0]->payload.end());
      c[0]->checksum_ok = checksum32(c[0]->content) == c[0]->record.checksum;
      return;
    }
    if (n == 1 && c[0]->record.mode == format::ChunkMode::adaptive) {
      adaptive_decode(*c[0], worker);
      return;
    }
    ModelSlot& s = slots_[c[0]->record.slot];
    const size_t lanes = slot_lanes(c[0]->record.slot);
    auto& p = s.predictors[worker];
    if (!p) p = lanes > 1 ? s.model->make_predictor_lanes(lanes) : s.model->make_predictor();
    std::vector<ChunkLane> jobs(n);
    for (size_t i = 0; i < n; ++i) {
      c[i]->content.resize(c[i]->record.raw_size);
      jobs[i].payload = c[i]->payload;
      jobs[i].content = c[i]->content;
    }
    if (const TokenText* text = s.model->token_text()) {
      chunk_decode_tokens(*p, *text, jobs, rules_.exact_end);
    } else {
      chunk_decode(*p, jobs, rules_.exact_end);
    }
    // A payload that is not the encoder's coding is rejected like damage.
    for (size_t i = 0; i < n; ++i)
      c[i]->checksum_ok = jobs[i].canonical && checksum32(c[i]->content) == c[i]->record.checksum;
  }

  // An adaptive chunk through worker's stage, with its slot's model as the
  // network unless the chunk is coded by the stage alone: a byte network on
  // the pool's threads, a token network (stage 4 only) on worker's.
  void adaptive_decode(PendingChunk& c, unsigned worker) {
    auto& stage = stages_[stage_][worker];
    if (!stage) stage = std::make_unique<AdaptiveModel>(stage_);
    c.content.resize(c.record.raw_size);
    c.checksum_ok = false;
    bool canonical = false;
    if (c.record.alone) {
      canonical = chunk_decode_adaptive(*stage, nullptr, c.payload, c.content, rules_);
    } else if (const TokenText* text = slots_[c.record.slot].model->token_text()) {
      if (stage_ != kAdaptiveStage4) return;
      auto& p = slots_[c.record.slot].token_networks[worker];
      if (!p) p = slots_[c.record.slot].model->make_predictor();
      canonical = chunk_decode_adaptive_tokens(*stage, *p, *text, c.payload, c.content, rules_);
    } else {
      Predictor* network =
          adaptive_network(c.record.slot, adaptive_decode_lanes(stage_, true, c.payload, c.record.raw_size));
      if (network->alphabet_size() != 256) return;  // the stage takes a byte distribution
      canonical = chunk_decode_adaptive(*stage, network, c.payload, c.content, rules_);
    }
    c.checksum_ok = canonical && checksum32(c.content) == c.record.checksum;
  }

  // The slot's network for `lanes` lanes: the model's own lanes on the
  // pool's threads when it has enough of them (and lanes are not turned
  // off), else one-lane predictors stepped in turn.
  Predictor* adaptive_network(uint8_t slot, uint32_t lanes) {
    ModelSlot& s = slots_[slot];
    if (!s.network || s.network->max_lanes() < lanes) {
      if (options_.engine.lanes != LaneMode::never) s.network = s.model->make_predictor_lanes(kAdaptiveLanesMax, &pool_);
      if (!s.network || s.network->max_lanes() < lanes) s.network = std::make_unique<SingleLanes>(*s.model, lanes);
    }
    return s.network.get();
  }

  const DecompressOptions options_;
  // The input being decoded (decode()).
  format::FrameReader* reader_ = nullptr;
  ByteSink* out_ = nullptr;
  CompressStats* stats_ = nullptr;
  std::vector<ModelSlot> slots_;
  uint8_t stage_ = 0;  // the frame's adaptive stage
  PayloadRules rules_;  // the frame's (FrameHeader::exact_ends, adaptive_checked)
  // Per stage (kept, as their tables are costly to set up), per worker; made on first use.
  std::array<std::vector<std::unique_ptr<AdaptiveModel>>, kAdaptiveStageLast + 1> stages_ = [this] {
    std::array<std::vector<std::unique_ptr<AdaptiveModel>>, kAdaptiveStageLast + 1> a;
    for (auto& v : a) v.resize(threads());
    return a;
  }();
  ThreadPool pool_{threads()};
};

}  // namespace

struct Decompressor::Impl {
  FrameDecoder decoder;
};

Decompressor::Decompressor(DecompressOptions options) : impl_(new Impl{FrameDecoder(std::move(options))}) {}
Decompressor::~Decompressor() = default;
Decompressor::Decompressor(Decompressor&&) noexcept = default;
Decompressor& Decompressor::operator=(Decompressor&&) noexcept = default;

Status Decompressor::decompress(ByteSource& in, ByteSink& out, CompressStats* stats) {
  return impl_->decoder.decode(in, out, stats);
}

Status decompress(ByteSource& in, ByteSink& out, const DecompressOptions& options, CompressStats* stats) {
  return Decompressor(options).decompress(in, out, stats);
}

Result<std::vector<uint8_t>> decompress_buffer(std::span<const uint8_t> data, const DecompressOptions& options) {
  MemorySource in(data);
  MemorySink out;
  if (Status st = decompress(in, out, options); !st) return st;
  return std::move(out.bytes());
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
    info.version = header.version;
    info.model_name = header.models[0].name;
    info.model_identity = header.models[0].identity;
    for (const auto& m : header.models) info.models.push_back({m.name, m.identity});
    info.layout = layout_name(header.layout);
    info.chunk_size = header.chunk_size;
    info.adaptive_stage = header.adaptive;
    std::optional<ChunkPlan> plan;
    if (header.layout.kind != LayoutKind::none) plan.emplace(header.layout, header.chunk_size);
    uint64_t content = 0;
    bool saw_partial = false;
    for (;;) {
      format::ChunkRecord r;
      format::FrameEnd end;
      if (Status st = reader.read_record(header, &r, &end); !st) return st;
      if (r.mode == format::ChunkMode::end) {
        if (Status st = frame_end_check(header, plan ? &*plan : nullptr, info.chunks, content, end, reader.offset());
            !st)
          return st;
        info.original_size = end.original_size;
        break;
      }
      if (Status st = chunk_size_check(header, plan ? &*plan : nullptr, info.chunks, r, &saw_partial, reader.offset());
          !st)
        return st;
      if (Status st = reader.skip(r.payload_size); !st) return st;
      content += r.raw_size;
      ++info.chunks;
      info.raw_chunks += r.mode == format::ChunkMode::stored;
      info.adaptive_chunks += r.mode == format::ChunkMode::adaptive;
    }
    info.compressed_size = reader.offset() - frame_start;
    frames.push_back(info);
  }
  if (frames.empty()) return Status(ErrorCode::truncated, "truncated input: the input is empty");
  return frames;
}

}  // namespace lmzip
