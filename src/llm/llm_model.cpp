// Loading a llama / qwen2 GGUF file: every tensor's presence, shape and type
// is checked against the config before anything runs.
#include "llm/llm_model.h"

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <set>
#include <variant>

#include "common/sha256.h"
#include "gguf/gguf_dequant.h"
#include "kernels/rope_angles.h"
#include "llm/llm_forward.h"

namespace lmzip {

namespace {

Status bad(const std::string& what, const std::string& msg) { return Status(ErrorCode::bad_model_file, what + ": " + msg); }

std::string dims_text(const gguf::Tensor& t) {
  std::string s;
  for (uint64_t x : t.dims) s += (s.empty() ? "" : ", ") + std::to_string(x);
  return "{" + s + "}";
}

// The chunk size lmzip codes with by default: about two bytes per position
// the model was trained on (text runs 2 to 4 bytes per token), 256 .. 8 KiB.
uint32_t chunk_size_for(int64_t context_length) {
  return uint32_t(std::clamp<int64_t>(2 * context_length, 256, 8192));
}

}  // namespace

Result<std::shared_ptr<const LlmModel>> LlmModel::from_gguf(gguf::File file, const Sha256& identity,
                                                            uint64_t file_bytes, const std::string& what,
                                                            const std::string& name) {
  auto cfg = llm_config_read(file);
  if (!cfg) return bad(what, cfg.status().message());
  auto tok = tokenizer_create(file);
  if (!tok) return bad(what, tok.status().message());
  auto m = std::shared_ptr<LlmModel>(new LlmModel());
  m->c_ = *cfg;
  m->file_ = std::move(file);
  m->tokenizer_ = std::move(*tok);
  LlmConfig& c = m->c_;
  const TokenizerVocab& vocab = m->tokenizer_->vocab();
  c.n_vocab = int(vocab.tokens.size());
  if (c.n_vocab < 2 || c.n_vocab > kLlmMaxVocab) return bad(what, "vocabulary of " + std::to_string(c.n_vocab) + " tokens");
  const int32_t start = vocab.add_bos && vocab.bos_id >= 0 ? vocab.bos_id : vocab.bos_id >= 0 ? vocab.bos_id : vocab.eos_id;
  if (start < 0) return bad(what, "the vocabulary names no BOS or EOS token to start a chunk with");
  m->start_id_ = Symbol(start);

  const gguf::File& f = m->file_;
  std::set<std::string> used;
  auto tensor = [&](const std::string& name, std::vector<uint64_t> dims, bool optional) -> Result<const gguf::Tensor*> {
    const gguf::Tensor* t = f.find_tensor(name);
    if (!t) {
      if (optional) return static_cast<const gguf::Tensor*>(nullptr);
      return bad(what, "missing tensor '" + name + "'");
    }
    if (t->dims != dims) return bad(what, "tensor '" + name + "' has dims " + dims_text(*t));
    used.insert(name);
    return t;
  };
  const uint64_t d = uint64_t(c.d), kvd = uint64_t(c.n_kv_heads) * uint64_t(c.hd), ffn = uint64_t(c.ffn);
  const uint64_t V = uint64_t(c.n_vocab);
  // Norms and biases, f32 in one allocation: offsets first, pointers once it is final.
  std::vector<std::pair<const gguf::Tensor*, size_t>> vecs;
  size_t floats = 0;
  auto vec = [&](const gguf::Tensor* t) {
    if (!t) return size_t(SIZE_MAX);
    vecs.push_back({t, floats});
    floats += size_t(t->elements());
    return vecs.back().second;
  };
  auto matrix = [&](const std::string& name, uint64_t n, uint64_t k) -> Result<LlmMatrix> {
    auto t = tensor(name, {k, n}, false);
    if (!t) return t.status();
    auto mat = llm_matrix_make(**t, int(n), int(k));
    if (!mat) return bad(what, mat.status().message());
    return mat;
  };
  auto embd = tensor("token_embd.weight", {d, V}, false);
  if (!embd) return embd.status();
  m->token_embd_ = *embd;
  auto onorm = tensor("output_norm.weight", {d}, false);
  if (!onorm) return onorm.status();
  const size_t onorm_at = vec(*onorm);
  auto out = tensor("output.weight", {d, V}, true);
  if (!out) return out.status();
  auto out_m = llm_matrix_make(*out ? **out : **embd, int(V), int(d));  // tied embeddings when absent
  if (!out_m) return bad(what, out_m.status().message());
  m->output_ = std::move(*out_m);
  struct Offsets {
    size_t attn_norm, ffn_norm, bq, bk, bv;
  };
  std::vector<Offsets> offs;
  m->layers_.resize(size_t(c.n_layers));
  for (int l = 0; l < c.n_layers; ++l) {
    const std::string p = "blk." + std::to_string(l) + ".";
    LlmLayer& L = m->layers_[size_t(l)];
    Offsets o{};
    auto an = tensor(p + "attn_norm.weight", {d}, false);
    auto fn = tensor(p + "ffn_norm.weight", {d}, false);
    if (!an) return an.status();
    if (!fn) return fn.status();
    o.attn_norm = vec(*an), o.ffn_norm = vec(*fn);
    const bool biases = c.arch == LlmArch::qwen2;
    auto bq = tensor(p + "attn_q.bias", {d}, !biases);
    auto bk = tensor(p + "attn_k.bias", {kvd}, !biases);
    auto bv = tensor(p + "attn_v.bias", {kvd}, !biases);
    for (auto* r : {&bq, &bk, &bv})
      if (!*r) return r->status();
    o.bq = vec(*bq), o.bk = vec(*bk), o.bv = vec(*bv);
    offs.push_back(o);
    struct {
      LlmMatrix* m;
      const char* name;
      uint64_t n, k;
    } mats[] = {{&L.wq, "attn_q", d, d},       {&L.wk, "attn_k", kvd, d},   {&L.wv, "attn_v", kvd, d},
                {&L.wo, "attn_output", d, d},  {&L.gate, "ffn_gate", ffn, d}, {&L.up, "ffn_up", ffn, d},
                {&L.down, "ffn_down", d, ffn}};
    for (auto& e : mats) {
      auto mm = matrix(p + e.name + ".weight", e.n, e.k);
      if (!mm) return mm.status();
      *e.m = std::move(*mm);
    }
  }
  // llama 3's per-pair frequency factors; other tensors llama.cpp may write
  // (rope_freqs of other kinds) are not run.
  auto freqs = tensor("rope_freqs.weight", {uint64_t(c.rope_dims / 2)}, true);
  if (!freqs) return freqs.status();
  for (const gguf::Tensor& t : f.tensors)
    if (!used.count(t.name)) return bad(what, "tensor '" + t.name + "' is not one lmzip runs");

  m->vectors_.resize(floats);
  for (auto& [t, at] : vecs)
    if (Status st = gguf::dequantize(*t, {m->vectors_.data() + at, size_t(t->elements())}); !st) return bad(what, st.message());
  auto ptr = [&](size_t at) { return at == SIZE_MAX ? nullptr : m->vectors_.data() + at; };
  m->output_norm_ = ptr(onorm_at);
  for (int l = 0; l < c.n_layers; ++l) {
    LlmLayer& L = m->layers_[size_t(l)];
    const Offsets& o = offs[size_t(l)];
    L.attn_norm = ptr(o.attn_norm), L.ffn_norm = ptr(o.ffn_norm), L.bq = ptr(o.bq), L.bk = ptr(o.bk), L.bv = ptr(o.bv);
  }
  // Angles per pair: base^(-2i/rot), over the linear scaling factor and llama 3's factors, in double.
  m->rope_theta_ = rope_thetas(c.rope_dims, c.rope_base);
  std::vector<float> factors(m->rope_theta_.size(), 1.f);
  if (*freqs)
    if (Status st = gguf::dequantize(**freqs, factors); !st) return bad(what, st.message());
  for (size_t i = 0; i < factors.size(); ++i) {
    if (!(factors[i] > 0.f && factors[i] < 1e30f)) return bad(what, "rope_freqs.weight holds a value that is not positive");
    m->rope_theta_[i] = m->rope_theta_[i] / double(c.rope_linear) / double(factors[i]);
  }

  m->byte_ids_.fill(-1);
  for (int i = 0; i < c.n_vocab; ++i) {
    const std::string_view piece = m->tokenizer_->piece(i, false);
    if (vocab.types[size_t(i)] == TokenType::byte && piece.size() == 1) m->byte_ids_[uint8_t(piece[0])] = i;
  }


  uint64_t params = 0;
  std::set<std::string> types;
  for (const gguf::Tensor& t : f.tensors) {
    params += t.elements();
    types.insert(gguf::type_layout(t.type).name);
  }
  std::string type_list;
  for (const auto& t : types) type_list += (type_list.empty() ? "" : ", ") + t;
  m->chunk_size_ = chunk_size_for(c.context_length);
  ModelInfo& info = m->info_;
  info.name = name;
  info.identity = identity;
  info.parameters = params;
  info.file_bytes = file_bytes;
  info.alphabet = uint32_t(c.n_vocab);
  const char* kinds[] = {"spm", "bpe"};
  std::string general_name;
  if (const gguf::Value* v = f.find("general.name"))
    if (auto* s = std::get_if<std::string>(v)) general_name = *s;
  info.properties = {{"general.name", general_name},
                     {"architecture", c.arch_name},
                     {"tokenizer", std::string(kinds[int(vocab.kind)]) + (vocab.pre.empty() ? "" : " (" + vocab.pre + ")")},
                     {"vocabulary", std::to_string(c.n_vocab)},
                     {"tensor_types", type_list},
                     {"embedding_length", std::to_string(c.d)},
                     {"block_count", std::to_string(c.n_layers)},
                     {"head_count", std::to_string(c.n_heads)},
                     {"head_count_kv", std::to_string(c.n_kv_heads)},
                     {"feed_forward_length", std::to_string(c.ffn)},
                     {"context_length", std::to_string(c.context_length)},
                     {"rope_freq_base", std::to_string(c.rope_base)}};
  return std::shared_ptr<const LlmModel>(std::move(m));
}

void LlmModel::embed(Symbol id, float* x) const {
  const gguf::Tensor& t = *token_embd_;
  const gguf::TypeLayout l = gguf::type_layout(t.type);
  const size_t row_bytes = size_t(c_.d) / l.block * l.bytes;
  gguf::dequantize_row(t.type, t.bytes().data() + size_t(id) * row_bytes, x, c_.d);
}

void LlmModel::rope(int64_t pos, float* cs) const { rope_angles(rope_theta_, pos, cs); }

bool LlmModel::tokens(std::span<const uint8_t> bytes, std::vector<Symbol>& ids) const {
  const std::string_view s(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  std::vector<int32_t> t = tokenizer_->encode(s);
  if (tokenizer_->decode(t) != s) {
    // The tokenizer does not give these bytes back (SPM turns a U+2581 in the
    // text into a space): spell them with byte tokens, where it has them.
    t.clear();
    for (uint8_t b : bytes) {
      if (byte_ids_[b] < 0) return false;
      t.push_back(byte_ids_[b]);
    }
    if (tokenizer_->decode(t) != s) return false;
  }
  ids.assign(t.begin(), t.end());
  return !ids.empty();
}

std::string_view LlmModel::text(Symbol id, bool first) const {
  if (id >= Symbol(c_.n_vocab)) return {};
  return tokenizer_->piece(int32_t(id), first);
}

uint32_t LlmModel::window() const { return uint32_t(std::clamp<int64_t>(c_.context_length, 16, 4096)); }

Result<std::shared_ptr<const Model>> llm_model_load(const std::string& path, gguf::File file) {
  auto identity = sha256_file(path);
  if (!identity) return identity.status();
  std::error_code ec;
  const uint64_t bytes = std::filesystem::file_size(path, ec);
  std::string name = std::filesystem::path(path).stem().string().substr(0, 64);
  for (char& ch : name)
    if (ch < 0x21 || ch > 0x7E) ch = '_';
  if (name.empty()) name = "llm";
  auto m = LlmModel::from_gguf(std::move(file), *identity, ec ? 0 : bytes, "'" + path + "'", name);
  if (!m) return m.status();
  return std::shared_ptr<const Model>(*m);
}

}  // namespace lmzip
