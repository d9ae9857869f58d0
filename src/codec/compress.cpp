#include <algorithm>
#include <array>
#include <cstring>
#include <functional>
#include <memory>
#include <vector>

#include "adaptive/adaptive_model.h"
#include "adaptive/history.h"
#include "codec/chunk_codec.h"
#include "common/checksum.h"
#include "common/parallel_for.h"
#include "format/frame_format.h"
#include "layout/chunk_plan.h"
#include "layout/file_kind.h"
#include "lmzip/codec.h"

namespace lmzip {
namespace {

struct EncodedChunk {
  std::vector<uint8_t> content;
  uint8_t slot = 0;
  std::vector<uint8_t> record;   // record header, then payload
  std::vector<uint8_t> payload;
  // Adaptive chunks: the network's input (chunk_paths) and the coding without it.
  std::vector<uint16_t> paths;
  std::vector<uint8_t> alone;
  TokenPlan tokens;  // with a token network
};

size_t varint_size(size_t v) {
  size_t n = 1;
  while (v >= 0x80) v >>= 7, ++n;
  return n;
}

// The chunk's record, its coding done (c.payload, when `coded`): coded only
// if the record (payload and payload size) is smaller than the stored record,
// so no chunk grows by more than a stored record header.
void record_make(EncodedChunk& c, bool coded, format::ChunkMode mode, bool alone, const format::FrameHeader& header) {
  format::ChunkRecord r;
  r.slot = c.slot;
  r.raw_size = static_cast<uint32_t>(c.content.size());
  r.checksum = checksum32(c.content);
  if (coded && c.payload.size() + varint_size(c.payload.size()) < c.content.size()) {
    r.mode = mode;
    r.alone = alone;
    if (alone) r.slot = 0;
    r.payload_size = static_cast<uint32_t>(c.payload.size());
  } else {
    r.mode = format::ChunkMode::stored;
    r.slot = 0;  // no model codes a stored chunk
    r.payload_size = r.raw_size;
    c.payload = c.content;
  }
  c.record.clear();
  format::chunk_record_write(r, header, c.record);
  c.record.insert(c.record.end(), c.payload.begin(), c.payload.end());
}

// Fills the next chunk's content and slot; *produced false when there is none.
using ChunkSource = std::function<Status(EncodedChunk& chunk, bool* produced)>;

// Writes one frame: the header, the chunks `next` gives (coded in parallel
// batches, written in order), the frame end.
class FrameEncoder {
 public:
  FrameEncoder(std::vector<std::shared_ptr<const Model>> models, const CompressOptions& options,
               ByteSink& out, CompressStats& stats)
      : models_(std::move(models)), options_(options), out_(out), stats_(stats) {}

  // The header's one_chunk is decided here, from the first batch.
  Status run(format::FrameHeader header, const ChunkSource& next, uint64_t progress_cap,
             const std::function<format::FrameEnd(uint64_t chunk_bytes, uint64_t digest)>& end) {
    const unsigned threads = std::max(1u, options_.threads);
    std::vector<std::array<std::unique_ptr<Predictor>, format::kMaxModels>> predictors(threads);
    std::vector<std::unique_ptr<AdaptiveModel>> stages(header.adaptive ? threads : 0);  // made on first use
    std::vector<uint8_t> bytes;

    // Adaptive chunks hold 18 bytes per content byte while coded (chunk_paths, two codings).
    const size_t batch = chunks_in_flight(threads, header.adaptive ? header.chunk_size * 4 : header.chunk_size);
    std::vector<EncodedChunk> chunks(batch);
    StreamChecksum content_sum;
    uint64_t chunk_bytes = 0;
    bool done = false;
    for (bool first = true; !done; first = false) {
      size_t n = 0;
      while (n < batch) {
        bool produced = false;
        if (Status st = next(chunks[n], &produced); !st) return st;
        if (!produced) {
          done = true;
          break;
        }
        ++n;
      }
      if (first) {
        // A frame of one chunk (known once the first batch ends the input)
        // needs no chunk checksum beside the frame end's.
        header.one_chunk = done && n == 1 && header.layout.kind == LayoutKind::none;
        format::frame_header_write(header, bytes);
        if (Status st = out_.write(bytes); !st) return st;
        stats_.bytes_out += bytes.size();
      }
      auto predictor = [&](unsigned worker, uint8_t slot) -> Predictor& {
        auto& p = predictors[worker][slot];
        if (!p) p = models_[slot]->make_predictor();
        return *p;
      };
      if (header.adaptive) {
        adaptive_batch({chunks.data(), n}, header, predictor, stages);
      } else {
        parallel_for(n, threads, [&](size_t i, unsigned worker) {
          EncodedChunk& c = chunks[i];
          const TokenText* text = models_[c.slot]->token_text();
          const bool coded = text ? chunk_encode_tokens(predictor(worker, c.slot), *text, c.content, c.payload)
                                  : chunk_encode(predictor(worker, c.slot), c.content, c.payload);
          record_make(c, coded, format::ChunkMode::modelled, false, header);
        });
      }
      for (size_t i = 0; i < n; ++i) {
        content_sum.update(chunks[i].content);
        if (Status st = out_.write(chunks[i].record); !st) return st;
        chunk_bytes += chunks[i].content.size();
        stats_.bytes_out += chunks[i].record.size();
      }
      stats_.bytes_in = std::min(chunk_bytes, progress_cap);
      if (options_.progress) options_.progress(stats_.bytes_in, stats_.bytes_out);
    }
    bytes.clear();
    format::frame_end_write(end(chunk_bytes, content_sum.digest()), bytes);
    if (Status st = out_.write(bytes); !st) return st;
    stats_.bytes_out += bytes.size();
    return {};
  }

