// Random-weights model files: for tests and benchmarks until trained models
// ship. Deterministic in the seed (splitmix64), so a given command line always
// writes the same bytes, hence the same model identity.
#include <cmath>

#include "lmzip/model_random.h"
#include "transformer/transformer.h"

namespace lmzip {

namespace {

struct SplitMix64 {
  uint64_t s;
  uint64_t next() {
    uint64_t z = (s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  // Uniform in [-1, 1).
  float uniform() { return float(double(next() >> 40) / double(1ull << 23) - 1.0); }
};

}  // namespace

gguf::File transformer_random_gguf(const RandomModelOptions& o) {
  TransformerConfig c = o;
  if (c.ffn == 0) c.ffn = 4 * c.d;
  c.tags = c.filter.tags();
  const ModelLabel label{o.name.empty() ? "lmzip-random-" + std::to_string(c.d) + "x" + std::to_string(c.layers) +
                                              "-s" + std::to_string(o.seed)
                                        : o.name,
                         "CC0-1.0", "none: random weights (seed " + std::to_string(o.seed) + ")"};
  gguf::File f;
  transformer_metadata_write(f, c, label);

  SplitMix64 rng{o.seed};
  // Uniform in offset +- scale, drawn in file order. Scales chosen so
  // activations stay O(1) and the output distribution is neither uniform nor
  // one-hot: the interesting regime for tests.
  const float sd = float(std::sqrt(3.0 / c.d)), sf = float(std::sqrt(3.0 / c.ffn));
  std::vector<float> values;
  for (const TensorSpec& t : transformer_tensors(c)) {
    float scale = sd, offset = 0.0f;
    switch (t.role) {
      case TensorRole::token_embd: scale = 1.0f; break;
      case TensorRole::attn_q:
      case TensorRole::attn_k: scale = 2.0f * sd; break;
      case TensorRole::ffn_down: scale = sf; break;
      case TensorRole::attn_norm:
      case TensorRole::ffn_norm:
      case TensorRole::output_norm: scale = 0.1f, offset = 1.0f; break;
      default: break;  // attn_v, attn_output, ffn_up, output: sd
    }
    values.resize(size_t(t.elements()));
    for (float& x : values) x = offset + scale * rng.uniform();
    f.tensors.push_back(transformer_tensor_make(t, values.data(), o.f16));
  }
  return f;
}

Status model_random_write(const RandomModelSpec& s, const std::string& path) {
  if (s.heads == 0 || s.d % s.heads || (s.d / s.heads) % 2)
    return Status(ErrorCode::invalid_argument, "d must be heads times an even head size");
  if (s.d < 2 || s.d > 4096 || s.layers < 1 || s.layers > 256 || s.context_length < 1 ||
      s.context_length > (1u << 24) || s.window < 1 || s.window > (1u << 20) || s.ffn > 65536)
    return Status(ErrorCode::invalid_argument, "model shape out of range");
  // The public spec's one conversion to the options.
  RandomModelOptions o;
  o.d = s.d;
  o.layers = s.layers;
  o.heads = s.heads;
  o.ffn = s.ffn;
  o.context_length = s.context_length;
  o.window = s.window;
  o.seed = s.seed;
  o.f16 = s.f16;
  o.name = s.name;
  gguf::File f = transformer_random_gguf(o);
  // Validate with the loader itself: what we write, we can read.
  std::vector<uint8_t> bytes = gguf::gguf_serialize(f);
  if (auto m = transformer_model_parse(bytes, "random model"); !m) return m.status();
  return gguf::gguf_write(f, path);
}

}  // namespace lmzip
