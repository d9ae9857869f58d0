// The forward pass of a pretrained LLM over one sequence with a KV cache:
// T positions per call (the encoder runs a chunk's tokens in segments, the
// decoder one token at a time). Per layer:
//   h = rmsnorm(x) attn_norm;  q, k, v = h Wq, h Wk, h Wv (+ biases, qwen2);
//   rotary angles on q and k (llama: pairs 2i, 2i+1; qwen2: i, i + rot/2):
//     y0 = x0 c - x1 s, y1 = x0 s + x1 c;
//   attention per head over positions 0 .. p (grouped-query: head h reads
//     kv head h / (n_heads / n_kv)): s_j = (fma chain over c of q_c k_jc) * (1 / sqrt(hd)),
//     m = max s_j, e_j = exp(s_j - m) (our exp), den = sum of e_j ascending,
//     o_c = fma chain over ascending j of e_j v_jc, out_c = o_c / den;
//   x = x + out Wo;  h = rmsnorm(x) ffn_norm;
//   x = x + (silu(h Wgate) * (h Wup)) Wdown, silu(g) = g / (1 + exp(-g));
// then logits = rmsnorm(x) output_norm Wout. Matrix products: llm_matrix.h.
// Every row is computed by the same operations in the same order whatever T,
// so a segment and the same positions one at a time agree bit for bit.
#pragma once

#include <algorithm>
#include <cstdint>
#include <memory>
#include <vector>

#include "llm/llm_model.h"

namespace lmzip {

class LlmEngine {
 public:
  // Up to `max_lanes` sequences stepped together (the decoder's lockstep).
  LlmEngine(std::shared_ptr<const LlmModel> model, size_t max_lanes = 1);

  size_t max_lanes() const { return k_.size(); }
  // Starts `lanes` sequences at position 0.
  void reset(size_t lanes);
  // From now on only lanes [0, active) advance (the others have ended).
  void retire(size_t active) { lanes_ = std::max<size_t>(1, std::min(lanes_, active)); }
  size_t active() const { return lanes_; }
  int64_t position() const { return pos_; }
  // One lane: runs ids[0 .. T) at positions position() .. position() + T - 1.
  // Many lanes: T = 1, ids[b] the input of lane b < active(). Keeps their keys and values, writes logits
  // (rows, n_vocab) unless null, and advances position() by T.
  void forward(const Symbol* ids, int T, float* logits);

  // KV bytes of one sequence of `positions` positions.
  static uint64_t kv_bytes(const LlmConfig& c, int64_t positions);

 private:
  // Rows [0, R) of this call: the attention of row r (lane lane_of(r) at
  // position pos_of(r)) for layer l into att_.
  void attend(int l, int R, bool lanes);
  // in (R, K) quantised into xq_ if w is a block type; then out = in W (+ r).
  void matmul(float* out, int ldo, const float* in, int ldi, int R, const LlmMatrix& w, const float* r);
  void reserve(int64_t positions);

  std::shared_ptr<const LlmModel> model_;
  const LlmConfig& c_;
  int64_t pos_ = 0;
  size_t lanes_ = 1;
  int64_t cap_ = 0;                                     // positions the caches hold
  std::vector<std::vector<std::vector<float>>> k_, v_;  // [lane][layer] (cap_, n_kv hd)
  std::vector<float> x_, h_, q_, k_new_, v_new_, att_, g_, u_, cs_, scores_;
  LlmQ8 xq_;
  const float* xq_of_ = nullptr;  // the activations xq_ holds (quantised once for q, k, v)
};

// Logits (M, n) to coder frequencies (M, n), totals (M): m = max l_i,
// e_i = exp(l_i - m) (our exp), sum = double sum of e_i ascending,
// f_i = 1 + trunc(double(e_i) * (S / sum)) with S = 2^30 - 2^24: every
// f_i >= 1, total <= n + S < 2^30 for n <= 2^23.
void llm_freqs(int M, int n, const float* logits, uint32_t* freqs, uint32_t* totals);
inline constexpr int kLlmMaxVocab = 1 << 23;

}  // namespace lmzip