 private:
  // How an adaptive frame codes a chunk, by what its model predicts.
  enum class Take {
    plain,    // bytes: the stage with the network, and the stage alone
    tokens,   // bytes, a token model's: the stage with it read byte by byte, and the stage alone
    alone,    // bytes no ids of the token model spell: the stage alone
    samples,  // audio: the stage with the network (which holds the filter), and the network alone
    model,    // images: their model alone (its token mixer already learns the picture)
  };

  Take take_of(const EncodedChunk& c) const {
    const Model& m = *models_[c.slot];
    const Media kind = m.info().data.kind;
    if (kind == Media::bytes) return m.token_text() && options_.adaptive_network ? Take::tokens : Take::plain;
    return kind == Media::audio ? Take::samples : Take::model;
  }

  // The chunk's lanes, as 2^lane_log2 bytes each (0: one lane). Audio lanes
  // must start on a sample, for the network and its filter count samples from
  // a lane's start; where the default lanes do not, the chunk has one lane.
  uint8_t lane_log2_of(const EncodedChunk& c, Take take) const {
    const uint8_t l = options_.adaptive_lane_log2;
    if (take == Take::tokens) return 0;
    if (take != Take::samples) return l;
    const uint32_t bytes = uint32_t(c.content.size()), lanes = adaptive_lanes(bytes, l);
    const uint32_t sample_bytes = std::max(1u, models_[c.slot]->info().data.bits / 8);
    for (uint32_t k = 0; k < lanes; ++k)
      if (adaptive::segment_start(bytes, lanes, k) % sample_bytes != 0) return 0;
    return l;
  }

