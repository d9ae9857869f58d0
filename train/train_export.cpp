#include "train_export.h"

#include "common/f16.h"
#include "gguf/gguf.h"
#include "gguf/gguf_dequant.h"

namespace lmzip::train {

namespace {

// Where the schema's tensor `t` lies in the trainer's parameters: per-block
// tensors are stacked over blocks, q, k and v are one (3C, C) block each;
// every matrix is (out, in) row-major, as the file stores it.
const float* tensor_source(const TensorSpec& t, const ParamLayout& lay, const float* p, size_t C, size_t F) {
  const size_t l = t.layer < 0 ? 0 : size_t(t.layer);
  switch (t.role) {
    case TensorRole::token_embd: return p + lay.wte;
    case TensorRole::attn_norm: return p + lay.attn_norm + l * C;
    case TensorRole::attn_q: return p + lay.wqkv + l * 3 * C * C;
    case TensorRole::attn_k: return p + lay.wqkv + l * 3 * C * C + C * C;
    case TensorRole::attn_v: return p + lay.wqkv + l * 3 * C * C + 2 * C * C;
    case TensorRole::attn_output: return p + lay.wo + l * C * C;
    case TensorRole::ffn_norm: return p + lay.ffn_norm + l * C;
    case TensorRole::ffn_up: return p + lay.wup + l * F * C;
    case TensorRole::ffn_down: return p + lay.wdown + l * C * F;
    case TensorRole::output_norm: return p + lay.out_norm;
    case TensorRole::output: return p + lay.wout;
  }
  return nullptr;
}

}  // namespace

Result<ImportedModel> import_gguf(const std::string& path) {
  auto f = gguf::gguf_read(path);
  if (!f) return f.status();
  auto cfg = transformer_metadata_read(*f, path);
  if (!cfg) return cfg.status();
  ImportedModel m{*cfg, std::vector<float>(cfg->parameters())};
  const ParamLayout lay(m.cfg);
  for (const TensorSpec& t : transformer_tensors(m.cfg)) {
    const gguf::Tensor* g = f->find_tensor(t.name);
    if (!g || g->elements() != t.elements())
      return Status(ErrorCode::bad_model_file, path + ": tensor " + t.name + " is missing or has the wrong size");
    float* dst = const_cast<float*>(tensor_source(t, lay, m.params.data(), m.cfg.d, m.cfg.ffn));
    if (Status st = gguf::dequantize(*g, {dst, size_t(t.elements())}); !st) return st;
  }
  return m;
}

std::vector<float> f16_rounded(const ModelConfig& cfg, const std::vector<float>& params) {
  std::vector<float> out = params;
  const std::vector<uint8_t> is_matrix = decay_mask(cfg);  // exactly the tensors stored as f16
  for (size_t i = 0; i < out.size() && i < is_matrix.size(); ++i)
    if (is_matrix[i]) out[i] = f16_to_f32(f32_to_f16(out[i]));
  return out;
}

Status export_gguf(const ModelConfig& cfg, const std::vector<float>& params, const ExportOptions& opt,
                   const std::string& path) {
  if (Status st = config_validate(cfg); !st) return st;
  if (params.size() != cfg.parameters())
    return Status(ErrorCode::invalid_argument, "parameter count does not match the model shape");
  if (cfg.tags != cfg.filter.tags())
    return Status(ErrorCode::invalid_argument, "the model has " + std::to_string(cfg.tags) + " input tags, its filter '" +
                                                   cfg.filter.name() + "' gives " +
                                                   std::to_string(cfg.filter.tags()) + " (--media, --filter)");
  gguf::File f;
  transformer_metadata_write(f, cfg, opt.label);
  const ParamLayout lay(cfg);
  for (const TensorSpec& t : transformer_tensors(cfg))
    f.tensors.push_back(transformer_tensor_make(t, tensor_source(t, lay, params.data(), cfg.d, cfg.ffn),
                                                opt.f16 && t.kind != TensorKind::gain));
  return gguf::gguf_write(f, path);
}

}  // namespace lmzip::train
