// Loading an "lmzipbt" GGUF file into a TransformerModel: every
// hyper-parameter and tensor shape is checked (a bad file gives a message
// naming what is wrong, never a crash), weights are converted to f32 in one
// allocation and transposed to (in, out) for the kernels.
#include "transformer/transformer_model.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>

#include "common/f16.h"
#include "common/sha256.h"
#include "transformer/transformer.h"

namespace lmzip {

namespace {

// Limits that keep allocations sane; far above the paper's models.
constexpr uint32_t kMaxDim = 1u << 14;
constexpr uint32_t kMaxLayers = 256;
constexpr uint32_t kMaxHeads = 1024;
constexpr uint32_t kMaxContext = 1u << 24;
constexpr uint32_t kMaxWindow = 1u << 20;

Status bad(const std::string& what, const std::string& msg) {
  return Status(ErrorCode::bad_model_file, what + ": " + msg);
}

Status get_u32(const gguf::File& f, const std::string& key, uint32_t* out, const std::string& what) {
  const gguf::Value* v = f.find(key);
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

Status get_f32(const gguf::File& f, const std::string& key, float* out, const std::string& what) {
  const gguf::Value* v = f.find(key);
  if (!v) return bad(what, "missing metadata key '" + key + "'");
  const float* x = std::get_if<float>(v);
  if (!x) return bad(what, "metadata '" + key + "' must be an f32");
  *out = *x;
  return {};
}

std::string get_string(const gguf::File& f, const std::string& key) {
  const gguf::Value* v = f.find(key);
  const std::string* s = v ? std::get_if<std::string>(v) : nullptr;
  return s ? *s : std::string();
}

// Optional u32: absent gives `fallback`.
Status get_u32_or(const gguf::File& f, const std::string& key, uint32_t fallback, uint32_t* out,
                  const std::string& what) {
  if (!f.find(key)) {
    *out = fallback;
    return {};
  }
  return get_u32(f, key, out, what);
}

// What the model predicts and the filter in front of it (docs/MODEL_FORMAT.md,
// "Data and filter"); every key is optional: a text model has none.
Status read_data_and_filter(const gguf::File& f, TransformerConfig* c, const std::string& what) {
  DataSpec data;
  const std::string kind = f.find("lmzip.data.kind") ? get_string(f, "lmzip.data.kind") : "bytes";
  if (kind == "image") data.kind = Media::image;
  else if (kind == "audio") data.kind = Media::audio;
  else if (kind != "bytes") return bad(what, "lmzip.data.kind is '" + kind + "' (must be bytes, image or audio)");
  for (Status s : {get_u32_or(f, "lmzip.data.width", 0, &data.width, what),
                   get_u32_or(f, "lmzip.data.channels", 0, &data.channels, what),
                   get_u32_or(f, "lmzip.data.bits", 0, &data.bits, what)})
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
  const std::string filter = f.find("lmzip.filter") ? get_string(f, "lmzip.filter") : "none";
  Result<FilterSpec> spec = filter_spec_parse(filter, data);
  if (!spec) return bad(what, spec.status().message());
  c->filter = *spec;
  Result<MixerKind> mixer = mixer_parse(f.find("lmzip.mixer") ? get_string(f, "lmzip.mixer") : "none", c->filter);
  if (!mixer) return bad(what, mixer.status().message());
  c->mixer = *mixer;
  return {};
}

std::string fmt_float(float x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", double(x));
  return buf;
}

}  // namespace

void transformer_metadata_add_data(gguf::File& f, const FilterSpec& filter, MixerKind mixer) {
  const DataSpec& d = filter.data;
  if (d.kind == Media::bytes) return;
  f.metadata[std::string(kArchitecture) + ".input_tags"] = filter.tags();
  f.metadata["lmzip.data.kind"] = std::string(d.kind == Media::image ? "image" : "audio");
  if (d.width) f.metadata["lmzip.data.width"] = d.width;
  f.metadata["lmzip.data.channels"] = d.channels;
  f.metadata["lmzip.data.bits"] = d.bits;
  f.metadata["lmzip.filter"] = filter.name();
  if (mixer != MixerKind::none) f.metadata["lmzip.mixer"] = mixer_name(mixer);
}

uint64_t TransformerConfig::parameters() const {
  const uint64_t dd = d;
  return uint64_t(in_vocab()) * dd + layers * (4 * dd * dd + 2 * dd * ffn + 2 * dd) + dd +
         uint64_t(kOutVocab) * dd;
}

const float* TransformerModel::rope(int64_t pos, float* tmp) const {
  const int hd = config_.hd();
  if (pos >= 0 && pos < rope_rows_) return rope_table_.data() + pos * hd;
  rope_angles(hd, config_.rope_base, pos, tmp);
  return tmp;
}

Result<std::shared_ptr<const TransformerModel>> TransformerModel::from_gguf(const gguf::File& f,
                                                                            const Sha256& identity,
                                                                            uint64_t file_bytes) {
  const std::string what = "model '" + get_string(f, "general.name") + "'";
  const std::string arch = get_string(f, "general.architecture");
  if (arch != kArchitecture)
    return bad(what, "general.architecture is '" + arch + "', expected '" + kArchitecture + "'");
  TransformerConfig c;
  uint32_t vocab = 0;
  const std::string p = std::string(kArchitecture) + ".";
  for (Status s : {get_u32(f, p + "context_length", &c.context_length, what),
                   get_u32(f, p + "embedding_length", &c.d, what),
                   get_u32(f, p + "block_count", &c.layers, what),
                   get_u32(f, p + "attention.head_count", &c.heads, what),
                   get_u32(f, p + "feed_forward_length", &c.ffn, what),
                   get_u32(f, p + "attention.sliding_window", &c.window, what),
                   get_u32(f, p + "vocab_size", &vocab, what),
                   get_f32(f, p + "rope.freq_base", &c.rope_base, what),
                   get_f32(f, p + "attention.layer_norm_rms_epsilon", &c.eps, what),
                   get_u32_or(f, p + "input_tags", 1, &c.tags, what),
                   read_data_and_filter(f, &c, what)})
    if (!s) return s;
  if (f.find("general.name") == nullptr || get_string(f, "general.name").empty())
    return bad(what, "general.name is missing or empty");
  auto range = [&](const char* key, uint32_t v, uint32_t lo, uint32_t hi) -> Status {
    if (v < lo || v > hi)
      return bad(what, p + key + " = " + std::to_string(v) + " (must be " + std::to_string(lo) +
                           ".." + std::to_string(hi) + ")");
    return {};
  };
  for (Status s : {range("embedding_length", c.d, 2, kMaxDim), range("block_count", c.layers, 1, kMaxLayers),
                   range("attention.head_count", c.heads, 1, kMaxHeads),
                   range("feed_forward_length", c.ffn, 1, 4 * kMaxDim),
                   range("context_length", c.context_length, 1, kMaxContext),
                   range("attention.sliding_window", c.window, 1, kMaxWindow),
                   range("vocab_size", vocab, kOutVocab, kOutVocab),
                   range("input_tags", c.tags, 1, kMaxTags)})
    if (!s) return s;
  if (c.tags != c.filter.tags())
    return bad(what, p + "input_tags = " + std::to_string(c.tags) + ", but filter '" + c.filter.name() +
                         "' gives " + std::to_string(c.filter.tags()) + " tags");
  if (c.d % c.heads != 0 || c.hd() % 2 != 0)
    return bad(what, "embedding_length " + std::to_string(c.d) + " must be head_count (" +
                         std::to_string(c.heads) + ") times an even head size");
  if (!std::isfinite(c.rope_base) || c.rope_base <= 1.0f)
    return bad(what, "rope.freq_base must be a finite number > 1 (is " + fmt_float(c.rope_base) + ")");
  if (!std::isfinite(c.eps) || c.eps <= 0.0f || c.eps > 1.0f)
    return bad(what, "layer_norm_rms_epsilon must be in (0, 1] (is " + fmt_float(c.eps) + ")");

  // Expected tensors: name, (rows, cols) in the doc's [out][in] sense (GGUF dims {cols, rows}).
  struct Expect {
    std::string name;
    uint64_t rows, cols;
  };
  const uint64_t d = c.d, ff = c.ffn;
  std::vector<Expect> expect = {{"token_embd.weight", uint64_t(c.in_vocab()), d}};
  for (uint32_t l = 0; l < c.layers; ++l) {
    const std::string b = "blk." + std::to_string(l) + ".";
    expect.push_back({b + "attn_norm.weight", 1, d});
    expect.push_back({b + "attn_q.weight", d, d});
    expect.push_back({b + "attn_k.weight", d, d});
    expect.push_back({b + "attn_v.weight", d, d});
    expect.push_back({b + "attn_output.weight", d, d});
    expect.push_back({b + "ffn_norm.weight", 1, d});
    expect.push_back({b + "ffn_up.weight", ff, d});
    expect.push_back({b + "ffn_down.weight", d, ff});
  }
  expect.push_back({"output_norm.weight", 1, d});
  expect.push_back({"output.weight", kOutVocab, d});
  if (f.tensors.size() != expect.size()) {
    for (const auto& t : f.tensors) {
      bool known = false;
      for (const auto& e : expect) known |= e.name == t.name;
      if (!known) return bad(what, "unexpected tensor '" + t.name + "'");
    }
  }
  std::vector<const gguf::Tensor*> tensors;
  bool any_f16 = false;
  for (const auto& e : expect) {
    const gguf::Tensor* t = f.find_tensor(e.name);
    if (!t) return bad(what, "missing tensor '" + e.name + "'");
    const bool vec_ok = e.rows == 1 && t->dims.size() == 1 && t->dims[0] == e.cols;
    const bool mat_ok = t->dims.size() == 2 && t->dims[0] == e.cols && t->dims[1] == e.rows;
    if (!vec_ok && !mat_ok) {
      std::string got;
      for (uint64_t x : t->dims) got += (got.empty() ? "" : ", ") + std::to_string(x);
      return bad(what, "tensor '" + e.name + "' has dims {" + got + "}, expected {" +
                           std::to_string(e.cols) + (e.rows == 1 ? "" : ", " + std::to_string(e.rows)) + "}");
    }
    any_f16 |= t->type == gguf::TensorType::f16;
    tensors.push_back(t);
  }

  auto m = std::make_shared<TransformerModel>();
  m->config_ = c;
  // One allocation: every tensor, matrices transposed to (in, out).
  m->params_.resize(size_t(c.parameters()));
  float* dst = m->params_.data();
  std::vector<float> tmp;
  auto load = [&](const gguf::Tensor* t, uint64_t rows, uint64_t cols, bool transpose) -> Result<float*> {
    const uint64_t n = rows * cols;
    tmp.resize(size_t(n));
    for (uint64_t i = 0; i < n; ++i) {
      float x;
      if (t->type == gguf::TensorType::f32) {
        std::memcpy(&x, t->data.data() + 4 * i, 4);  // little-endian hosts (x86, arm64)
      } else {
        uint16_t h;
        std::memcpy(&h, t->data.data() + 2 * i, 2);
        x = f16_to_f32(h);
      }
      if (!std::isfinite(x)) return bad(what, "tensor '" + t->name + "' holds a NaN or infinity");
      tmp[size_t(i)] = x;
    }
    float* out = dst;
    if (transpose) {  // (rows=out, cols=in) -> (in, out)
      for (uint64_t r = 0; r < rows; ++r)
        for (uint64_t k = 0; k < cols; ++k) out[k * rows + r] = tmp[size_t(r * cols + k)];
    } else {
      std::memcpy(out, tmp.data(), size_t(n) * 4);
    }
    dst += n;
    return out;
  };
  size_t ti = 0;
  auto r = load(tensors[ti++], uint64_t(c.in_vocab()), d, false);
  if (!r) return r.status();
  m->token_embd_ = *r;
  for (uint32_t l = 0; l < c.layers; ++l) {
    LayerWeights w{};
    if (auto x = load(tensors[ti++], 1, d, false); x) w.attn_norm = *x; else return x.status();
    // q, k, v side by side: (d, 3d). Load each transposed into a scratch area, then interleave rows.
    std::vector<float> qkv(size_t(3 * d * d));
    for (int part = 0; part < 3; ++part) {
      float* save = dst;
      auto x = load(tensors[ti++], d, d, true);
      if (!x) return x.status();
      for (uint64_t k = 0; k < d; ++k)
        std::memcpy(&qkv[size_t(k * 3 * d + part * d)], *x + k * d, size_t(d) * 4);
      dst = save;
    }
    std::memcpy(dst, qkv.data(), qkv.size() * 4);
    w.wqkv = dst;
    dst += qkv.size();
    if (auto x = load(tensors[ti++], d, d, true); x) w.wo = *x; else return x.status();
    if (auto x = load(tensors[ti++], 1, d, false); x) w.ffn_norm = *x; else return x.status();
    if (auto x = load(tensors[ti++], ff, d, true); x) w.wup = *x; else return x.status();
    if (auto x = load(tensors[ti++], d, ff, true); x) w.wdown = *x; else return x.status();
    m->layers_.push_back(w);
  }
  if (auto x = load(tensors[ti++], 1, d, false); x) m->output_norm_ = *x; else return x.status();
  if (auto x = load(tensors[ti++], kOutVocab, d, true); x) m->wout_ = *x; else return x.status();
  if (dst != m->params_.data() + m->params_.size())
    return Status(ErrorCode::internal, "transformer: parameter layout mismatch");

  const int hd = c.hd();
  m->rope_rows_ = std::min<int64_t>({int64_t(c.context_length), 8192, std::max(1, (1 << 22) / hd)});
  m->rope_table_.resize(size_t(m->rope_rows_) * size_t(hd));
  for (int64_t pos = 0; pos < m->rope_rows_; ++pos)
    rope_angles(hd, c.rope_base, pos, m->rope_table_.data() + size_t(pos) * size_t(hd));

  ModelInfo& info = m->info_;
  info.name = get_string(f, "general.name");
  info.identity = identity;
  info.parameters = c.parameters();
  info.file_bytes = file_bytes;
  auto prop = [&](const std::string& k, const std::string& v) { info.properties.emplace_back(k, v); };
  prop("architecture", kArchitecture);
  prop("context_length", std::to_string(c.context_length));
  prop("embedding_length", std::to_string(c.d));
  prop("block_count", std::to_string(c.layers));
  prop("head_count", std::to_string(c.heads));
  prop("feed_forward_length", std::to_string(c.ffn));
  prop("sliding_window", std::to_string(c.window));
  prop("rope.freq_base", fmt_float(c.rope_base));
  prop("rms_epsilon", fmt_float(c.eps));
  prop("vocab_size", std::to_string(kOutVocab));
  prop("weights", any_f16 ? "f16" : "f32");
  if (c.tags != 1) prop("input_tags", std::to_string(c.tags));
  info.data = c.filter.data;
  if (info.data.kind != Media::bytes) {
    prop("data", info.data.kind == Media::image
                     ? "image " + std::to_string(info.data.width) + " px wide, " +
                           std::to_string(info.data.channels) + " channel(s)"
                     : "audio, mono, " + std::to_string(info.data.bits) + "-bit");
    prop("filter", c.filter.name());
    if (c.mixer != MixerKind::none) prop("mixer", mixer_name(c.mixer));
  }
  if (std::string s = get_string(f, "general.license"); !s.empty()) prop("license", s);
  if (std::string s = get_string(f, "lmzip.training.data"); !s.empty()) prop("training.data", s);
  return std::shared_ptr<const TransformerModel>(std::move(m));
}

Result<std::shared_ptr<const TransformerModel>> transformer_model_parse(std::span<const uint8_t> bytes,
                                                                        const std::string& what) {
  Result<gguf::File> f = gguf::gguf_parse(bytes);
  if (!f) return Status(f.status().code(), what + ": " + f.status().message());
  auto m = TransformerModel::from_gguf(*f, sha256_bytes(bytes), bytes.size());
  if (!m) return Status(m.status().code(), what + ": " + m.status().message());
  return m;
}

Result<std::shared_ptr<const Model>> transformer_model_load(const std::string& path) {
  std::FILE* fp = std::fopen(path.c_str(), "rb");
  if (!fp) return Status(ErrorCode::io, "cannot open '" + path + "': " + std::strerror(errno));
  std::vector<uint8_t> bytes;
  uint8_t buf[1 << 16];
  size_t got;
  while ((got = std::fread(buf, 1, sizeof buf, fp)) > 0) bytes.insert(bytes.end(), buf, buf + got);
  const bool err = std::ferror(fp);
  std::fclose(fp);
  if (err) return Status(ErrorCode::io, "cannot read '" + path + "'");
  auto m = transformer_model_parse(bytes, "'" + path + "'");
  if (!m) return m.status();
  return std::shared_ptr<const Model>(*m);
}

}  // namespace lmzip