  // Adaptive chunks, in two parallel passes: the network over every segment
  // of every chunk (chunk_paths; a token network over every window of ids,
  // token_window_code), then each chunk coded in its two ways (Take), the
  // smaller kept.
  template <class PredictorOf>
  void adaptive_batch(std::span<EncodedChunk> chunks, const format::FrameHeader& header, PredictorOf& predictor,
                      std::vector<std::unique_ptr<AdaptiveModel>>& stages) {
    const unsigned threads = std::max(1u, options_.threads);
    const bool network = options_.adaptive_network;
    struct Segment {
      EncodedChunk* chunk;
      uint32_t start, size;  // bytes; for a token network: the window, and 0
    };
    std::vector<Take> takes(chunks.size());
    std::vector<uint8_t> lane_log2s(chunks.size());
    for (size_t i = 0; i < chunks.size(); ++i) {
      takes[i] = take_of(chunks[i]);
      lane_log2s[i] = lane_log2_of(chunks[i], takes[i]);
    }
    parallel_for(chunks.size(), threads, [&](size_t i, unsigned) {
      EncodedChunk& c = chunks[i];
      const Model& m = *models_[c.slot];
      if (takes[i] == Take::tokens && !token_plan_make(*m.token_text(), m.info().alphabet, c.content, c.tokens))
        takes[i] = Take::alone;
    });
    std::vector<Segment> segments;
    for (size_t i = 0; i < chunks.size(); ++i) {
      EncodedChunk& c = chunks[i];
      c.paths.clear();
      if (!network || takes[i] == Take::model || takes[i] == Take::alone) continue;
      const uint32_t bytes = uint32_t(c.content.size());
      c.paths.resize(size_t(bytes) * 8);
      if (takes[i] == Take::tokens) {
        for (uint32_t w = 0; w < c.tokens.events.size(); ++w) segments.push_back({&c, w, 0});
        continue;
      }
      const uint32_t lanes = header.adaptive >= kAdaptiveStage2 ? adaptive_lanes(bytes, lane_log2s[i]) : 1;
      for (uint32_t k = 0; k < lanes; ++k)
        segments.push_back({&c, adaptive::segment_start(bytes, lanes, k), adaptive::segment_size(bytes, lanes, k)});
    }
    std::vector<uint8_t> window_ok(segments.size(), 1);
    parallel_for(segments.size(), threads, [&](size_t i, unsigned worker) {
      const Segment& s = segments[i];
      Predictor& p = predictor(worker, s.chunk->slot);
      if (const TokenText* text = models_[s.chunk->slot]->token_text(); text && s.size == 0) {
        window_ok[i] = token_window_code(p, *text, s.chunk->tokens, s.start, s.chunk->paths.data());
        return;
      }
      chunk_paths(p, std::span<const uint8_t>(s.chunk->content).subspan(s.start, s.size),
                  s.chunk->paths.data() + size_t(s.start) * 8);
    });
    for (size_t i = 0; i < segments.size(); ++i)
      if (!window_ok[i]) takes[size_t(segments[i].chunk - chunks.data())] = Take::alone;
    // Job 2i codes chunk i with the stage and the network, job 2i + 1 the other way (Take).
    std::vector<uint8_t> coded(chunks.size() * 2);
    parallel_for(chunks.size() * 2, threads, [&](size_t j, unsigned worker) {
      EncodedChunk& c = chunks[j / 2];
      const Take take = takes[j / 2];
      const bool other = j % 2 == 1;
      if (!other) {
        if (!network || take == Take::model || take == Take::alone) return;
      } else if (take == Take::samples || take == Take::model) {
        coded[j] = chunk_encode(predictor(worker, c.slot), c.content, c.alone);
        return;
      } else if (network && !options_.adaptive_try_alone && take != Take::alone) {
        return;
      }
      if (!stages[worker]) stages[worker] = std::make_unique<AdaptiveModel>(header.adaptive);
      if (take == Take::tokens && !other)
        coded[j] = chunk_encode_adaptive_tokens(*stages[worker], c.paths.data(), c.tokens, c.content, c.payload);
      else
        coded[j] = chunk_encode_adaptive(*stages[worker], other ? nullptr : c.paths.data(), lane_log2s[j / 2],
                                         c.content, other ? c.alone : c.payload);
    });
    for (size_t i = 0; i < chunks.size(); ++i) {
      EncodedChunk& c = chunks[i];
      const bool other = coded[2 * i + 1] && (!coded[2 * i] || c.alone.size() < c.payload.size());
      if (other) c.payload.swap(c.alone);
      const bool modelled = other && (takes[i] == Take::samples || takes[i] == Take::model);
      record_make(c, coded[2 * i] || other, modelled ? format::ChunkMode::modelled : format::ChunkMode::adaptive,
                  other && !modelled, header);
    }
  }

  std::vector<std::shared_ptr<const Model>> models_;
  const CompressOptions& options_;
  ByteSink& out_;
  CompressStats& stats_;
};

// The bytes already read (to look at the input), then the rest of the input.
class PrefixSource final : public ByteSource {
 public:
  PrefixSource(std::vector<uint8_t> prefix, ByteSource* rest) : prefix_(std::move(prefix)), rest_(rest) {}
  Status read(std::span<uint8_t> buf, size_t* got) override {
    size_t n = std::min(buf.size(), prefix_.size() - pos_);
    if (n > 0) std::memcpy(buf.data(), prefix_.data() + pos_, n);
    pos_ += n;
    if (n < buf.size() && rest_) {
      size_t more = 0;
      if (Status st = read_full(*rest_, buf.subspan(n), &more); !st) return st;
      if (n + more < buf.size()) rest_ = nullptr;  // at its end
      n += more;
    }
    *got = n;
    return {};
  }

