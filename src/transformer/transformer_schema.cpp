// The "lmzipbt" GGUF schema as tables: the loader, the random-model writer
// and the trainer's export all go through these, so a key or tensor is named
// once.
#include "transformer/transformer_schema.h"

#include <cmath>
#include <cstdio>
#include <cstring>

#include "common/f16.h"

namespace lmzip {

namespace {

// Limits that keep allocations sane; far above the paper's models.
constexpr uint32_t kMaxDim = 1u << 14;
constexpr uint32_t kMaxLayers = 256;
constexpr uint32_t kMaxHeads = 1024;
constexpr uint32_t kMaxContext = 1u << 24;
constexpr uint32_t kMaxWindow = 1u << 20;

// The u32 hyper-parameters: key after "lmzipbt.", where the config keeps it
// (null: vocab_size, always kOutVocab), the accepted range, and whether a
// file may leave it out (then it is 1: input_tags of a text model).
struct U32Key {
  const char* key;
  uint32_t TransformerConfig::*field;
  uint32_t lo, hi;
  bool optional;
};
constexpr U32Key kU32Keys[] = {
    {"context_length", &TransformerConfig::context_length, 1, kMaxContext, false},
    {"embedding_length", &TransformerConfig::d, 2, kMaxDim, false},
    {"block_count", &TransformerConfig::layers, 1, kMaxLayers, false},
    {"attention.head_count", &TransformerConfig::heads, 1, kMaxHeads, false},
    {"feed_forward_length", &TransformerConfig::ffn, 1, 4 * kMaxDim, false},
    {"attention.sliding_window", &TransformerConfig::window, 1, kMaxWindow, false},
    {"vocab_size", nullptr, kOutVocab, kOutVocab, false},
    {"input_tags", &TransformerConfig::tags, 1, kMaxTags, true},  // written for media models only
};
// The f32 hyper-parameters; their checks follow in transformer_metadata_read.
struct F32Key {
  const char* key;
  float TransformerConfig::*field;
};
constexpr F32Key kF32Keys[] = {
    {"rope.freq_base", &TransformerConfig::rope_base},
    {"attention.layer_norm_rms_epsilon", &TransformerConfig::eps},
};

// Dimensions a tensor shape is made of.
enum class Dim : uint8_t { one, d, ffn, in_vocab, out_vocab };
struct TensorRow {
  const char* name;  // per-block rows get the prefix "blk.<l>."
  TensorRole role;
  TensorKind kind;
  Dim rows, cols;
};
constexpr TensorRow kFirst[] = {
    {"token_embd.weight", TensorRole::token_embd, TensorKind::embedding, Dim::in_vocab, Dim::d},
};
constexpr TensorRow kBlock[] = {
    {"attn_norm.weight", TensorRole::attn_norm, TensorKind::gain, Dim::one, Dim::d},
    {"attn_q.weight", TensorRole::attn_q, TensorKind::matrix, Dim::d, Dim::d},
    {"attn_k.weight", TensorRole::attn_k, TensorKind::matrix, Dim::d, Dim::d},
    {"attn_v.weight", TensorRole::attn_v, TensorKind::matrix, Dim::d, Dim::d},
    {"attn_output.weight", TensorRole::attn_output, TensorKind::matrix, Dim::d, Dim::d},
    {"ffn_norm.weight", TensorRole::ffn_norm, TensorKind::gain, Dim::one, Dim::d},
    {"ffn_up.weight", TensorRole::ffn_up, TensorKind::matrix, Dim::ffn, Dim::d},
    {"ffn_down.weight", TensorRole::ffn_down, TensorKind::matrix, Dim::d, Dim::ffn},
};
constexpr TensorRow kLast[] = {
    {"output_norm.weight", TensorRole::output_norm, TensorKind::gain, Dim::one, Dim::d},
    {"output.weight", TensorRole::output, TensorKind::matrix, Dim::out_vocab, Dim::d},
};

uint64_t dim_of(Dim x, const TransformerConfig& c) {
  switch (x) {
    case Dim::one: return 1;
    case Dim::d: return c.d;
    case Dim::ffn: return c.ffn;
    case Dim::in_vocab: return uint64_t(c.in_vocab());
    case Dim::out_vocab: return kOutVocab;
  }
  return 0;
}

std::string prefixed(const char* key) { return std::string(kArchitecture) + "." + key; }

const char* media_name(Media m) { return m == Media::image ? "image" : m == Media::audio ? "audio" : "bytes"; }

Status bad(const std::string& what, const std::string& msg) {
  return Status(ErrorCode::bad_model_file, what + ": " + msg);
}

// A required (or, with `fallback`, optional) u32 value.
Status read_u32(const gguf::File& f, const std::string& key, const uint32_t* fallback, uint32_t* out,
                const std::string& what) {
  const gguf::Value* v = f.find(key);
  if (!v && fallback) {
    *out = *fallback;
    return {};
  }
  if (!v) return bad(what, "missing metadata key '" + key + "'");
  if (const uint32_t* u = std::get_if<uint32_t>(v)) {
    *out = *u;
    return {};
  }
  if (const int32_t* i = std::get_if<int32_t>(v); i && *i >= 0) {  // tolerated: some writers use i32
    *out = uint32_t(*i);
    return {};
  }
  return bad(what, "metadata '" + key + "' must be a u32");
}

Status read_f32(const gguf::File& f, const std::string& key, float* out, const std::string& what) {
  const gguf::Value* v = f.find(key);
  if (!v) return bad(what, "missing metadata key '" + key + "'");
  const float* x = std::get_if<float>(v);
  if (!x) return bad(what, "metadata '" + key + "' must be an f32");
  *out = *x;
  return {};
}

// What the model predicts and the filter in front of it (docs/MODEL_FORMAT.md,
// "Data and filter"); every key is optional: a text model has none.
Status read_data_and_filter(const gguf::File& f, TransformerConfig* c, const std::string& what) {
  DataSpec data;
  const std::string kind = f.find("lmzip.data.kind") ? gguf_string(f, "lmzip.data.kind") : "bytes";
  if (kind == "image") data.kind = Media::image;
  else if (kind == "audio") data.kind = Media::audio;
  else if (kind != "bytes") return bad(what, "lmzip.data.kind is '" + kind + "' (must be bytes, image or audio)");
  const uint32_t zero = 0;
  for (Status s : {read_u32(f, "lmzip.data.width", &zero, &data.width, what),
                   read_u32(f, "lmzip.data.channels", &zero, &data.channels, what),
                   read_u32(f, "lmzip.data.bits", &zero, &data.bits, what)})
    if (!s) return s;
  const bool ok = data.kind == Media::bytes   ? data.width == 0 && data.channels == 0 && data.bits == 0
                  : data.kind == Media::image ? data.width >= 1 && data.width <= kMaxFilterWidth &&
                                                    data.channels >= 1 && data.channels <= 4 && data.bits == 8
                                              : data.width == 0 && data.channels == 1 &&
                                                    (data.bits == 8 || data.bits == 16);
  if (!ok)
    return bad(what, "lmzip.data.width/channels/bits (" + std::to_string(data.width) + ", " +
                         std::to_string(data.channels) + ", " + std::to_string(data.bits) +
                         ") do not describe " + kind + " data (docs/MODEL_FORMAT.md)");
  const std::string filter = f.find("lmzip.filter") ? gguf_string(f, "lmzip.filter") : "none";
  Result<FilterSpec> spec = filter_spec_parse(filter, data);
  if (!spec) return bad(what, spec.status().message());
  c->filter = *spec;
  Result<MixerKind> mixer = mixer_parse(f.find("lmzip.mixer") ? gguf_string(f, "lmzip.mixer") : "none", c->filter);
  if (!mixer) return bad(what, mixer.status().message());
  c->mixer = *mixer;
  return {};
}

}  // namespace

std::string float_text(float x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", double(x));
  return buf;
}


std::string gguf_string(const gguf::File& f, const std::string& key) {
  const gguf::Value* v = f.find(key);
  const std::string* s = v ? std::get_if<std::string>(v) : nullptr;
  return s ? *s : std::string();
}

std::vector<uint64_t> TensorSpec::dims() const {
  return rows == 1 ? std::vector<uint64_t>{cols} : std::vector<uint64_t>{cols, rows};
}

std::vector<TensorSpec> transformer_tensors(const TransformerConfig& c) {
  std::vector<TensorSpec> out;
  auto add = [&](const TensorRow& r, int layer) {
    std::string name = layer < 0 ? r.name : "blk." + std::to_string(layer) + "." + r.name;
    out.push_back({std::move(name), r.role, r.kind, layer, dim_of(r.rows, c), dim_of(r.cols, c)});
  };
  for (const TensorRow& r : kFirst) add(r, -1);
  for (uint32_t l = 0; l < c.layers; ++l)
    for (const TensorRow& r : kBlock) add(r, int(l));
  for (const TensorRow& r : kLast) add(r, -1);
  return out;
}

uint64_t TransformerConfig::parameters() const {
  uint64_t n = 0;
  for (const TensorSpec& t : transformer_tensors(*this)) n += t.elements();
  return n;
}

gguf::Tensor transformer_tensor_make(const TensorSpec& spec, const float* values, bool f16) {
  gguf::Tensor t;
  t.name = spec.name;
  t.dims = spec.dims();
  t.type = f16 ? gguf::TensorType::f16 : gguf::TensorType::f32;
  const size_t n = size_t(spec.elements());
  t.data.resize(n * (f16 ? 2 : 4));
  for (size_t i = 0; i < n; ++i) {
    uint32_t u;
    if (f16) {
      u = f32_to_f16(values[i]);
    } else {
      std::memcpy(&u, &values[i], 4);
    }
    for (int k = 0; k < (f16 ? 2 : 4); ++k) t.data[i * (f16 ? 2 : 4) + k] = uint8_t(u >> (8 * k));
  }
  return t;
}

void transformer_metadata_write(gguf::File& f, const TransformerConfig& c, const ModelLabel& label) {
  f.metadata["general.architecture"] = std::string(kArchitecture);
  f.metadata["general.name"] = label.name;
  f.metadata["general.license"] = label.license;
  f.metadata["lmzip.training.data"] = label.training_data;
  const DataSpec& data = c.filter.data;
  const bool media = data.kind != Media::bytes;
  for (const U32Key& k : kU32Keys)
    if (!k.optional || media) f.metadata[prefixed(k.key)] = k.field ? c.*k.field : uint32_t(kOutVocab);
  for (const F32Key& k : kF32Keys) f.metadata[prefixed(k.key)] = c.*k.field;
  if (!media) return;
  f.metadata["lmzip.data.kind"] = std::string(media_name(data.kind));
  if (data.width) f.metadata["lmzip.data.width"] = data.width;
  f.metadata["lmzip.data.channels"] = data.channels;
  f.metadata["lmzip.data.bits"] = data.bits;
  f.metadata["lmzip.filter"] = c.filter.name();
  if (c.mixer != MixerKind::none) f.metadata["lmzip.mixer"] = mixer_name(c.mixer);
}

Result<TransformerConfig> transformer_metadata_read(const gguf::File& f, const std::string& what) {
  const std::string arch = gguf_string(f, "general.architecture");
  if (arch != kArchitecture)
    return bad(what, "general.architecture is '" + arch + "', expected '" + kArchitecture + "'");
  TransformerConfig c;
  uint32_t vocab = 0;
  const uint32_t one = 1;
  auto slot = [&](const U32Key& k) { return k.field ? &(c.*k.field) : &vocab; };
  for (const U32Key& k : kU32Keys)
    if (Status s = read_u32(f, prefixed(k.key), k.optional ? &one : nullptr, slot(k), what); !s) return s;
  for (const F32Key& k : kF32Keys)
    if (Status s = read_f32(f, prefixed(k.key), &(c.*k.field), what); !s) return s;
  if (Status s = read_data_and_filter(f, &c, what); !s) return s;
  if (f.find("general.name") == nullptr || gguf_string(f, "general.name").empty())
    return bad(what, "general.name is missing or empty");
  for (const U32Key& k : kU32Keys)
    if (const uint32_t v = *slot(k); v < k.lo || v > k.hi)
      return bad(what, prefixed(k.key) + " = " + std::to_string(v) + " (must be " + std::to_string(k.lo) + ".." +
                           std::to_string(k.hi) + ")");
  if (c.tags != c.filter.tags())
    return bad(what, prefixed("input_tags") + " = " + std::to_string(c.tags) + ", but filter '" + c.filter.name() +
                         "' gives " + std::to_string(c.filter.tags()) + " tags");
  if (c.d % c.heads != 0 || c.hd() % 2 != 0)
    return bad(what, "embedding_length " + std::to_string(c.d) + " must be head_count (" + std::to_string(c.heads) +
                         ") times an even head size");
  if (!std::isfinite(c.rope_base) || c.rope_base <= 1.0f)
    return bad(what, "rope.freq_base must be a finite number > 1 (is " + float_text(c.rope_base) + ")");
  if (!std::isfinite(c.eps) || c.eps <= 0.0f || c.eps > 1.0f)
    return bad(what, "layer_norm_rms_epsilon must be in (0, 1] (is " + float_text(c.eps) + ")");
  return c;
}

}  // namespace lmzip
