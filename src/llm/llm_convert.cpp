// llama2.c checkpoints to llama GGUF files. The checkpoint: 7 int32 (dim,
// hidden_dim, n_layers, n_heads, n_kv_heads, vocab_size, seq_len; a negative
// vocab_size means the classifier is not the embedding), then f32 tensors,
// every matrix (out, in) row-major as GGUF stores it: token embedding, per
// layer stacks of rms_att, wq, wk, wv, wo, rms_ffn, w1, w2, w3, then
// rms_final, two RoPE tables (skipped: the engine computes its angles), and
// the classifier if unshared. llama2.c rotates pairs (2i, 2i+1), llama.cpp's
// NORM mode, so no permutation of q and k is needed.
#include <cstring>
#include <filesystem>

#include "common/file_read.h"
#include "gguf/gguf.h"
#include "lmzip/llm.h"
#include "tokenizer/tokenizer_vocab.h"

namespace lmzip {

namespace {

Status bad(const std::string& what, const std::string& msg) {
  return Status(ErrorCode::bad_model_file, what + ": " + msg);
}

}  // namespace

Status model_convert_llama2c(const std::string& checkpoint, const std::string& tokenizer, const std::string& out,
                             const std::string& name) {
  auto bin = file_read_all(checkpoint);
  if (!bin) return bin.status();
  auto tok = file_read_all(tokenizer);
  if (!tok) return tok.status();
  const std::string what = "'" + checkpoint + "'";
  if (bin->size() < 28) return bad(what, "too short for a llama2.c checkpoint");
  int32_t h[7];
  std::memcpy(h, bin->data(), 28);
  const bool shared = h[5] > 0;
  const int64_t dim = h[0], hidden = h[1], layers = h[2], heads = h[3], kv_heads = h[4], vocab = shared ? h[5] : -int64_t(h[5]),
                seq = h[6];
  if (dim < 1 || dim > 65536 || hidden < 1 || hidden > 262144 || layers < 1 || layers > 1024 || heads < 1 ||
      kv_heads < 1 || heads % kv_heads != 0 || dim % heads != 0 || vocab < 3 || vocab > (1 << 23) || seq < 1 ||
      seq > (1 << 24) || (dim / heads) % 2 != 0)
    return bad(what, "hyper-parameters that are no llama2.c model's");
  const int64_t hd = dim / heads, kvd = kv_heads * hd;
  auto vocab_r = tokenizer_vocab_read_llama2c(*tok, int32_t(vocab));
  if (!vocab_r) return vocab_r.status();

  const size_t floats = (bin->size() - 28) / 4;
  const size_t expect = size_t(vocab * dim + layers * (2 * dim + dim * dim * 2 + dim * kvd * 2 + hidden * dim * 3) + dim +
                               seq * hd + (shared ? 0 : vocab * dim));
  if ((bin->size() - 28) % 4 != 0 || floats != expect)
    return bad(what, "holds " + std::to_string(floats) + " floats; its header says " + std::to_string(expect));
  size_t at = 28;
  auto take = [&](int64_t n) {
    std::vector<uint8_t> bytes(bin->begin() + ptrdiff_t(at), bin->begin() + ptrdiff_t(at + size_t(n) * 4));
    at += size_t(n) * 4;
    return bytes;
  };
  gguf::File f;
  auto add = [&](std::string tname, std::vector<uint64_t> dims, std::vector<uint8_t> data) {
    gguf::Tensor t;
    t.name = std::move(tname);
    t.dims = std::move(dims);
    t.type = gguf::TensorType::f32;
    t.data = std::move(data);
    f.tensors.push_back(std::move(t));
  };
  // Per-layer stacks: layer l's part of each.
  auto stack = [&](const char* tname, int64_t per, std::vector<uint64_t> dims) {
    for (int64_t l = 0; l < layers; ++l) add("blk." + std::to_string(l) + "." + tname + ".weight", dims, take(per));
  };
  const uint64_t D = uint64_t(dim), H = uint64_t(hidden), KV = uint64_t(kvd);
  add("token_embd.weight", {D, uint64_t(vocab)}, take(vocab * dim));
  stack("attn_norm", dim, {D});
  stack("attn_q", dim * dim, {D, D});
  stack("attn_k", dim * kvd, {D, KV});
  stack("attn_v", dim * kvd, {D, KV});
  stack("attn_output", dim * dim, {D, D});
  stack("ffn_norm", dim, {D});
  stack("ffn_gate", hidden * dim, {D, H});  // w1
  stack("ffn_down", dim * hidden, {H, D});  // w2
  stack("ffn_up", hidden * dim, {D, H});    // w3
  add("output_norm.weight", {D}, take(dim));
  at += size_t(seq * hd) * 4;  // freq_cis_real, freq_cis_imag
  if (!shared) add("output.weight", {D, uint64_t(vocab)}, take(vocab * dim));

  const std::string model_name = name.empty() ? std::filesystem::path(checkpoint).stem().string() : name;
  auto& md = f.metadata;
  md["general.architecture"] = std::string("llama");
  md["general.name"] = model_name;
  md["llama.context_length"] = uint32_t(seq);
  md["llama.embedding_length"] = uint32_t(dim);
  md["llama.feed_forward_length"] = uint32_t(hidden);
  md["llama.block_count"] = uint32_t(layers);
  md["llama.attention.head_count"] = uint32_t(heads);
  md["llama.attention.head_count_kv"] = uint32_t(kv_heads);
  md["llama.attention.layer_norm_rms_epsilon"] = 1e-5f;  // run.c's
  md["llama.rope.freq_base"] = 10000.f;                  // run.c's
  tokenizer_vocab_write(*vocab_r, f);
  return gguf::gguf_write(f, out);
}

}  // namespace lmzip
