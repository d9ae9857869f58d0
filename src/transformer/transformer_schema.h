// The byte transformer's model: its hyper-parameters (one config type for the
// engine, the trainer and the random-model writer) and its GGUF schema, the
// one table of metadata keys and tensors (names, shapes, order) that the
// loader reads and the random-model writer and the trainer's export write
// (docs/MODEL_FORMAT.md, architecture "lmzipbt").
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "gguf/gguf.h"
#include "lmzip/error.h"
#include "model/residual_filter.h"
#include "model/token_mixer.h"

namespace lmzip {

inline constexpr int kOutVocab = 256;     // output symbols
inline constexpr uint32_t kMaxTags = 64;   // input_tags: context tags of the input ids
inline constexpr char kArchitecture[] = "lmzipbt";

struct TransformerConfig {
  uint32_t context_length = 2048;  // longest chunk the model is meant for
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
  // symbols; the filtered predictor in front of it composes them. A model file
  // stores filter.tags(); the trainer learns a network of `tags` before it
  // knows the filter (its export checks that they agree).
  uint32_t tags = 1;
  FilterSpec filter;  // residual filter in front of the network (filter.data: what it predicts)
  MixerKind mixer = MixerKind::none;  // adapts the network's distribution to each chunk
  int hd() const { return int(d / heads); }
  int in_vocab() const { return int(256 * tags + 1); }
  int bos() const { return int(256 * tags); }
  // The input id an update() symbol stands for (anything out of range: its low byte).
  int input_id(uint32_t symbol) const { return symbol < uint32_t(bos()) ? int(symbol) : int(symbol & 0xff); }
  // Learned parameters: the elements of every tensor of transformer_tensors().
  uint64_t parameters() const;
};

// What a model file says about itself besides its shape.
struct ModelLabel {
  std::string name;           // general.name: the model's name in .lmz frames
  std::string license;        // general.license
  std::string training_data;  // lmzip.training.data
};

// ---- tensors ----------------------------------------------------------------------

enum class TensorRole : uint8_t {
  token_embd, attn_norm, attn_q, attn_k, attn_v, attn_output, ffn_norm, ffn_up, ffn_down, output_norm, output
};

// How the engine stores a tensor: an input table read row by row as stored,
// a matrix transposed to (in, out) for the kernels, or a norm gain (a vector,
// kept f32 by the trainer's f16 export and free of weight decay).
enum class TensorKind : uint8_t { embedding, matrix, gain };

struct TensorSpec {
  std::string name;  // e.g. "blk.3.attn_q.weight"
  TensorRole role;
  TensorKind kind;
  int layer;         // block index, -1 for the tensors outside the blocks
  uint64_t rows;     // [out][in] as docs/ARCHITECTURE.md writes them; 1 for a gain
  uint64_t cols;
  uint64_t elements() const { return rows * cols; }
  // GGUF dims, fastest-varying first: {cols, rows}, or {cols} for a gain.
  std::vector<uint64_t> dims() const;
};

// Every tensor of a model of shape `c`, in file order: token_embd, then per
// block attn_norm, attn_q, attn_k, attn_v, attn_output, ffn_norm, ffn_up,
// ffn_down, then output_norm and output.
std::vector<TensorSpec> transformer_tensors(const TransformerConfig& c);

// A GGUF tensor holding `values` (spec.rows x spec.cols row-major) as f32 or
// f16, little-endian on any host.
gguf::Tensor transformer_tensor_make(const TensorSpec& spec, const float* values, bool f16);

// ---- metadata ---------------------------------------------------------------------

// Every metadata key of a model of config `c`: the architecture, the label,
// the hyper-parameters, and for a media model (filter.data not bytes) input
// tags, what the model predicts, its filter and its mixer.
void transformer_metadata_write(gguf::File& f, const TransformerConfig& c, const ModelLabel& label);

// Reads and validates the hyper-parameters, data, filter and mixer (every
// range and consistency rule of docs/MODEL_FORMAT.md); `what` prefixes errors.
Result<TransformerConfig> transformer_metadata_read(const gguf::File& f, const std::string& what);

// A string metadata value, empty when absent or not a string.
std::string gguf_string(const gguf::File& f, const std::string& key);
// A hyper-parameter as messages and `lmzip model info` show it ("%g").
std::string float_text(float x);

}  // namespace lmzip
