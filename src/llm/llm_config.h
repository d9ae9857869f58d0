// A pretrained LLM's hyper-parameters, read from a llama.cpp GGUF file's
// metadata (`general.architecture` = llama or qwen2; keys `ARCH.*`). Every
// value is checked, so the forward pass can trust shapes. docs/LLM.md.
#pragma once

#include <cstdint>
#include <string>

#include "gguf/gguf.h"
#include "lmzip/error.h"

namespace lmzip {

enum class LlmArch { llama, qwen2 };
// Which elements rotate together: llama pairs (2i, 2i+1) (llama.cpp's NORM
// mode: its converter permutes Q and K so), qwen2 pairs (i, i + rot/2) (NEOX).
enum class RopeMode { norm, neox };

struct LlmConfig {
  LlmArch arch = LlmArch::llama;
  std::string arch_name;      // general.architecture
  int n_vocab = 0;            // tokens in the vocabulary = rows of token_embd
  int d = 0;                  // embedding_length
  int n_layers = 0;           // block_count
  int n_heads = 0;            // attention.head_count
  int n_kv_heads = 0;         // attention.head_count_kv (grouped-query attention when fewer)
  int hd = 0;                 // d / n_heads
  int ffn = 0;                // feed_forward_length
  int rope_dims = 0;          // rope.dimension_count: the first rope_dims of each head rotate
  int64_t context_length = 0; // positions the model was trained on
  float rms_eps = 1e-5f;      // attention.layer_norm_rms_epsilon
  float rope_base = 10000.f;  // rope.freq_base
  float rope_linear = 1.f;    // rope.scaling.factor with scaling type "linear" (positions divided by it)
  RopeMode rope_mode = RopeMode::norm;
};

// The config of a GGUF file whose architecture lmzip runs; bad_model_file
// naming the key otherwise, unsupported for an architecture or a rope
// scaling it does not implement.
Result<LlmConfig> llm_config_read(const gguf::File& file);

// Whether `file` names an architecture llm_config_read reads.
bool llm_arch_known(const gguf::File& file);

}  // namespace lmzip
