#include "train_model.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "train_rng.h"

namespace lmzip::train {

Status config_validate(const ModelConfig& c) {
  auto bad = [](const std::string& m) { return Status(ErrorCode::invalid_argument, m); };
  if (c.d < 2 || c.d > 8192) return bad("model width d must be in [2, 8192], got " + std::to_string(c.d));
  if (c.layers < 1 || c.layers > 256) return bad("layer count must be in [1, 256]");
  if (c.heads < 1 || c.d % c.heads != 0) return bad("head count must divide d");
  if ((c.d / c.heads) % 2 != 0) return bad("head width d/heads must be even (rotary pairs)");
  if (c.ffn < 1 || c.ffn > 65536) return bad("ffn width must be in [1, 65536]");
  if (c.window < 1) return bad("attention window must be >= 1");
  if (c.window > (1u << 30)) return bad("attention window must be <= 2^30");
  if (c.tags < 1 || c.tags > kMaxTags) return bad("input tags must be in [1, 64]");
  if (!(c.rope_base > 1.0f)) return bad("rope base must be > 1");
  if (!(c.eps > 0.0f)) return bad("rmsnorm eps must be > 0");
  if (c.parameters() > (uint64_t(1) << 30)) return bad("model too large for this trainer (> 2^30 parameters)");
  return Status::success();
}

double forward_flops_per_byte(const ModelConfig& c, int T, int out_vocab) {
  const double C = c.d, F = c.ffn, L = c.layers;
  double mm = L * (4 * C * C + 2 * C * F) + double(out_vocab) * C;
  double valid = 0;  // mean number of keys a query attends to
  for (int t = 0; t < T; ++t) valid += std::min(t + 1, int(c.window));
  valid /= T;
  return 2 * mm + L * 4 * C * valid;
}

std::string config_describe(const ModelConfig& c) {
  return "d=" + std::to_string(c.d) + " layers=" + std::to_string(c.layers) + " heads=" +
         std::to_string(c.heads) + " ffn=" + std::to_string(c.ffn) + " window=" + std::to_string(c.window) +
         (c.tags != 1 ? " tags=" + std::to_string(c.tags) : std::string()) +
         " params=" + std::to_string(c.parameters());
}

ParamLayout::ParamLayout(const ModelConfig& c, int out_vocab) {
  const size_t C = c.d, F = c.ffn, L = c.layers;
  size_t o = 0;
  wte = o;       o += size_t(c.in_vocab()) * C;
  attn_norm = o; o += L * C;
  wqkv = o;      o += L * 3 * C * C;
  wo = o;        o += L * C * C;
  ffn_norm = o;  o += L * C;
  wup = o;       o += L * F * C;
  wdown = o;     o += L * C * F;
  out_norm = o;  o += C;
  wout = o;      o += size_t(out_vocab) * C;
  total = o;
}

std::vector<uint8_t> decay_mask(const ModelConfig& c, int out_vocab) {
  ParamLayout lay(c, out_vocab);
  std::vector<uint8_t> m(lay.total, 1);
  const size_t C = c.d, L = c.layers;
  std::fill_n(m.begin() + lay.attn_norm, L * C, 0);
  std::fill_n(m.begin() + lay.ffn_norm, L * C, 0);
  std::fill_n(m.begin() + lay.out_norm, C, 0);
  return m;
}

template <class R>
Model<R>::Model(const ModelConfig& config, int out_vocab)
    : cfg_(config), out_vocab_(out_vocab), layout_(config, out_vocab) {
  params_.assign(layout_.total, R(0));
  grads_.assign(layout_.total, R(0));
}

template <class R>
ParamView<R> Model<R>::view_of(R* base) const {
  return {base + layout_.wte,      base + layout_.attn_norm, base + layout_.wqkv,
          base + layout_.wo,       base + layout_.ffn_norm,  base + layout_.wup,
          base + layout_.wdown,    base + layout_.out_norm,  base + layout_.wout};
}

template <class R>
void Model<R>::init(uint64_t seed) {
  Rng rng(seed);
  const size_t C = cfg_.d, F = cfg_.ffn, L = cfg_.layers;
  auto fill = [&](size_t off, size_t n, double std) {
    for (size_t i = 0; i < n; ++i) params_[off + i] = R(rng.normal() * std);
  };
  const double s = 0.02, s_res = 0.02 / std::sqrt(2.0 * double(L));
  fill(layout_.wte, size_t(cfg_.in_vocab()) * C, s);
  std::fill_n(params_.begin() + layout_.attn_norm, L * C, R(1));
  fill(layout_.wqkv, L * 3 * C * C, s);
  fill(layout_.wo, L * C * C, s_res);
  std::fill_n(params_.begin() + layout_.ffn_norm, L * C, R(1));
  fill(layout_.wup, L * F * C, s);
  fill(layout_.wdown, L * C * F, s_res);
  std::fill_n(params_.begin() + layout_.out_norm, C, R(1));
  fill(layout_.wout, size_t(out_vocab_) * C, s);
}

template <class R>
void Model<R>::zero_grad() {
  std::fill(grads_.begin(), grads_.end(), R(0));
}

template <class R>
void Model<R>::resize(int B, int T, bool keep) {
  const int L = cfg_.layers;
  const int nbufs = keep ? L : std::min(L, 2);
  if (B == B_ && T == T_ && nbufs == nlayer_bufs_) return;
  B_ = B;
  T_ = T;
  nlayer_bufs_ = nbufs;
  const size_t N = size_t(B) * T, C = cfg_.d, F = cfg_.ffn;
  const AttnBlocking bl = attn_blocking(T, cfg_.window);
  inputs_.resize(N);
  targets_.resize(N);
  encoded_.assign(N * C, R(0));
  layers_.assign(nbufs, LayerActs{});
  for (auto& a : layers_) {
    a.ln1.resize(N * C);
    a.ln1_rstd.resize(N);
    a.qkv.resize(N * 3 * C);
    a.att.resize(size_t(B) * cfg_.heads * T * bl.span);
    a.atty.resize(N * C);
    a.x2.resize(N * C);
    a.ln2.resize(N * C);
    a.ln2_rstd.resize(N);
    a.fch.resize(N * F);
    a.fch_gelu.resize(N * F);
    if (keep) a.fch_dgelu.resize(N * F);
    a.x3.resize(N * C);
  }
  lnf_.resize(N * C);
  lnf_rstd_.resize(N);
  probs_.resize(N * size_t(out_vocab_));
  losses_.resize(N);
  if (keep) {
    dres_.resize(N * C);
    dln_.resize(N * C);
    datty_.resize(N * C);
    dqkv_.resize(N * 3 * C);
    dfch_.resize(N * F);
    dprobs_.resize(N * size_t(out_vocab_));
    dattn_scratch_.resize(size_t(bl.rows) * bl.span);
  } else {
    for (auto* v : {&dres_, &dln_, &datty_, &dqkv_, &dfch_, &dprobs_, &dattn_scratch_}) {
      v->clear();
      v->shrink_to_fit();
    }
  }
}

template <class R>
double Model<R>::forward(const int* inputs, const int* targets, int B, int T, bool keep) {
  resize(B, T, keep);
  kept_ = keep;
  have_targets_ = targets != nullptr;
  const int C = cfg_.d, F = cfg_.ffn, H = cfg_.heads, L = cfg_.layers, W = cfg_.window;
  const int N = B * T;
  std::copy_n(inputs, N, inputs_.begin());
  if (targets) std::copy_n(targets, N, targets_.begin());
  else std::fill(targets_.begin(), targets_.end(), 0);
  if (rope_T_ < T) {
    rope_tables(rope_cos_, rope_sin_, T, C / H, cfg_.rope_base);
    rope_T_ = T;
  }
  ParamView<R> p = view();

  embedding_forward(encoded_.data(), inputs_.data(), p.wte, N, C);
  const R* x = encoded_.data();
  for (int l = 0; l < L; ++l) {
    LayerActs& a = layers_[l % nlayer_bufs_];
    rmsnorm_forward(a.ln1.data(), a.ln1_rstd.data(), x, p.attn_norm + size_t(l) * C, N, C, R(cfg_.eps));
    matmul_forward(a.qkv.data(), a.ln1.data(), p.wqkv + size_t(l) * 3 * C * C, N, C, 3 * C);
    rope_forward(a.qkv.data(), rope_cos_.data(), rope_sin_.data(), B, T, C, H);
    attention_forward(a.atty.data(), a.att.data(), a.qkv.data(), B, T, C, H, W);
    matmul_forward(a.x2.data(), a.atty.data(), p.wo + size_t(l) * C * C, N, C, C);
    residual_forward(a.x2.data(), a.x2.data(), x, size_t(N) * C);
    rmsnorm_forward(a.ln2.data(), a.ln2_rstd.data(), a.x2.data(), p.ffn_norm + size_t(l) * C, N, C,
                    R(cfg_.eps));
    matmul_forward(a.fch.data(), a.ln2.data(), p.wup + size_t(l) * F * C, N, C, F);
    gelu_forward(a.fch_gelu.data(), keep ? a.fch_dgelu.data() : nullptr, a.fch.data(), size_t(N) * F);
    matmul_forward(a.x3.data(), a.fch_gelu.data(), p.wdown + size_t(l) * C * F, N, F, C);
    residual_forward(a.x3.data(), a.x3.data(), a.x2.data(), size_t(N) * C);
    x = a.x3.data();
  }
  rmsnorm_forward(lnf_.data(), lnf_rstd_.data(), x, p.out_norm, N, C, R(cfg_.eps));
  matmul_forward(probs_.data(), lnf_.data(), p.wout, N, C, out_vocab_);
  crossentropy_forward(losses_.data(), probs_.data(), probs_.data(), targets_.data(), N, out_vocab_);
  if (!targets) return 0.0;
  double sum = 0;
  for (int i = 0; i < N; ++i) sum += double(losses_[i]);
  return sum / N;
}

template <class R>
void Model<R>::backward() {
  if (!kept_ || !have_targets_) return;  // nothing to differentiate: caller error, no crash
  const int C = cfg_.d, F = cfg_.ffn, H = cfg_.heads, L = cfg_.layers, W = cfg_.window;
  const int B = B_, T = T_, N = B * T;
  ParamView<R> p = view();
  ParamView<R> g = grad_view();

  crossentropy_backward(dprobs_.data(), probs_.data(), targets_.data(), R(1) / R(N), N, out_vocab_);
  std::fill(dres_.begin(), dres_.end(), R(0));
  matmul_backward(dln_.data(), g.wout, dprobs_.data(), lnf_.data(), p.wout, N, C, out_vocab_);
  rmsnorm_backward(dres_.data(), g.out_norm, dln_.data(), layers_[L - 1].x3.data(), p.out_norm,
                   lnf_rstd_.data(), N, C);
  for (int l = L - 1; l >= 0; --l) {
    LayerActs& a = layers_[l];
    const R* x_in = l > 0 ? layers_[l - 1].x3.data() : encoded_.data();
    // dres_ holds d(loss)/d(x3); x3 = x2 + down(gelu(up(norm(x2)))).
    matmul_backward(dfch_.data(), g.wdown + size_t(l) * C * F, dres_.data(), a.fch_gelu.data(),
                    p.wdown + size_t(l) * C * F, N, F, C);
    gelu_backward(dfch_.data(), a.fch_dgelu.data(), dfch_.data(), size_t(N) * F);
    matmul_backward(dln_.data(), g.wup + size_t(l) * F * C, dfch_.data(), a.ln2.data(),
                    p.wup + size_t(l) * F * C, N, C, F);
    rmsnorm_backward(dres_.data(), g.ffn_norm + size_t(l) * C, dln_.data(), a.x2.data(),
                     p.ffn_norm + size_t(l) * C, a.ln2_rstd.data(), N, C);
    // dres_ now holds d/d(x2); x2 = x_in + wo(attn(rope(qkv(norm(x_in))))).
    matmul_backward(datty_.data(), g.wo + size_t(l) * C * C, dres_.data(), a.atty.data(),
                    p.wo + size_t(l) * C * C, N, C, C);
    std::fill(dqkv_.begin(), dqkv_.end(), R(0));
    attention_backward(dqkv_.data(), dattn_scratch_.data(), datty_.data(), a.qkv.data(), a.att.data(),
                       B, T, C, H, W);
    rope_backward(dqkv_.data(), rope_cos_.data(), rope_sin_.data(), B, T, C, H);
    matmul_backward(dln_.data(), g.wqkv + size_t(l) * 3 * C * C, dqkv_.data(), a.ln1.data(),
                    p.wqkv + size_t(l) * 3 * C * C, N, C, 3 * C);
    rmsnorm_backward(dres_.data(), g.attn_norm + size_t(l) * C, dln_.data(), x_in,
                     p.attn_norm + size_t(l) * C, a.ln1_rstd.data(), N, C);
  }
  embedding_backward(g.wte, dres_.data(), inputs_.data(), N, C);
}

template class Model<float>;
template class Model<double>;

}  // namespace lmzip::train
