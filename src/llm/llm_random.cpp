// Random-weight llama / qwen2 models: the engine's tests for every tensor
// type, and the speed benchmark's model (bench/bench_llm.cpp).
#include <cmath>
#include <cstring>

#include "common/f16.h"
#include "gguf/gguf.h"
#include "lmzip/llm.h"
#include "tokenizer/tokenizer_vocab.h"

namespace lmzip {

namespace {

struct Rng {
  uint64_t s;
  uint64_t next() {  // splitmix64
    uint64_t z = (s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  float uniform() { return float(next() >> 40) / float(1 << 24) * 2.f - 1.f; }  // [-1, 1)
};

void put_f16(uint8_t* p, float x) {
  const uint16_t h = f32_to_f16(x);
  p[0] = uint8_t(h), p[1] = uint8_t(h >> 8);
}

// n values of about `scale` in magnitude, as `type`.
std::vector<uint8_t> random_data(gguf::TensorType type, uint64_t n, float scale, Rng& rng) {
  const gguf::TypeLayout l = gguf::type_layout(type);
  std::vector<uint8_t> out(size_t(n / l.block * l.bytes));
  uint8_t* p = out.data();
  switch (type) {
    case gguf::TensorType::f32:
      for (uint64_t i = 0; i < n; ++i) {
        const float x = rng.uniform() * scale;
        std::memcpy(p + 4 * i, &x, 4);
      }
      break;
    case gguf::TensorType::f16:
      for (uint64_t i = 0; i < n; ++i) put_f16(p + 2 * i, rng.uniform() * scale);
      break;
    case gguf::TensorType::bf16:
      for (uint64_t i = 0; i < n; ++i) {
        const float x = rng.uniform() * scale;
        uint32_t u;
        std::memcpy(&u, &x, 4);
        p[2 * i] = uint8_t(u >> 16), p[2 * i + 1] = uint8_t(u >> 24);
      }
      break;
    default:  // block types: random payload bytes, scales chosen for the magnitude
      for (auto& b : out) b = uint8_t(rng.next());
      for (uint64_t blk = 0; blk < n / l.block; ++blk) {
        uint8_t* b = p + blk * l.bytes;
        switch (type) {
          case gguf::TensorType::q8_0: put_f16(b, scale / 64.f); break;
          case gguf::TensorType::q4_0: put_f16(b, scale / 4.f); break;
          case gguf::TensorType::q4_k:
            put_f16(b, scale / 256.f);      // d * scale(0..63) * q(0..15)
            put_f16(b + 2, scale / 32.f);   // dmin * min(0..63)
            break;
          default:                          // q6_k: int8 scales kept small
            for (int i = 0; i < 16; ++i) b[192 + i] = uint8_t(int8_t(int(b[192 + i] % 17) - 8));
            put_f16(b + 208, scale / 64.f);
            break;
        }
      }
  }
  return out;
}

std::optional<gguf::TensorType> type_named(const std::string& s) {
  const std::pair<const char*, gguf::TensorType> kTypes[] = {
      {"f32", gguf::TensorType::f32},   {"f16", gguf::TensorType::f16},   {"bf16", gguf::TensorType::bf16},
      {"q8_0", gguf::TensorType::q8_0}, {"q4_0", gguf::TensorType::q4_0}, {"q4_k", gguf::TensorType::q4_k},
      {"q6_k", gguf::TensorType::q6_k}};
  for (auto& [n, t] : kTypes)
    if (s == n) return t;
  return std::nullopt;
}

// <unk>, <s>, </s>, the 256 byte tokens, U+2581, then letter strings (with
// and without a leading U+2581), shortest first, until `n` tokens.
TokenizerVocab random_vocab(uint32_t n) {
  TokenizerVocab v;
  v.kind = TokenizerKind::spm;
  auto add = [&](std::string t, TokenType type) {
    v.tokens.push_back(std::move(t));
    v.types.push_back(type);
    v.scores.push_back(-float(v.tokens.size()));
  };
  add("<unk>", TokenType::unknown);
  add("<s>", TokenType::control);
  add("</s>", TokenType::control);
  static const char* hex = "0123456789ABCDEF";
  for (int b = 0; b < 256; ++b) add(std::string("<0x") + hex[b >> 4] + hex[b & 15] + ">", TokenType::byte);
  const std::string space = "\xE2\x96\x81";
  add(space, TokenType::normal);
  std::vector<std::string> level = {""};
  while (v.tokens.size() < n) {
    std::vector<std::string> longer;
    for (const auto& s : level)
      for (char c = 'a'; c <= 'z'; ++c) longer.push_back(s + c);
    for (const auto& s : longer) {
      if (v.tokens.size() < n) add(s, TokenType::normal);
      if (v.tokens.size() < n) add(space + s, TokenType::normal);
    }
    level = std::move(longer);
  }
  v.unk_id = 0, v.bos_id = 1, v.eos_id = 2;
  v.add_bos = true;
  v.add_space_prefix = true;
  return v;
}

}  // namespace

Status model_random_llm_write(const LlmRandomSpec& s, const std::string& path) {
  auto bad = [](const std::string& m) { return Status(ErrorCode::invalid_argument, "random model: " + m); };
  const auto type = type_named(s.type);
  if (!type) return bad("no tensor type '" + s.type + "' (f32, f16, bf16, q8_0, q4_0, q4_k, q6_k)");
  if (s.arch != "llama" && s.arch != "qwen2") return bad("architecture must be llama or qwen2");
  if (s.d == 0 || s.heads == 0 || s.kv_heads == 0 || s.d % s.heads != 0 || s.heads % s.kv_heads != 0 ||
      (s.d / s.heads) % 2 != 0 || s.layers == 0 || s.ffn == 0 || s.vocab < 300 || s.vocab > (1u << 20) ||
      s.d > 65536 || s.ffn > 262144 || s.layers > 1024 || s.context_length == 0)
    return bad("inconsistent shape");
  const uint32_t block = gguf::type_layout(*type).block;
  const uint32_t kvd = s.d / s.heads * s.kv_heads;
  if (s.d % block != 0 || s.ffn % block != 0)
    return bad("d and ffn must be multiples of " + std::to_string(block) + " for " + s.type);
  Rng rng{s.seed};
  gguf::File f;
  auto add = [&](const std::string& name, std::vector<uint64_t> dims, gguf::TensorType t, std::vector<uint8_t> data) {
    gguf::Tensor tensor;
    tensor.name = name;
    tensor.dims = std::move(dims);
    tensor.type = t;
    tensor.data = std::move(data);
    f.tensors.push_back(std::move(tensor));
  };
  auto ones = [](uint64_t n) {
    std::vector<uint8_t> b(size_t(n) * 4);
    const float one = 1.f;
    for (uint64_t i = 0; i < n; ++i) std::memcpy(b.data() + 4 * i, &one, 4);
    return b;
  };
  const float w = 1.f / std::sqrt(float(s.d));  // keeps activations of order 1
  const auto f32 = gguf::TensorType::f32;
  add("token_embd.weight", {s.d, s.vocab}, *type, random_data(*type, uint64_t(s.d) * s.vocab, 1.f, rng));
  for (uint32_t l = 0; l < s.layers; ++l) {
    const std::string p = "blk." + std::to_string(l) + ".";
    add(p + "attn_norm.weight", {s.d}, f32, ones(s.d));
    add(p + "attn_q.weight", {s.d, s.d}, *type, random_data(*type, uint64_t(s.d) * s.d, w, rng));
    add(p + "attn_k.weight", {s.d, kvd}, *type, random_data(*type, uint64_t(s.d) * kvd, w, rng));
    add(p + "attn_v.weight", {s.d, kvd}, *type, random_data(*type, uint64_t(s.d) * kvd, w, rng));
    if (s.arch == "qwen2") {
      add(p + "attn_q.bias", {s.d}, f32, random_data(f32, s.d, 0.1f, rng));
      add(p + "attn_k.bias", {kvd}, f32, random_data(f32, kvd, 0.1f, rng));
      add(p + "attn_v.bias", {kvd}, f32, random_data(f32, kvd, 0.1f, rng));
    }
    add(p + "attn_output.weight", {s.d, s.d}, *type, random_data(*type, uint64_t(s.d) * s.d, w, rng));
    add(p + "ffn_norm.weight", {s.d}, f32, ones(s.d));
    add(p + "ffn_gate.weight", {s.d, s.ffn}, *type, random_data(*type, uint64_t(s.d) * s.ffn, w, rng));
    add(p + "ffn_up.weight", {s.d, s.ffn}, *type, random_data(*type, uint64_t(s.d) * s.ffn, w, rng));
    add(p + "ffn_down.weight", {s.ffn, s.d}, *type,
        random_data(*type, uint64_t(s.ffn) * s.d, 1.f / std::sqrt(float(s.ffn)), rng));
  }
  add("output_norm.weight", {s.d}, f32, ones(s.d));
  add("output.weight", {s.d, s.vocab}, *type, random_data(*type, uint64_t(s.d) * s.vocab, 4.f * w, rng));
  auto& md = f.metadata;
  const std::string a = s.arch + ".";
  md["general.architecture"] = s.arch;
  md["general.name"] = s.name.empty() ? "lmzip-random-llm-" + s.type + "-" + std::to_string(s.d) + "x" +
                                            std::to_string(s.layers)
                                      : s.name;
  md[a + "context_length"] = s.context_length;
  md[a + "embedding_length"] = s.d;
  md[a + "feed_forward_length"] = s.ffn;
  md[a + "block_count"] = s.layers;
  md[a + "attention.head_count"] = s.heads;
  md[a + "attention.head_count_kv"] = s.kv_heads;
  md[a + "attention.layer_norm_rms_epsilon"] = 1e-5f;
  md[a + "rope.freq_base"] = 10000.f;
  tokenizer_vocab_write(random_vocab(s.vocab), f);
  return gguf::gguf_write(f, path);
}

}  // namespace lmzip
