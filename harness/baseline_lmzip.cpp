// Each input is one .lmz frame (header, chunk records, end). Unchunked data is
// cut only at the model's own chunk size (order2: 1 MiB). Chunked data goes
// in as whole frames with the benchmark's chunk size, each chunk modelled from
// a fresh context, as in the paper, and as `lmzip --chunk-size 2048` stores it.
#include "baseline_lmzip.h"

#include <filesystem>

#include "lmzip/codec.h"
#include "lmzip/printable.h"

namespace lmzip::harness {
namespace {

class LmzipBaseline final : public Baseline {
 public:
  LmzipBaseline(std::shared_ptr<const Model> model, std::string label, unsigned threads, const EngineOptions& engine,
                bool adaptive)
      : model_(std::move(model)), label_(std::move(label)), threads_(threads), engine_(engine), adaptive_(adaptive) {}

  std::string name() const override { return label_; }
  uint64_t parameters() const override { return model_->info().parameters; }

  // A text (byte) model is measured on everything, as in the paper; a media
  // model only on the data it was made for.
  bool applies_to(const DataShape& shape) const override {
    const DataSpec& d = model_->info().data;
    switch (d.kind) {
      case Media::bytes: return true;
      case Media::image:
        return shape.modality == Modality::image && shape.channels == d.channels && shape.image_width == d.width;
      case Media::audio: return shape.modality == Modality::audio && shape.sample_bits == d.bits;
    }
    return true;
  }

  Result<Bytes> encode(std::span<const uint8_t> data, const DataShape& shape) const override {
    return encode_chunks(data, 0, shape);
  }

  bool has_native_chunks() const override { return true; }

  // chunk_size 0: the model's default.
  Result<Bytes> encode_chunks(std::span<const uint8_t> data, uint32_t chunk_size, const DataShape&) const override {
    MemorySource in(data);
    MemorySink out;
    CompressOptions options;
    options.model = model_;
    options.threads = threads_;
    options.chunk_size = chunk_size;
    options.adaptive = adaptive_;
    options.adaptive_network = model_->name() != "order2";
    if (!options.adaptive_network) options.adaptive_stage = kAdaptiveStageFast;  // as lmzip -0
    Status st = compress(in, out, options);
    if (!st) return st;
    return std::move(out.bytes());
  }

  Result<Bytes> decode(std::span<const uint8_t> encoded, const DataShape&) const override {
    MemorySource in(encoded);
    MemorySink out;
    DecompressOptions options;
    options.resolve = model_resolver_fixed(model_);
    options.threads = threads_;
    options.engine = engine_;
    Status st = decompress(in, out, options);
    if (!st) return st;
    return std::move(out.bytes());
  }

 private:
  std::shared_ptr<const Model> model_;
  std::string label_;
  unsigned threads_;
  EngineOptions engine_;
  bool adaptive_;
};

}  // namespace

Result<std::unique_ptr<Baseline>> baseline_lmzip(const std::string& model_name_or_path, unsigned threads,
                                                 const ModelDirs& dirs, const EngineOptions& engine, bool adaptive) {
  Result<std::shared_ptr<const Model>> model = model_open(model_name_or_path, dirs);
  if (!model) return model.status();
  // A file's stem reads better in a table than its path.
  const bool is_file = model_name_or_path.find('/') != std::string::npos ||
                       model_name_or_path.ends_with(".gguf");
  // The label reaches terminals and reports: a name from a model file is printed safely.
  std::string label = "lmzip " + printable(is_file ? std::filesystem::path(model_name_or_path).stem().string()
                                                   : (*model)->name());
  if (adaptive) label += " +adaptive";
  std::unique_ptr<Baseline> b =
      std::make_unique<LmzipBaseline>(*model, std::move(label), threads < 1 ? 1 : threads, engine, adaptive);
  return b;
}

}  // namespace lmzip::harness
