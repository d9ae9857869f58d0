// The byte transformer (docs/ARCHITECTURE.md, architecture "lmzipbt"):
// hyper-parameters, weights in one f32 allocation, and the Model that hands
// out Predictors. Inference: transformer_engine.h (the forward pass over
// lanes x positions) and transformer_predictor.cpp (the Predictor over it).
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "gguf/gguf.h"
#include "kernels/rope_angles.h"
#include "lmzip/error.h"
#include "lmzip/model.h"
#include "transformer/transformer_schema.h"

namespace lmzip {

class ThreadPool;

// Pointers into TransformerModel's single parameter allocation. Matrices are
// stored transposed, (in, out) row-major, so that a kernel computing many
// outputs at once reads them contiguously (kernels.h: gemm).
struct LayerWeights {
  const float* attn_norm;  // (d)
  const float* wqkv;       // (d, 3d): q | k | v
  const float* wo;         // (d, d)
  const float* ffn_norm;   // (d)
  const float* wup;        // (d, f)
  const float* wdown;      // (f, d)
};

class TransformerModel final : public Model, public std::enable_shared_from_this<TransformerModel> {
 public:
  const ModelInfo& info() const override { return info_; }
  uint32_t default_chunk_size() const override { return config_.context_length; }
  std::unique_ptr<Predictor> make_predictor() const override;
  // Lanes are capped so that their KV caches stay under ~1 GiB; groups of
  // lanes run on `pool`'s workers when given (transformer_engine.h).
  using Model::make_predictor_lanes;
  std::unique_ptr<Predictor> make_predictor_lanes(size_t lanes, ThreadPool* pool) const override;
  StepCost step_cost() const override;

  const TransformerConfig& config() const { return config_; }
  const float* token_embd() const { return token_embd_; }  // (in_vocab, d)
  const float* output_norm() const { return output_norm_; }  // (d)
  const float* wout() const { return wout_; }                // (d, 256)
  const LayerWeights& layer(int l) const { return layers_[size_t(l)]; }

  // Rotary angles of position pos: [hd/2 cos][hd/2 sin] (hd floats). From a
  // table for pos < rope_rows(), computed into tmp otherwise (same values).
  const float* rope(int64_t pos, float* tmp) const;
  int64_t rope_rows() const { return rope_rows_; }  // positions in the table

  // Builds a model from a parsed GGUF file (validated); `file_bytes` only
  // supplies identity and size.
  static Result<std::shared_ptr<const TransformerModel>> from_gguf(const gguf::File& file,
                                                                   const Sha256& identity,
                                                                   uint64_t file_bytes);

 private:
  TransformerConfig config_;
  ModelInfo info_;
  std::vector<float> params_;  // every weight, f32, one allocation
  std::vector<float> rope_table_;  // (rope_rows_, hd)
  std::vector<double> rope_theta_;  // (hd / 2): the angle per position of each pair
  int64_t rope_rows_ = 0;          // min(context_length, 8192, 2^22 / hd): a bounded table
  const float* token_embd_ = nullptr;
  const float* output_norm_ = nullptr;
  const float* wout_ = nullptr;
  std::vector<LayerWeights> layers_;
};

// Parses and validates a model file image (what transformer_model_load does after reading).
Result<std::shared_ptr<const TransformerModel>> transformer_model_parse(std::span<const uint8_t> bytes,
                                                                        const std::string& what);

// A random-weights model file (tests, benchmarks, `lmzip model random`): the
// config (ffn 0: 4 d; input tags: the filter's) and the knobs only a random
// model has. The bytes are a function of these alone.
struct RandomModelOptions : TransformerConfig {
  RandomModelOptions() {
    d = 64;
    layers = 4;
    heads = 4;
    window = 256;
  }
  uint64_t seed = 1;
  bool f16 = false;
  std::string name;  // empty: "lmzip-random-<d>x<layers>-s<seed>"
};
gguf::File transformer_random_gguf(const RandomModelOptions& options);

}  // namespace lmzip
