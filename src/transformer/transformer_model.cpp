// Loading an "lmzipbt" GGUF file into a TransformerModel: every
// hyper-parameter and tensor shape is checked (a bad file gives a message
// naming what is wrong, never a crash), weights are converted to f32 in one
// allocation and transposed to (in, out) for the kernels.
#include "transformer/transformer_model.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "common/f16.h"
#include "common/file_read.h"
#include "common/sha256.h"
#include "gguf/gguf_dequant.h"
#include "transformer/transformer.h"

namespace lmzip {

namespace {

Status bad(const std::string& what, const std::string& msg) {
  return Status(ErrorCode::bad_model_file, what + ": " + msg);
}

// The tensors of transformer_tensors(c), found in `f` with the shapes the
// schema gives (GGUF dims {cols, rows}, or {cols} for a gain).
Result<std::vector<const gguf::Tensor*>> find_tensors(const gguf::File& f, const std::vector<TensorSpec>& expect,
                                                      const std::string& what) {
  if (f.tensors.size() != expect.size()) {
    for (const auto& t : f.tensors) {
      bool known = false;
      for (const auto& e : expect) known |= e.name == t.name;
      if (!known) return bad(what, "unexpected tensor '" + t.name + "'");
    }
  }
  std::vector<const gguf::Tensor*> found;
  for (const TensorSpec& e : expect) {
    const gguf::Tensor* t = f.find_tensor(e.name);
    if (!t) return bad(what, "missing tensor '" + e.name + "'");
    const bool vec_ok = e.rows == 1 && t->dims.size() == 1 && t->dims[0] == e.cols;
    const bool mat_ok = t->dims.size() == 2 && t->dims[0] == e.cols && t->dims[1] == e.rows;
    if (!vec_ok && !mat_ok) {
      std::string got;
      for (uint64_t x : t->dims) got += (got.empty() ? "" : ", ") + std::to_string(x);
      return bad(what, "tensor '" + e.name + "' has dims {" + got + "}, expected {" + std::to_string(e.cols) +
                           (e.rows == 1 ? "" : ", " + std::to_string(e.rows)) + "}");
    }
    found.push_back(t);
  }
  return found;
}

// Converts tensor `t` (spec `e`) to f32 at `dst`: a matrix transposed to
// (in, out) with rows `stride` floats apart (q, k and v share the rows of
// wqkv), anything else as stored.
Status tensor_load(const gguf::Tensor& t, const TensorSpec& e, float* dst, uint64_t stride, std::vector<float>& tmp,
                   const std::string& what) {
  const uint64_t n = e.elements();
  tmp.resize(size_t(n));
  if (Status st = gguf::dequantize(t, tmp); !st) return bad(what, st.message());
  for (float x : tmp)
    if (!std::isfinite(x)) return bad(what, "tensor '" + t.name + "' holds a NaN or infinity");
  if (e.kind != TensorKind::matrix) {
    std::memcpy(dst, tmp.data(), size_t(n) * 4);
    return {};
  }
  for (uint64_t r = 0; r < e.rows; ++r)  // (rows = out, cols = in) -> (in, out)
    for (uint64_t k = 0; k < e.cols; ++k) dst[k * stride + r] = tmp[size_t(r * e.cols + k)];
  return {};
}

// What `lmzip model info` shows: name, identity, size and the hyper-parameters.
ModelInfo model_info_make(const gguf::File& f, const TransformerConfig& c, bool any_f16, const Sha256& identity,
                          uint64_t file_bytes) {
  ModelInfo info;
  info.name = gguf_string(f, "general.name");
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
  prop("rope.freq_base", float_text(c.rope_base));
  prop("rms_epsilon", float_text(c.eps));
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
  if (std::string s = gguf_string(f, "general.license"); !s.empty()) prop("license", s);
  if (std::string s = gguf_string(f, "lmzip.training.data"); !s.empty()) prop("training.data", s);
  return info;
}

}  // namespace

const float* TransformerModel::rope(int64_t pos, float* tmp) const {
  const int hd = config_.hd();
  if (pos >= 0 && pos < rope_rows_) return rope_table_.data() + pos * hd;
  rope_angles(rope_theta_, pos, tmp);
  return tmp;
}

Result<std::shared_ptr<const TransformerModel>> TransformerModel::from_gguf(const gguf::File& f,
                                                                            const Sha256& identity,
                                                                            uint64_t file_bytes) {
  const std::string what = "model '" + gguf_string(f, "general.name") + "'";
  Result<TransformerConfig> config = transformer_metadata_read(f, what);
  if (!config) return config.status();
  const TransformerConfig& c = *config;
  const std::vector<TensorSpec> expect = transformer_tensors(c);
  Result<std::vector<const gguf::Tensor*>> tensors = find_tensors(f, expect, what);
  if (!tensors) return tensors.status();

  auto m = std::make_shared<TransformerModel>();
  m->config_ = c;
  m->layers_.resize(c.layers);
  // One allocation: the tensors in file order, except that q, k and v of a
  // block are one (d, 3d) matrix, q | k | v side by side.
  m->params_.resize(size_t(c.parameters()));
  float* dst = m->params_.data();
  std::vector<float> tmp;
  bool any_f16 = false;
  float* qkv = nullptr;  // the block's (d, 3d) wqkv
  for (size_t i = 0; i < expect.size(); ++i) {
    const TensorSpec& e = expect[i];
    const gguf::Tensor& t = *(*tensors)[i];
    any_f16 |= t.type == gguf::TensorType::f16;
    LayerWeights* w = e.layer >= 0 ? &m->layers_[size_t(e.layer)] : nullptr;
    float* at = dst;
    uint64_t stride = e.rows;
    if (e.role == TensorRole::attn_q || e.role == TensorRole::attn_k || e.role == TensorRole::attn_v) {
      const uint64_t part = uint64_t(e.role) - uint64_t(TensorRole::attn_q);
      if (part == 0) w->wqkv = qkv = dst;
      at = qkv + part * c.d;
      stride = 3 * uint64_t(c.d);
    }
    if (Status s = tensor_load(t, e, at, stride, tmp, what); !s) return s;
    dst += e.elements();
    switch (e.role) {
      case TensorRole::token_embd: m->token_embd_ = at; break;
      case TensorRole::attn_norm: w->attn_norm = at; break;
      case TensorRole::attn_output: w->wo = at; break;
      case TensorRole::ffn_norm: w->ffn_norm = at; break;
      case TensorRole::ffn_up: w->wup = at; break;
      case TensorRole::ffn_down: w->wdown = at; break;
      case TensorRole::output_norm: m->output_norm_ = at; break;
      case TensorRole::output: m->wout_ = at; break;
      default: break;  // q, k, v: wqkv, set above
    }
  }
  if (dst != m->params_.data() + m->params_.size())
    return Status(ErrorCode::internal, "transformer: parameter layout mismatch");

  const int hd = c.hd();
  m->rope_rows_ = std::min<int64_t>({int64_t(c.context_length), 8192, std::max(1, (1 << 22) / hd)});
  m->rope_table_.resize(size_t(m->rope_rows_) * size_t(hd));
  m->rope_theta_ = rope_thetas(hd, c.rope_base);
  for (int64_t pos = 0; pos < m->rope_rows_; ++pos)
    rope_angles(m->rope_theta_, pos, m->rope_table_.data() + size_t(pos) * size_t(hd));

  m->info_ = model_info_make(f, c, any_f16, identity, file_bytes);
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
  auto bytes = file_read_all(path);
  if (!bytes) return bytes.status();
  auto m = transformer_model_parse(*bytes, "'" + path + "'");
  if (!m) return m.status();
  return std::shared_ptr<const Model>(*m);
}

}  // namespace lmzip
