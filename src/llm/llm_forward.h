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

#include <cstdint>
#include <memory>
#include <vector>

#include "llm/llm_model.h"

namespace lmzip {

class LlmEngine {
 public:
  explicit LlmEngine(std::shared_ptr<const LlmModel> model);

  void reset() { pos_ = 0; }
  int64_t position() const { return pos_; }
  // Runs ids[0 .. T) at positions position() .. position() + T - 1, keeps
  // their keys and values, and writes logits (T, n_vocab) unless null.
  void forward(const Symbol* ids, int T, float* logits);

 private:
  // The attention of rows [0, T) at positions pos_ .. for layer l: att (T, n_heads hd).
  void attend(int l, int T);
  // in (T, K) quantised into xq_ if w is a block type; then out = in W (+ r).
  void matmul(float* out, int ldo, const float* in, int ldi, int T, const LlmMatrix& w, const float* r);

  std::shared_ptr<const LlmModel> model_;
  const LlmConfig& c_;
  int64_t pos_ = 0;
  int64_t cap_ = 0;                         // positions the caches hold
  std::vector<std::vector<float>> k_, v_;   // per layer (cap_, n_kv hd)
  std::vector<float> x_, h_, q_, k_new_, v_new_, att_, g_, u_, cs_, scores_;
  LlmQ8 xq_;
  const float* xq_of_ = nullptr;            // the activations xq_ holds (quantised once for q, k, v)
};

// Logits (M, n) to coder frequencies (M, n), totals (M): m = max l_i,
// e_i = exp(l_i - m) (our exp), sum = double sum of e_i ascending,
// f_i = 1 + trunc(double(e_i) * (S / sum)) with S = 2^30 - 2^24: every
// f_i >= 1, total <= n + S < 2^30 for n <= 2^23.
void llm_freqs(int M, int n, const float* logits, uint32_t* freqs, uint32_t* totals);
inline constexpr int kLlmMaxVocab = 1 << 23;

}  // namespace lmzip
