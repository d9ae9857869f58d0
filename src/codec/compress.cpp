#include <algorithm>
#include <array>
#include <cstring>
#include <functional>
#include <memory>
#include <vector>

#include "codec/chunk_codec.h"
#include "codec/layout_plan.h"
#include "common/checksum.h"
#include "common/parallel_for.h"
#include "data/file_layout.h"
#include "data/png_read.h"
#include "data/png_write.h"
#include "format/frame_format.h"
#include "lmzip/codec.h"

namespace lmzip {
namespace {

struct EncodedChunk {
  std::vector<uint8_t> content;
  uint8_t slot = 0;
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
  r.slot = c.slot;
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
    r.slot = 0;  // no model codes a stored chunk
    r.payload_size = r.raw_size;
    c.payload = c.content;
  }
  c.record.clear();
  format::chunk_record_write(r, chunk_size, c.record);
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

  Status run(const format::FrameHeader& header, const ChunkSource& next, uint64_t progress_cap,
             const std::function<format::FrameEnd(uint64_t chunk_bytes, uint64_t digest)>& end) {
    const unsigned threads = std::max(1u, options_.threads);
    std::vector<std::array<std::unique_ptr<Predictor>, format::kMaxModels>> predictors(threads);
    std::vector<uint8_t> bytes;
    format::frame_header_write(header, bytes);
    if (Status st = out_.write(bytes); !st) return st;
    stats_.bytes_out += bytes.size();

    const size_t batch = chunks_in_flight(threads, header.chunk_size);
    std::vector<EncodedChunk> chunks(batch);
    StreamChecksum content_sum;
    uint64_t chunk_bytes = 0;
    bool done = false;
    while (!done) {
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
      parallel_for(n, threads, [&](size_t i, unsigned worker) {
        auto& p = predictors[worker][chunks[i].slot];
        if (!p) p = models_[chunks[i].slot]->make_predictor();
        encode_one(*p, header.chunk_size, chunks[i]);
      });
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
      if (Status st = rest_->read(buf.subspan(n), &more); !st) return st;
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

Status check_byte_alphabet(const Model& m) {
  if (!format::model_name_valid(m.name()))
    return Status(ErrorCode::invalid_argument, "model name '" + m.name() + "' cannot be stored");
  if (m.make_predictor()->alphabet_size() != 256)
    return Status(ErrorCode::invalid_argument, "model '" + m.name() + "' is not a byte model");
  return {};
}

// Plain bytes: a version 1 frame, streaming (bounded memory).
Status compress_plain(ByteSource& in, ByteSink& out, const CompressOptions& options, uint32_t chunk_size,
                      CompressStats& stats) {
  format::FrameHeader header;
  header.version = format::kVersionPlain;
  header.models = {{options.model->name(), options.model->identity()}};
  header.chunk_size = chunk_size;
  bool input_done = false;
  auto next = [&](EncodedChunk& c, bool* produced) -> Status {
    *produced = false;
    if (input_done) return {};
    c.slot = 0;
    c.content.resize(chunk_size);
    size_t got = 0;
    if (Status st = in.read(c.content, &got); !st) return st;
    c.content.resize(got);
    if (got < chunk_size) input_done = true;
    *produced = got > 0;
    return {};
  };
  FrameEncoder enc({options.model}, options, out, stats);
  return enc.run(header, next, UINT64_MAX,
                 [](uint64_t bytes, uint64_t digest) { return format::FrameEnd{bytes, digest}; });
}

bool is_png(std::span<const uint8_t> b) {
  static const uint8_t sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
  return b.size() >= 8 && std::memcmp(b.data(), sig, 8) == 0;
}

// Could this input have a layout one of the media models fits? From its
// first bytes only: decides whether it is worth holding the input in memory.
bool layout_candidate(std::span<const uint8_t> head, const CompressOptions& o) {
  bool image = false, audio = false;
  for (const auto& m : o.media_models) {
    image |= m->info().data.kind == Media::image;
    audio |= m->info().data.kind == Media::audio;
  }
  if (audio && head.size() >= 12 && std::memcmp(head.data(), "RIFF", 4) == 0 &&
      std::memcmp(head.data() + 8, "WAVE", 4) == 0)
    return true;
  if (image && head.size() >= 2 && head[0] == 'P' && (head[1] == '5' || head[1] == '6')) return true;
  if (image && head.size() >= 2 && head[0] == 'B' && head[1] == 'M') return true;
  return image && o.png_pixels && is_png(head);
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

// A version 2 frame: the byte model in slot 0, the media model in slot 1.
Status compress_layout(std::span<const uint8_t> content, const format::Layout& layout,
                       std::span<const uint8_t> verbatim, std::span<const uint8_t> samples,
                       const std::shared_ptr<const Model>& media, uint32_t chunk_size, ByteSink& out,
                       const CompressOptions& options, CompressStats& stats) {
  format::FrameHeader header;
  header.version = format::kVersion;
  header.models = {{options.model->name(), options.model->identity()}, {media->name(), media->identity()}};
  header.chunk_size = chunk_size;
  header.layout = layout;
  ChunkPlan plan(layout, chunk_size);
  uint64_t i = 0;
  auto next = [&](EncodedChunk& c, bool* produced) -> Status {
    *produced = i < plan.chunks();
    if (!*produced) return {};
    if (i < plan.verbatim_chunks()) {
      const uint64_t at = i * chunk_size;
      c.slot = 0;
      c.content.assign(verbatim.begin() + static_cast<ptrdiff_t>(at),
                       verbatim.begin() + static_cast<ptrdiff_t>(at + plan.chunk_size(i)));
    } else {
      c.slot = 1;
      plan.sample_chunk(samples, i - plan.verbatim_chunks(), c.content);
    }
    ++i;
    return {};
  };
  const uint64_t digest = checksum64(content);
  FrameEncoder enc({options.model, media}, options, out, stats);
  Status st = enc.run(header, next, content.size(), [&](uint64_t, uint64_t) {
    return format::FrameEnd{plan.content_bytes(), digest};
  });
  if (!st) return st;
  stats.bytes_in = content.size();
  stats.layout = format::layout_name(layout);
  stats.samples_model = media->name();
  return {};
}

// Image chunks default to 1 MiB: with strips (docs/FORMAT.md) a chunk spans
// the picture's strips, and the image models' token mixer learns each chunk's
// statistics, so a larger chunk compresses better; a chunk is also coded on
// one core. Measured with lmzip-image-gray (docs/models/media.md): barb.pgm
// 140,604 bytes in 32 KiB chunks, 140,260 in one; 4.1.04.ppm 84,622 and
// 83,851. The paper's protocol is unaffected: it gives its chunk size.
constexpr uint32_t kImageChunkBytes = 1u << 20;

uint32_t chunk_size_for(const CompressOptions& o, const Model& m) {
  if (o.chunk_size) return o.chunk_size;
  if (m.info().data.kind == Media::image) return std::max(m.default_chunk_size(), kImageChunkBytes);
  return m.default_chunk_size();
}

// Tries the layouts on a whole input in memory. *used false when none
// applies (the caller then codes it as plain bytes).
Status try_layouts(std::span<const uint8_t> file, ByteSink& out, const CompressOptions& o, CompressStats& stats,
                   bool* used) {
  *used = false;
  if (o.png_pixels && is_png(file)) {
    if (Status st = data::png_pixels_exact(file); !st) return st;
    auto pixels = data::png_read(file);
    if (!pixels) return pixels.status();
    const auto media = model_for(o, Media::image, pixels->channels, 8);
    if (!media) return {};
    const uint32_t c = chunk_size_for(o, *media);
    format::Layout l;
    l.kind = format::LayoutKind::png_pixels;
    l.channels = pixels->channels;
    l.bits = 8;
    l.width = pixels->width;
    l.height = pixels->height;
    l.row_stride = pixels->width * pixels->channels;
    l.payload_bytes = pixels->bytes.size();
    l.tile_width = media->info().data.width;
    l.strips = o.image_strips;
    if (!format::layout_problem(l, c).empty()) return {};
    *used = true;
    Status st = compress_layout(pixels->bytes, l, {}, pixels->bytes, media, c, out, o, stats);
    stats.bytes_in = file.size();
    return st;
  }
  const data::FileLayout fl = data::file_layout_detect(file);
  std::shared_ptr<const Model> media;
  if (fl.kind == data::LayoutKind::audio_pcm) media = model_for(o, Media::audio, 1, fl.bits_per_sample);
  if (fl.kind == data::LayoutKind::image_gray || fl.kind == data::LayoutKind::image_rgb)
    media = model_for(o, Media::image, fl.channels_per_pixel, fl.bits_per_channel);
  if (!media) return {};
  const uint32_t c = chunk_size_for(o, *media);
  format::Layout l = layout_from_file(fl, media->info().data.width);
  l.strips = format::layout_is_image(l.kind) && o.image_strips;
  if (l.kind == format::LayoutKind::none || !format::layout_problem(l, c).empty()) return {};
  auto parts = data::file_layout_split(file, fl);
  if (!parts) return {};  // cannot happen for a detected layout; plain bytes are always right
  std::vector<uint8_t> verbatim;
  verbatim.reserve(parts->header.size() + parts->residue.size() + parts->trailer.size());
  for (const auto* p : {&parts->header, &parts->residue, &parts->trailer}) verbatim.insert(verbatim.end(), p->begin(), p->end());
  *used = true;
  return compress_layout(file, l, verbatim, parts->samples, media, c, out, o, stats);
}

}  // namespace

Status compress(ByteSource& in, ByteSink& out, const CompressOptions& options, CompressStats* stats) {
  if (!options.model) return Status(ErrorCode::invalid_argument, "no model given");
  const Model& model = *options.model;
  const uint32_t chunk_size = chunk_size_for(options, model);
  if (chunk_size == 0 || chunk_size > kMaxChunkSize)
    return Status(ErrorCode::invalid_argument,
                  "chunk size must be 1 .. " + std::to_string(kMaxChunkSize));
  if (Status st = check_byte_alphabet(model); !st) return st;
  if (options.media_models.size() > format::kMaxModels - 1)
    return Status(ErrorCode::invalid_argument, "at most " + std::to_string(format::kMaxModels - 1) + " media models");
  for (const auto& m : options.media_models) {
    if (!m) return Status(ErrorCode::invalid_argument, "a media model is missing");
    if (Status st = check_byte_alphabet(*m); !st) return st;
    if (m->info().data.kind == Media::bytes)
      return Status(ErrorCode::invalid_argument, "model '" + m->name() + "' is not an image or audio model");
    const uint32_t c = chunk_size_for(options, *m);
    if (c == 0 || c > kMaxChunkSize)
      return Status(ErrorCode::invalid_argument, "chunk size must be 1 .. " + std::to_string(kMaxChunkSize));
  }

  CompressStats local;
  std::vector<uint8_t> head;
  if (options.layouts && !options.media_models.empty()) {
    // Look at the first bytes; hold the whole input only when a layout may fit.
    head.resize(16);
    size_t got = 0;
    if (Status st = in.read(head, &got); !st) return st;
    head.resize(got);
    bool at_end = got < 16;
    if (!at_end && layout_candidate(head, options)) {
      constexpr size_t kStep = 1 << 20;
      while (!at_end && head.size() <= options.layout_max_bytes) {
        const size_t at = head.size();
        const size_t want = static_cast<size_t>(std::min<uint64_t>(kStep, options.layout_max_bytes + 1 - at));
        head.resize(at + want);
        if (Status st = in.read({head.data() + at, want}, &got); !st) return st;
        head.resize(at + got);
        at_end = got < want;
      }
    }
    if (at_end && layout_candidate(head, options)) {
      bool used = false;
      if (Status st = try_layouts(head, out, options, local, &used); !st) return st;
      if (used) {
        if (stats) *stats = local;
        return {};
      }
    }
  }
  PrefixSource source(std::move(head), &in);
  if (Status st = compress_plain(source, out, options, chunk_size, local); !st) return st;
  if (stats) *stats = local;
  return {};
}

const char* version_string() { return LMZIP_VERSION; }

}  // namespace lmzip
