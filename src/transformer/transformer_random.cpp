// Random-weights model files: for tests and benchmarks until trained models
// ship. Deterministic in the seed (splitmix64), so a given command line always
// writes the same bytes, hence the same model identity.
#include <cmath>
#include <cstring>

#include "common/f16.h"
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
  const uint32_t d = o.d, ff = o.ffn ? o.ffn : 4 * o.d;
  gguf::File f;
  const std::string p = std::string(kArchitecture) + ".";
  f.metadata["general.architecture"] = std::string(kArchitecture);
  f.metadata["general.name"] = o.name.empty() ? "lmzip-random-" + std::to_string(d) + "x" +
                                                    std::to_string(o.layers) + "-s" + std::to_string(o.seed)
                                              : o.name;
  f.metadata["general.license"] = std::string("CC0-1.0");
  f.metadata["lmzip.training.data"] = std::string("none: random weights (seed ") + std::to_string(o.seed) + ")";
  f.metadata[p + "context_length"] = o.context_length;
  f.metadata[p + "embedding_length"] = d;
  f.metadata[p + "block_count"] = o.layers;
  f.metadata[p + "attention.head_count"] = o.heads;
  f.metadata[p + "feed_forward_length"] = ff;
  f.metadata[p + "attention.sliding_window"] = o.window;
  f.metadata[p + "rope.freq_base"] = 10000.0f;
  f.metadata[p + "attention.layer_norm_rms_epsilon"] = 1e-5f;
  f.metadata[p + "vocab_size"] = uint32_t(kOutVocab);
  uint32_t tags = 1;
  if (Result<FilterSpec> filter = filter_spec_parse(o.filter, o.data); filter) {
    transformer_metadata_add_data(f, *filter);
    tags = filter->tags();
    if (o.mixer != "none") f.metadata["lmzip.mixer"] = o.mixer;  // unchecked: the loader validates it
  } else {  // callers pass valid filters; an invalid one is written so the loader rejects it
    f.metadata["lmzip.filter"] = o.filter;
  }

  SplitMix64 rng{o.seed};
  // Scales chosen so activations stay O(1) and the output distribution is
  // neither uniform nor one-hot: the interesting regime for tests.
  auto add = [&](const std::string& name, uint64_t rows, uint64_t cols, float scale, float offset) {
    gguf::Tensor t;
    t.name = name;
    t.dims = rows == 1 ? std::vector<uint64_t>{cols} : std::vector<uint64_t>{cols, rows};
    t.type = o.f16 ? gguf::TensorType::f16 : gguf::TensorType::f32;
    const uint64_t n = rows * cols;
    t.data.resize(size_t(n * (o.f16 ? 2 : 4)));
    for (uint64_t i = 0; i < n; ++i) {
      const float x = offset + scale * rng.uniform();
      if (o.f16) {
        const uint16_t h = f32_to_f16(x);
        std::memcpy(t.data.data() + 2 * i, &h, 2);
      } else {
        std::memcpy(t.data.data() + 4 * i, &x, 4);
      }
    }
    f.tensors.push_back(std::move(t));
  };
  const float sd = float(std::sqrt(3.0 / d)), sf = float(std::sqrt(3.0 / ff));
  add("token_embd.weight", 256 * uint64_t(tags) + 1, d, 1.0f, 0.0f);
  for (uint32_t l = 0; l < o.layers; ++l) {
    const std::string b = "blk." + std::to_string(l) + ".";
    add(b + "attn_norm.weight", 1, d, 0.1f, 1.0f);
    add(b + "attn_q.weight", d, d, 2.0f * sd, 0.0f);
    add(b + "attn_k.weight", d, d, 2.0f * sd, 0.0f);
    add(b + "attn_v.weight", d, d, sd, 0.0f);
    add(b + "attn_output.weight", d, d, sd, 0.0f);
    add(b + "ffn_norm.weight", 1, d, 0.1f, 1.0f);
    add(b + "ffn_up.weight", ff, d, sd, 0.0f);
    add(b + "ffn_down.weight", d, ff, sf, 0.0f);
  }
  add("output_norm.weight", 1, d, 0.1f, 1.0f);
  add("output.weight", kOutVocab, d, sd, 0.0f);
  return f;
}

}  // namespace lmzip

namespace lmzip {

Status model_random_write(const RandomModelSpec& s, const std::string& path) {
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
  if (s.heads == 0 || s.d % s.heads || (s.d / s.heads) % 2)
    return Status(ErrorCode::invalid_argument, "d must be heads times an even head size");
  if (s.d < 2 || s.d > 4096 || s.layers < 1 || s.layers > 256 || s.context_length < 1 ||
      s.context_length > (1u << 24) || s.window < 1 || s.window > (1u << 20) || s.ffn > 65536)
    return Status(ErrorCode::invalid_argument, "model shape out of range");
  gguf::File f = transformer_random_gguf(o);
  // Validate with the loader itself: what we write, we can read.
  std::vector<uint8_t> bytes = gguf::gguf_serialize(f);
  if (auto m = transformer_model_parse(bytes, "random model"); !m) return m.status();
  return gguf::gguf_write(f, path);
}

}  // namespace lmzip
