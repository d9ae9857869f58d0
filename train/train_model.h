// The trainable byte transformer: parameters in one allocation, gradients in
// another, activations sized for a (B, T) batch, forward and backward.
// Instantiated for float (training) and double (gradient tests).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "lmzip/error.h"
#include "train_layers.h"
#include "transformer/transformer_schema.h"

namespace lmzip::train {

// The engine's config (transformer_schema.h), so that the export writes the
// trained shape as is. The trainer learns a network of `tags` input tags;
// context_length, filter and mixer only matter to the export, which sets them.
using ModelConfig = TransformerConfig;

// The shapes this trainer takes (ranges, even head width, at most 2^30 parameters).
Status config_validate(const ModelConfig& c);
// Multiply-adds x2 per byte for one forward pass over a T-byte chunk (mean
// over positions), counting only the useful (unmasked) attention entries.
// out_vocab: the output symbols, 256 bytes or a BPE vocabulary (train_bpe.h).
double forward_flops_per_byte(const ModelConfig& c, int T, int out_vocab = kVocabOut);
std::string config_describe(const ModelConfig& c);

// Offsets (in elements) of each tensor inside the parameter array. Per-layer
// tensors are stacked over layers; q, k and v are one (3C, C) matrix per layer
// so the projection is a single product.
struct ParamLayout {
  size_t wte, attn_norm, wqkv, wo, ffn_norm, wup, wdown, out_norm, wout, total;
  explicit ParamLayout(const ModelConfig& c, int out_vocab = kVocabOut);
};

template <class R>
struct ParamView {
  R* wte;        // (in_vocab, C)
  R* attn_norm;  // (L, C)
  R* wqkv;       // (L, 3C, C)
  R* wo;         // (L, C, C)
  R* ffn_norm;   // (L, C)
  R* wup;        // (L, F, C)
  R* wdown;      // (L, C, F)
  R* out_norm;   // (C)
  R* wout;       // (out_vocab, C)
};

// Which parameter elements get weight decay: the matrices, not the norm gains.
std::vector<uint8_t> decay_mask(const ModelConfig& c, int out_vocab = kVocabOut);

template <class R>
class Model {
 public:
  // out_vocab: 256 (bytes, what the engine runs) or a token vocabulary for
  // the tokenization study (inputs below config.bos(), so config.tags sets
  // the input vocabulary: 256 * tags >= out_vocab).
  explicit Model(const ModelConfig& config, int out_vocab = kVocabOut);
  int out_vocab() const { return out_vocab_; }

  const ModelConfig& config() const { return cfg_; }
  size_t num_params() const { return params_.size(); }
  std::vector<R>& params() { return params_; }
  const std::vector<R>& params() const { return params_; }
  std::vector<R>& grads() { return grads_; }
  ParamView<R> view() { return view_of(params_.data()); }
  ParamView<R> grad_view() { return view_of(grads_.data()); }

  // N(0, 0.02) matrices, residual projections scaled by 1/sqrt(2L), gains 1.
  void init(uint64_t seed);

  // inputs, targets: (B, T). Position 0 of each row is normally kBos.
  // With targets, returns the mean loss in nats and keeps what backward needs;
  // without, only fills probs(). With keep = false (inference) per-layer
  // activations are recycled and backward is not allowed.
  double forward(const int* inputs, const int* targets, int B, int T, bool keep = true);
  // Gradients of the mean loss of the last forward; accumulates into grads().
  void backward();
  void zero_grad();

  const R* probs() const { return probs_.data(); }       // (B, T, out_vocab) after forward
  const R* losses() const { return losses_.data(); }     // (B, T) nats, with targets

 private:
  struct LayerActs {
    std::vector<R> ln1, ln1_rstd, qkv, att, atty, x2, ln2, ln2_rstd, fch, fch_gelu, fch_dgelu, x3;
  };
  ParamView<R> view_of(R* base) const;
  void resize(int B, int T, bool keep);

  ModelConfig cfg_;
  int out_vocab_;
  ParamLayout layout_;
  std::vector<R> params_, grads_;

  int B_ = 0, T_ = 0, nlayer_bufs_ = 0;
  bool kept_ = false, have_targets_ = false;
  std::vector<int> inputs_, targets_;
  std::vector<R> encoded_;          // (B, T, C)
  std::vector<LayerActs> layers_;
  std::vector<R> lnf_, lnf_rstd_;   // (B, T, C), (B, T)
  std::vector<R> probs_, losses_;   // (B, T, 256), (B, T)
  std::vector<R> rope_cos_, rope_sin_;
  int rope_T_ = 0;
  // Backward scratch shared by all layers.
  std::vector<R> dres_, dln_, datty_, dqkv_, dfch_, dprobs_, dattn_scratch_;
};

extern template class Model<float>;
extern template class Model<double>;

}  // namespace lmzip::train
