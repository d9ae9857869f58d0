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
#include "lmzip/error.h"
#include "lmzip/model.h"
#include "model/residual_filter.h"
#include "model/token_mixer.h"

namespace lmzip {

class ThreadPool;

inline constexpr int kOutVocab = 256;     // output symbols
inline constexpr uint32_t kMaxTags = 64;   // input_tags: context tags of the input ids
inline constexpr char kArchitecture[] = "lmzipbt";

struct TransformerConfig {
  uint32_t context_length = 0;  // longest chunk the model is meant for
  uint32_t d = 0;               // embedding_length
  uint32_t layers = 0;          // block_count
  uint32_t heads = 0;           // attention.head_count
  uint32_t ffn = 0;             // feed_forward_length
  uint32_t window = 0;          // attention.sliding_window (positions, current included)
  float rope_base = 10000.0f;
  float eps = 1e-5f;
  // Input ids carry the context tag of the position they are input to:
  // id = previous token + 256 * tag, tag < tags (the filter's, e.g. which byte
  // of a 16-bit sample comes next); the first input is bos()
  // (docs/ARCHITECTURE.md). The network's Predictor takes these ids as its
  // symbols; the filtered predictor in front of it composes them.
  uint32_t tags = 1;
  FilterSpec filter;  // residual filter in front of the network (filter.data: what it predicts)
  MixerKind mixer = MixerKind::none;  // adapts the network's distribution to each chunk
  int hd() const { return int(d / heads); }
  int in_vocab() const { return int(256 * tags + 1); }
  int bos() const { return int(256 * tags); }
  // The input id an update() symbol stands for (anything out of range: its low byte).
  int input_id(uint32_t symbol) const { return symbol < uint32_t(bos()) ? int(symbol) : int(symbol & 0xff); }
  // Learned parameters: embeddings, 4 d*d + 2 d*f per block, norms, output.
  uint64_t parameters() const;
};

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
  // Lanes are capped so that their KV caches stay under ~1 GiB.
  std::unique_ptr<Predictor> make_predictor_lanes(size_t lanes) const override;
  // Up to `lanes` lanes (uncapped), groups of lanes running on `pool`'s
  // workers when given (transformer_engine.h; tests, benchmarks).
  std::unique_ptr<Predictor> make_predictor_lanes(size_t lanes, ThreadPool* pool) const;
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
  int64_t rope_rows_ = 0;          // min(context_length, 8192, 2^22 / hd): a bounded table
  const float* token_embd_ = nullptr;
  const float* output_norm_ = nullptr;
  const float* wout_ = nullptr;
  std::vector<LayerWeights> layers_;
};

// Writes the optional keys the loader reads back for a media model: input
// tags, what the model predicts, its filter and its mixer (nothing for a text model).
void transformer_metadata_add_data(gguf::File& f, const FilterSpec& filter, MixerKind mixer = MixerKind::none);

// Parses and validates a model file image (what transformer_model_load does after reading).
Result<std::shared_ptr<const TransformerModel>> transformer_model_parse(std::span<const uint8_t> bytes,
                                                                        const std::string& what);

// Deterministic rotary angles for one position (rope.cpp): cs = [hd/2 cos][hd/2 sin],
// angle_i = pos * base^(-2i/hd), computed in double with only + - * / so every
// IEEE-754 machine gets the same bits (libm's sin/cos/pow differ between systems).
void rope_angles(int hd, float base, int64_t pos, float* cs);

// A random-weights model file (tests, benchmarks, `lmzip model random`).
struct RandomModelOptions {
  uint32_t d = 64, layers = 4, heads = 4, ffn = 0 /* 0: 4d */, context_length = 2048,
           window = 256;
  uint64_t seed = 1;
  std::string filter = "none";  // with `data`: residual filter and what the model predicts
  std::string mixer = "none";   // token mixer (lmzip.mixer), written when not "none"
  DataSpec data;
  bool f16 = false;
  std::string name;  // empty: "lmzip-random-<d>x<layers>-s<seed>"
};
gguf::File transformer_random_gguf(const RandomModelOptions& options);

}  // namespace lmzip
