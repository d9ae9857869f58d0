#include "llm/llm_config.h"

#include <cmath>
#include <variant>

namespace lmzip {

namespace {

Status bad(const std::string& msg) { return Status(ErrorCode::bad_model_file, msg); }

const std::string* arch_of(const gguf::File& f) {
  const gguf::Value* v = f.find("general.architecture");
  return v ? std::get_if<std::string>(v) : nullptr;
}

// An integer key of any GGUF integer type, within [lo, hi]; `def` when absent
// (def < 0: required).
Result<int64_t> int_key(const gguf::File& f, const std::string& key, int64_t lo, int64_t hi, int64_t def) {
  const gguf::Value* v = f.find(key);
  if (!v) {
    if (def < 0) return bad("missing key " + key);
    return def;
  }
  int64_t x;
  if (auto* u = std::get_if<uint32_t>(v)) x = int64_t(*u);
  else if (auto* i = std::get_if<int32_t>(v)) x = *i;
  else if (auto* u64 = std::get_if<uint64_t>(v)) x = *u64 > uint64_t(INT64_MAX) ? INT64_MAX : int64_t(*u64);
  else return bad(key + " is not an integer");
  if (x < lo || x > hi)
    return bad(key + " = " + std::to_string(x) + " is outside " + std::to_string(lo) + " .. " + std::to_string(hi));
  return x;
}

Result<float> float_key(const gguf::File& f, const std::string& key, float lo, float hi, float def) {
  const gguf::Value* v = f.find(key);
  if (!v) return def;
  const float* x = std::get_if<float>(v);
  if (!x) return bad(key + " is not a float");
  if (!(*x >= lo && *x <= hi)) return bad(key + " is outside its range");
  return *x;
}

}  // namespace

bool llm_arch_known(const gguf::File& file) {
  const std::string* a = arch_of(file);
  return a && (*a == "llama" || *a == "qwen2");
}

Result<LlmConfig> llm_config_read(const gguf::File& f) {
  const std::string* arch = arch_of(f);
  if (!arch) return bad("no general.architecture");
  if (!llm_arch_known(f)) return bad("architecture '" + *arch + "' is not one lmzip runs (llama, qwen2)");
  LlmConfig c;
  c.arch_name = *arch;
  c.arch = *arch == "qwen2" ? LlmArch::qwen2 : LlmArch::llama;
  c.rope_mode = c.arch == LlmArch::qwen2 ? RopeMode::neox : RopeMode::norm;
  const std::string a = *arch + ".";
  // Bounds keep every product of shapes far inside int64 and every row
  // inside int (the kernels' indices): 2^16 wide, 2^18 feed-forward, 2^10 layers.
  auto d = int_key(f, a + "embedding_length", 1, 1 << 16, -1);
  auto layers = int_key(f, a + "block_count", 1, 1 << 10, -1);
  auto ffn = int_key(f, a + "feed_forward_length", 1, 1 << 18, -1);
  auto heads = int_key(f, a + "attention.head_count", 1, 1 << 12, -1);
  auto ctx = int_key(f, a + "context_length", 1, int64_t{1} << 24, -1);
  for (auto* r : {&d, &layers, &ffn, &heads, &ctx})
    if (!*r) return r->status();
  c.d = int(*d), c.n_layers = int(*layers), c.ffn = int(*ffn), c.n_heads = int(*heads), c.context_length = *ctx;
  if (c.d % c.n_heads != 0) return bad("embedding_length is not a multiple of attention.head_count");
  c.hd = c.d / c.n_heads;
  auto kv = int_key(f, a + "attention.head_count_kv", 1, c.n_heads, c.n_heads);
  if (!kv) return kv.status();
  c.n_kv_heads = int(*kv);
  if (c.n_heads % c.n_kv_heads != 0) return bad("attention.head_count is not a multiple of attention.head_count_kv");
  for (const char* k : {"attention.key_length", "attention.value_length"}) {
    auto len = int_key(f, a + k, 1, 1 << 16, c.hd);
    if (!len) return len.status();
    if (*len != c.hd) return bad(a + k + " differs from embedding_length / head_count, which lmzip does not run");
  }
  auto rot = int_key(f, a + "rope.dimension_count", 2, c.hd, c.hd);
  if (!rot) return rot.status();
  if (*rot % 2 != 0) return bad(a + "rope.dimension_count is odd");
  c.rope_dims = int(*rot);
  auto eps = float_key(f, a + "attention.layer_norm_rms_epsilon", 1e-12f, 1.f, 1e-5f);
  auto base = float_key(f, a + "rope.freq_base", 1.f, 1e12f, 10000.f);
  if (!eps) return eps.status();
  if (!base) return base.status();
  c.rms_eps = *eps, c.rope_base = *base;
  if (const gguf::Value* v = f.find(a + "rope.scaling.type")) {
    const std::string* type = std::get_if<std::string>(v);
    if (!type) return bad(a + "rope.scaling.type is not a string");
    if (*type == "linear") {
      auto factor = float_key(f, a + "rope.scaling.factor", 1e-3f, 1e6f, 1.f);
      if (!factor) return factor.status();
      c.rope_linear = *factor;
    } else if (*type != "none") {
      return bad("rope scaling '" + *type + "' is not one lmzip runs (none, linear)");
    }
  }
  return c;
}

}  // namespace lmzip