 private:
  std::vector<uint8_t> prefix_;
  size_t pos_ = 0;
  ByteSource* rest_;
};

Status check_model_usable(const Model& m) {
  if (!format::model_name_valid(m.name()))
    return Status(ErrorCode::invalid_argument, "model name '" + m.name() + "' cannot be stored");
  if (m.info().alphabet != 256 && !m.token_text())
    return Status(ErrorCode::invalid_argument, "model '" + m.name() + "' is not a byte model");
  return {};
}

// The adaptive stage a frame of plain bytes names (0: none): 4 where its
// network is a token model.
uint8_t adaptive_stage_of(const CompressOptions& o) {
  static_assert(kAdaptiveStageFull == kAdaptiveStage2 && kAdaptiveStageFast == kAdaptiveStage3);
  if (!o.adaptive) return 0;
  if (o.adaptive_network && o.model && o.model->token_text()) return kAdaptiveStage4;
  return o.adaptive_stage ? o.adaptive_stage : kAdaptiveStageDefault;
}

// Whether the adaptive stage codes what a model of this kind predicts: plain
// bytes with the stage on; audio samples also only with the network and
// adaptive_samples (the audio model is then the stage's network); never images.
bool stage_codes(const CompressOptions& o, Media kind) {
  if (!o.adaptive) return false;
  if (kind == Media::bytes) return true;
  return kind == Media::audio && o.adaptive_network && o.adaptive_samples;
}

Status adaptive_options_check(const CompressOptions& o) {
  const uint8_t stage = adaptive_stage_of(o);
  if (stage != 0 && !adaptive_stage_known(stage))
    return Status(ErrorCode::invalid_argument, "no adaptive stage " + std::to_string(stage));
  if (stage == kAdaptiveStage4 && o.adaptive_stage != 0 && o.adaptive_stage != kAdaptiveStage2 &&
      o.adaptive_stage != kAdaptiveStage4)
    return Status(ErrorCode::invalid_argument, "model '" + o.model->name() +
                                                   "' predicts tokens: its network takes adaptive stage 4 (stage 2's model), not " +
                                                   std::to_string(o.adaptive_stage));
  if (o.adaptive_lane_log2 != 0 &&
      (o.adaptive_lane_log2 < kAdaptiveLaneLog2Min || o.adaptive_lane_log2 > kAdaptiveLaneLog2Max))
    return Status(ErrorCode::invalid_argument, "adaptive lanes of 2^" + std::to_string(o.adaptive_lane_log2) +
                                                   " bytes: the format allows 2^10 to 2^26, or 0 (one lane)");
  return {};
}

// Plain bytes, streaming (bounded memory).
Status compress_plain(ByteSource& in, ByteSink& out, const CompressOptions& options, uint32_t chunk_size,
                      CompressStats& stats) {
  format::FrameHeader header;
  header.adaptive = adaptive_stage_of(options);
  header.models = {{options.model->name(), options.model->identity()}};
  header.chunk_size = chunk_size;
  bool input_done = false;
  auto next = [&](EncodedChunk& c, bool* produced) -> Status {
    *produced = false;
    if (input_done) return {};
    c.slot = 0;
    c.content.resize(chunk_size);
    size_t got = 0;
    if (Status st = read_full(in, c.content, &got); !st) return st;
    c.content.resize(got);
    if (got < chunk_size) input_done = true;
    *produced = got > 0;
    return {};
  };
  FrameEncoder enc({options.model}, options, out, stats);
  return enc.run(header, next, UINT64_MAX,
                 [](uint64_t bytes, uint64_t digest) { return format::FrameEnd{bytes, digest}; });
}

// The file kinds this compression may use: those whose samples one of the
// media models codes (any media model, when more are still to be opened),
// opt-in kinds (png-pixels) only when asked for.
std::vector<const FileKind*> kinds_usable(const CompressOptions& o) {
  std::vector<const FileKind*> kinds;
  for (const FileKind* k : file_kinds()) {
    if (k->opt_in && !(k->kind == LayoutKind::png_pixels && o.png_pixels)) continue;
    bool fits = o.media_models_open && k->media != Media::bytes;
    for (const auto& m : o.media_models) fits |= m->info().data.kind == k->media;
    if (fits) kinds.push_back(k);
  }
  return kinds;
}

// The first media model that fits samples of this kind and shape, or null.
std::shared_ptr<const Model> model_for(const CompressOptions& o, Media kind, uint32_t channels, uint32_t bits) {
  for (const auto& m : o.media_models) {
    const DataSpec& d = m->info().data;
    if (d.kind != kind || d.bits != bits) continue;
    if (kind == Media::image && d.channels == channels && d.width >= 1) return m;
    if (kind == Media::audio && d.channels == 1) return m;
  }
  return nullptr;
}

// Image chunks default to 1 MiB: with strips (docs/FORMAT.md) a chunk spans
// the picture's strips, and the image models' token mixer learns each chunk's
// statistics, so a larger chunk compresses better; a chunk is also coded on
// one core. Measured with lmzip-image-gray (docs/models/media.md): barb.pgm
// 140,604 bytes in 32 KiB chunks, 140,260 in one; 4.1.04.ppm 84,622 and
// 83,851. The paper's protocol is unaffected: it gives its chunk size.
constexpr uint32_t kImageChunkBytes = 1u << 20;

// With the adaptive stage a chunk is a block that the stage learns while
// coding it: the longer, the more it learns, but a chunk is coded on one core.
constexpr uint32_t kAdaptiveChunkBytes = 1u << 20;

// The one place that decides a frame's chunk size: the caller's, else the
// default of the model that codes the content (the samples' model for a
// layout), at least kImageChunkBytes for an image model, kAdaptiveChunkBytes
// for plain bytes (and audio samples, CompressOptions::adaptive_samples) with
// the adaptive stage.
Result<uint32_t> chunk_size_for(const CompressOptions& o, const Model& m) {
  uint32_t c = m.default_chunk_size();
  if (o.chunk_size) c = o.chunk_size;
  else if (m.info().data.kind == Media::image) c = std::max(c, kImageChunkBytes);
  else if (stage_codes(o, m.info().data.kind)) c = std::max(c, kAdaptiveChunkBytes);
  if (c == 0 || c > kMaxChunkSize)
    return Status(ErrorCode::invalid_argument, "chunk size must be 1 .. " + std::to_string(kMaxChunkSize));
  return c;
}

Status media_models_check(const CompressOptions& o) {
  if (o.media_models.size() > format::kMaxModels - 1)
    return Status(ErrorCode::invalid_argument, "at most " + std::to_string(format::kMaxModels - 1) + " media models");
  for (const auto& m : o.media_models) {
    if (!m) return Status(ErrorCode::invalid_argument, "a media model is missing");
    if (Status st = check_model_usable(*m); !st) return st;
    if (m->info().data.kind == Media::bytes)
      return Status(ErrorCode::invalid_argument, "model '" + m->name() + "' is not an image or audio model");
    if (auto c = chunk_size_for(o, *m); !c) return c.status();
  }
  return {};
}

// A frame with a layout: the byte model in slot 0, the media model in slot 1.
// The content (what the frame end's size and checksum cover) is the file, or
// for a kind whose content is its samples, the samples.
Status compress_layout(std::span<const uint8_t> file, const LayoutSplit& split,
                       const std::shared_ptr<const Model>& media, uint32_t chunk_size, ByteSink& out,
                       const CompressOptions& options, CompressStats& stats) {
  format::FrameHeader header;
  if (stage_codes(options, media->info().data.kind)) header.adaptive = adaptive_stage_of(options);
  header.models = {{options.model->name(), options.model->identity()}, {media->name(), media->identity()}};
  header.chunk_size = chunk_size;
  header.layout = split.layout;
  const ChunkPlan plan(split.layout, chunk_size);
  uint64_t i = 0;
  auto next = [&](EncodedChunk& c, bool* produced) -> Status {
    *produced = i < plan.chunks();
    if (!*produced) return {};
    c.slot = i < plan.verbatim_chunks() ? 0 : 1;
    plan.chunk_cut(split.parts, i, c.content);
    ++i;
    return {};
  };
  const bool samples_only = file_kind(split.layout.kind)->content_is_samples;
  const uint64_t digest = checksum64(samples_only ? std::span<const uint8_t>(split.parts.samples) : file);
  FrameEncoder enc({options.model, media}, options, out, stats);
  Status st = enc.run(header, next, plan.content_bytes(), [&](uint64_t, uint64_t) {
    return format::FrameEnd{plan.content_bytes(), digest};
  });
  if (!st) return st;
  stats.bytes_in = file.size();
  stats.layout = layout_name(split.layout);
  stats.samples_model = media->name();
  return {};
}

// Tries the layouts on a whole input in memory. *used false when none
// applies (the caller then codes it as plain bytes).
Status try_layouts(std::span<const uint8_t> file, std::span<const FileKind* const> kinds, ByteSink& out,
                   const CompressOptions& o, CompressStats& stats, bool* used) {
  *used = false;
  auto split = layout_split(file, kinds);
  if (!split) return split.status();
  if (!*split) return {};
  Layout& l = (*split)->layout;
  const Media media_kind = file_kind(l.kind)->media;
  const auto media = model_for(o, media_kind, media_kind == Media::image ? l.channels : 1, l.bits);
  if (!media) return {};
  auto c = chunk_size_for(o, *media);
  if (!c) return c.status();
  if (media_kind == Media::image) {
    l.tile_width = media->info().data.width;
    l.strips = o.image_strips;
    // Rows are padded to whole tiles: a picture narrower than half a tile
    // would be coded as several times its pixels (1 pixel wide: 32 times,
    // larger and slower than its bytes), so it is plain bytes.
    const uint64_t padded = (uint64_t{l.width} + l.tile_width - 1) / l.tile_width * l.tile_width;
    if (l.tile_width == 0 || padded > 2 * uint64_t{l.width}) return {};
  }
  if (!layout_problem(l, *c).empty()) return {};
  *used = true;
  return compress_layout(file, **split, media, *c, out, o, stats);
}

}  // namespace

Status compress(ByteSource& in, ByteSink& out, const CompressOptions& options, CompressStats* stats) {
  if (!options.model) return Status(ErrorCode::invalid_argument, "no model given");
  const Model& model = *options.model;
  auto chunk_size = chunk_size_for(options, model);
  if (!chunk_size) return chunk_size.status();
  if (Status st = check_model_usable(model); !st) return st;
  if (Status st = adaptive_options_check(options); !st) return st;
  if (Status st = media_models_check(options); !st) return st;

  CompressStats local;
  std::vector<uint8_t> head;
  std::vector<const FileKind*> kinds = kinds_usable(options);
  if (options.layouts && !kinds.empty()) {
    // Look at the first bytes; hold the whole input only when a layout may fit.
    head.resize(kLayoutSniffBytes);
    size_t got = 0;
    if (Status st = read_full(in, head, &got); !st) return st;
    head.resize(got);
    bool at_end = got < kLayoutSniffBytes;
    const bool candidate = layout_sniff(head, kinds);
    if (!at_end && candidate) {
      constexpr size_t kStep = 1 << 20;
      while (!at_end && head.size() <= options.layout_max_bytes) {
        const size_t at = head.size();
        const size_t want = static_cast<size_t>(std::min<uint64_t>(kStep, options.layout_max_bytes + 1 - at));
        head.resize(at + want);
        if (Status st = read_full(in, {head.data() + at, want}, &got); !st) return st;
        head.resize(at + got);
        at_end = got < want;
      }
    }
    if (at_end && candidate) {
      CompressOptions opened;  // with the models opened now
      if (options.media_models_open) {
        opened = options;
        opened.media_models_open = nullptr;
        for (auto& m : options.media_models_open()) opened.media_models.push_back(std::move(m));
        if (Status st = media_models_check(opened); !st) return st;
        kinds = kinds_usable(opened);
      }
      bool used = false;
      if (Status st = try_layouts(head, kinds, out, options.media_models_open ? opened : options, local, &used); !st)
        return st;
      if (used) {
        if (stats) *stats = local;
        return {};
      }
    }
  }
  PrefixSource source(std::move(head), &in);
  if (Status st = compress_plain(source, out, options, *chunk_size, local); !st) return st;
  if (stats) *stats = local;
  return {};
}

const char* version_string() { return LMZIP_VERSION; }

Result<std::vector<uint8_t>> compress_buffer(std::span<const uint8_t> data, const CompressOptions& options) {
  MemorySource in(data);
  MemorySink out;
  if (Status st = compress(in, out, options); !st) return st;
  return std::move(out.bytes());
}

}  // namespace lmzip
