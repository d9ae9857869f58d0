#include "train_export.h"

#include <cstring>

#include "common/f16.h"
#include "gguf/gguf.h"
#include "transformer/transformer.h"

namespace lmzip::train {

namespace {

// rows x cols row-major block at src; GGUF dims are {cols, rows}.
gguf::Tensor make_tensor(const std::string& name, const float* src, uint64_t rows, uint64_t cols,
                         bool f16) {
  gguf::Tensor t;
  t.name = name;
  t.dims = rows == 1 ? std::vector<uint64_t>{cols} : std::vector<uint64_t>{cols, rows};
  const size_t n = size_t(rows * cols);
  if (f16) {
    t.type = gguf::TensorType::f16;
    t.data.resize(n * 2);
    for (size_t i = 0; i < n; ++i) {
      uint16_t h = f32_to_f16(src[i]);
      t.data[2 * i] = uint8_t(h & 0xff);
      t.data[2 * i + 1] = uint8_t(h >> 8);
    }
  } else {
    t.type = gguf::TensorType::f32;
    t.data.resize(n * 4);
    for (size_t i = 0; i < n; ++i) {
      uint32_t u;
      std::memcpy(&u, &src[i], 4);
      for (int k = 0; k < 4; ++k) t.data[4 * i + k] = uint8_t(u >> (8 * k));  // little-endian on any host
    }
  }
  return t;
}

gguf::File to_gguf(const ModelConfig& cfg, const std::vector<float>& params, const ExportOptions& opt) {
  gguf::File f;
  f.metadata["general.architecture"] = std::string("lmzipbt");
  f.metadata["general.name"] = opt.name;
  f.metadata["general.license"] = opt.license;
  f.metadata["lmzip.training.data"] = opt.training_data;
  f.metadata["lmzipbt.context_length"] = uint32_t(opt.context_length);
  f.metadata["lmzipbt.embedding_length"] = uint32_t(cfg.d);
  f.metadata["lmzipbt.block_count"] = uint32_t(cfg.n_layer);
  f.metadata["lmzipbt.attention.head_count"] = uint32_t(cfg.n_head);
  f.metadata["lmzipbt.feed_forward_length"] = uint32_t(cfg.ffn);
  f.metadata["lmzipbt.attention.sliding_window"] = uint32_t(cfg.window);
  f.metadata["lmzipbt.rope.freq_base"] = float(cfg.rope_base);
  f.metadata["lmzipbt.attention.layer_norm_rms_epsilon"] = float(cfg.eps);
  f.metadata["lmzipbt.vocab_size"] = uint32_t(kVocabOut);
  transformer_metadata_add_data(f, opt.filter, opt.mixer);

  const ParamLayout lay(cfg);
  const uint64_t C = cfg.d, F = cfg.ffn;
  const float* p = params.data();
  const bool h = opt.f16;
  f.tensors.push_back(make_tensor("token_embd.weight", p + lay.wte, uint64_t(cfg.in_vocab()), C, h));
  for (int l = 0; l < cfg.n_layer; ++l) {
    const std::string b = "blk." + std::to_string(l) + ".";
    const float* qkv = p + lay.wqkv + size_t(l) * 3 * C * C;
    f.tensors.push_back(make_tensor(b + "attn_norm.weight", p + lay.attn_norm + l * C, 1, C, false));
    f.tensors.push_back(make_tensor(b + "attn_q.weight", qkv, C, C, h));
    f.tensors.push_back(make_tensor(b + "attn_k.weight", qkv + C * C, C, C, h));
    f.tensors.push_back(make_tensor(b + "attn_v.weight", qkv + 2 * C * C, C, C, h));
    f.tensors.push_back(make_tensor(b + "attn_output.weight", p + lay.wo + l * C * C, C, C, h));
    f.tensors.push_back(make_tensor(b + "ffn_norm.weight", p + lay.ffn_norm + l * C, 1, C, false));
    f.tensors.push_back(make_tensor(b + "ffn_up.weight", p + lay.wup + l * F * C, F, C, h));
    f.tensors.push_back(make_tensor(b + "ffn_down.weight", p + lay.wdown + l * C * F, C, F, h));
  }
  f.tensors.push_back(make_tensor("output_norm.weight", p + lay.out_norm, 1, C, false));
  f.tensors.push_back(make_tensor("output.weight", p + lay.wout, kVocabOut, C, h));
  return f;
}

}  // namespace

std::vector<float> f16_rounded(const ModelConfig& cfg, const std::vector<float>& params) {
  std::vector<float> out = params;
  const std::vector<uint8_t> is_matrix = decay_mask(cfg);  // exactly the tensors stored as f16
  for (size_t i = 0; i < out.size() && i < is_matrix.size(); ++i)
    if (is_matrix[i]) out[i] = f16_to_f32(f32_to_f16(out[i]));
  return out;
}

Status export_gguf(const ModelConfig& cfg, const std::vector<float>& params, const ExportOptions& opt,
                   const std::string& path) {
  if (Status st = cfg.validate(); !st) return st;
  if (params.size() != cfg.num_params())
    return Status(ErrorCode::invalid_argument, "parameter count does not match the model shape");
  if (uint32_t(cfg.tags) != opt.filter.tags())
    return Status(ErrorCode::invalid_argument, "the model has " + std::to_string(cfg.tags) + " input tags, its filter '" +
                                                   opt.filter.name() + "' gives " +
                                                   std::to_string(opt.filter.tags()) + " (--media, --filter)");
  return gguf::gguf_write(to_gguf(cfg, params, opt), path);
}

}  // namespace lmzip::train
