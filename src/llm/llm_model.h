// A pretrained LLM (llama family, qwen2) from a llama.cpp GGUF file, with its
// own tokenizer: the Model the codec codes token ids with (lmzip/model.h,
// TokenText). Weights of the block types stay in the (mapped) file; plain
// types are converted to f32 once. The forward pass: llm_forward.h.
#pragma once

#include <array>
#include <memory>
#include <string>
#include <vector>

#include "gguf/gguf.h"
#include "lmzip/model.h"
#include "llm/llm_config.h"
#include "llm/llm_matrix.h"
#include "tokenizer/tokenizer.h"

namespace lmzip {

struct LlmLayer {
  const float* attn_norm = nullptr;  // (d)
  const float* ffn_norm = nullptr;   // (d)
  const float* bq = nullptr;         // qwen2: (n_heads hd), (n_kv hd), (n_kv hd); null for llama
  const float* bk = nullptr;
  const float* bv = nullptr;
  LlmMatrix wq, wk, wv, wo;          // (d -> n_heads hd), (d -> n_kv hd) x 2, (n_heads hd -> d)
  LlmMatrix gate, up, down;          // (d -> ffn) x 2, (ffn -> d)
};

class LlmModel final : public Model, public TokenText, public std::enable_shared_from_this<LlmModel> {
 public:
  const ModelInfo& info() const override { return info_; }
  uint32_t default_chunk_size() const override { return chunk_size_; }
  std::unique_ptr<Predictor> make_predictor() const override;
  // Lanes step chunks together (each weight read serves them all), capped so
  // that their KV caches stay near 1 GiB; the pool is not used.
  using Model::make_predictor_lanes;
  std::unique_ptr<Predictor> make_predictor_lanes(size_t lanes, ThreadPool* pool) const override;
  StepCost step_cost() const override;
  const TokenText* token_text() const override { return this; }

  bool tokens(std::span<const uint8_t> bytes, std::vector<Symbol>& ids) const override;
  std::string_view text(Symbol id, bool first) const override;
  uint32_t window() const override;

  const LlmConfig& config() const { return c_; }
  const LlmLayer& layer(int l) const { return layers_[size_t(l)]; }
  const LlmMatrix& output() const { return output_; }
  const float* output_norm() const { return output_norm_; }
  // Row `id` of the token embeddings as f32 into x (d).
  void embed(Symbol id, float* x) const;
  // The id every chunk starts from (BOS, else EOS): the model's context before the first token.
  Symbol start_id() const { return start_id_; }
  // Rotary angles of position pos: [rope_dims/2 cos][rope_dims/2 sin].
  void rope(int64_t pos, float* cs) const;
  const Tokenizer& tokenizer() const { return *tokenizer_; }

  // Builds the model from a parsed (typically mapped) file, which it keeps.
  // `name` is what frames call it (the file's own general.name, often with
  // spaces, is shown among the properties).
  static Result<std::shared_ptr<const LlmModel>> from_gguf(gguf::File file, const Sha256& identity,
                                                           uint64_t file_bytes, const std::string& what,
                                                           const std::string& name);

 private:
  LlmConfig c_;
  ModelInfo info_;
  uint32_t chunk_size_ = 0;
  gguf::File file_;
  std::unique_ptr<Tokenizer> tokenizer_;
  std::array<int32_t, 256> byte_ids_{};  // byte -> its byte token, -1 where none (BPE: its tokens spell every byte)
  std::vector<float> vectors_;           // norms and biases, f32
  const gguf::Tensor* token_embd_ = nullptr;
  const float* output_norm_ = nullptr;
  LlmMatrix output_;
  std::vector<LlmLayer> layers_;
  std::vector<double> rope_theta_;
  Symbol start_id_ = 0;
};

// Loads a GGUF file (mapped) whose architecture is an LLM's. Its name is the
// file's name without `.gguf`, characters a frame cannot store (docs/FORMAT.md:
// 0x21 ..= 0x7E, at most 64) replaced by '_': `lmzip -d` finds it again as
// NAME.gguf in the model directories.
// `file` is the file at `path`, already mapped and parsed (gguf_map).
Result<std::shared_ptr<const Model>> llm_model_load(const std::string& path, gguf::File file);

}  // namespace lmzip
