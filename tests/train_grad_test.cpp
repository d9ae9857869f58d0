// Trainer layers: every backward pass against central finite differences, in
// double so the tolerance (1e-6 relative) is far below any real bug's error.
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <vector>

#include "train_layers.h"
#include "train_model.h"
#include "train_rng.h"

namespace lmzip::train {
namespace {

std::vector<double> randn(size_t n, uint64_t seed, double scale = 1.0) {
  Rng r(seed);
  std::vector<double> v(n);
  for (auto& x : v) x = r.normal() * scale;
  return v;
}

double inner(const std::vector<double>& a, const std::vector<double>& b) {
  double s = 0;
  for (size_t i = 0; i < a.size(); ++i) s += a[i] * b[i];
  return s;
}

// Compares analytic[i] with (f(x+h) - f(x-h)) / 2h for every element of x.
// Also requires the gradient to be substantially non-zero, so that a backward
// pass that writes nothing cannot pass.
void expect_grad(std::vector<double>& x, const std::vector<double>& analytic,
                 const std::function<double()>& f, const char* what, double rtol = 1e-6) {
  ASSERT_EQ(x.size(), analytic.size()) << what;
  const double h = 1e-5;
  double max_err = 0, norm = 0;
  for (size_t i = 0; i < x.size(); ++i) {
    const double saved = x[i];
    x[i] = saved + h;
    const double fp = f();
    x[i] = saved - h;
    const double fm = f();
    x[i] = saved;
    const double num = (fp - fm) / (2 * h);
    const double err = std::fabs(num - analytic[i]) / std::max(1.0, std::fabs(num));
    max_err = std::max(max_err, err);
    norm += analytic[i] * analytic[i];
    EXPECT_LT(err, rtol) << what << " element " << i << ": analytic " << analytic[i] << " numeric " << num;
    if (err >= rtol) return;  // one report per tensor is enough
  }
  EXPECT_GT(std::sqrt(norm), 1e-3) << what << ": gradient is (nearly) zero";
}

TEST(TrainGrad, RmsNorm) {
  const int N = 3, C = 8;
  auto x = randn(N * C, 1), w = randn(C, 2), G = randn(N * C, 3);
  for (auto& v : w) v += 1.0;
  std::vector<double> out(N * C), rstd(N);
  auto f = [&] {
    rmsnorm_forward(out.data(), rstd.data(), x.data(), w.data(), N, C, 1e-5);
    return inner(out, G);
  };
  f();
  std::vector<double> dx(N * C, 0.0), dw(C, 0.0);
  rmsnorm_backward(dx.data(), dw.data(), G.data(), x.data(), w.data(), rstd.data(), N, C);
  expect_grad(x, dx, f, "rmsnorm dinp");
  expect_grad(w, dw, f, "rmsnorm dweight");
}

TEST(TrainGrad, RmsNormMatchesDefinition) {
  // y = x / sqrt(mean(x^2) + eps) * w, eps = 1e-5 (docs/ARCHITECTURE.md).
  std::vector<double> x = {1, -2, 3, 0.5}, w = {1, 2, 0.5, -1}, out(4), rstd(1);
  rmsnorm_forward(out.data(), rstd.data(), x.data(), w.data(), 1, 4, 1e-5);
  const double ms = (1 + 4 + 9 + 0.25) / 4;
  for (int i = 0; i < 4; ++i) EXPECT_NEAR(out[i], x[i] / std::sqrt(ms + 1e-5) * w[i], 1e-12);
}

TEST(TrainGrad, Matmul) {
  const int N = 4, IC = 5, OC = 3;
  auto x = randn(N * IC, 4), w = randn(OC * IC, 5), G = randn(N * OC, 6);
  std::vector<double> out(N * OC);
  auto f = [&] {
    matmul_forward(out.data(), x.data(), w.data(), N, IC, OC);
    return inner(out, G);
  };
  f();
  std::vector<double> dx(N * IC, 0.0), dw(OC * IC, 0.0);
  matmul_backward(dx.data(), dw.data(), G.data(), x.data(), w.data(), N, IC, OC);
  expect_grad(x, dx, f, "matmul dinp");
  expect_grad(w, dw, f, "matmul dweight");
}

TEST(TrainGrad, Gelu) {
  const int N = 40;
  std::vector<double> x(N);
  for (int i = 0; i < N; ++i) x[i] = -4.0 + 8.0 * i / (N - 1) + 0.013;
  auto G = randn(N, 7);
  std::vector<double> out(N), dg(N);
  auto f = [&] {
    gelu_forward(out.data(), dg.data(), x.data(), N);
    return inner(out, G);
  };
  f();
  EXPECT_NEAR(out[N - 1], 0.5 * x[N - 1] * (1 + std::tanh(std::sqrt(2 / M_PI) * (x[N - 1] + 0.044715 * std::pow(x[N - 1], 3)))), 1e-12);
  std::vector<double> dx(N);
  gelu_backward(dx.data(), dg.data(), G.data(), N);
  expect_grad(x, dx, f, "gelu");
}

// The float kernels (vectorised, own exp) against the double reference.
TEST(TrainGrad, FloatKernelsMatchDouble) {
  const int N = 203;  // not a multiple of 8: the padded tail is exercised
  std::vector<double> xd(N), od(N), gd(N);
  std::vector<float> xf(N), of(N), gf(N);
  for (int i = 0; i < N; ++i) xf[i] = float(-12.0 + 24.0 * i / (N - 1)), xd[i] = xf[i];
  xf[0] = -200.0f, xd[0] = -200.0;  // far outside exp's range on both sides
  xf[N - 1] = 200.0f, xd[N - 1] = 200.0;
  gelu_forward(od.data(), gd.data(), xd.data(), N);
  gelu_forward(of.data(), gf.data(), xf.data(), N);
  for (int i = 0; i < N; ++i) {
    EXPECT_NEAR(of[i], od[i], 2e-6 * std::max(1.0, std::fabs(od[i]))) << xd[i];
    EXPECT_NEAR(gf[i], gd[i], 2e-6) << xd[i];
  }
  // exp through the softmax helper, over the range attention scores use.
  std::vector<float> e(N);
  for (int i = 0; i < N; ++i) e[i] = float(-80.0 + 100.0 * i / (N - 1));
  std::vector<float> e0 = e;
  const float sum = exp_shift_sum(e.data(), N, 10.0f);
  double ref_sum = 0;
  for (int i = 0; i < N; ++i) {
    const double ref = std::exp(double(e0[i] - 10.0f));  // the kernel's argument is a float
    ref_sum += ref;
    EXPECT_NEAR(e[i], ref, 3e-7 * ref + 1e-37) << e0[i];
  }
  EXPECT_NEAR(sum, ref_sum, 1e-6 * ref_sum);
  EXPECT_NEAR(dot(xf.data(), xf.data(), N), dot(xd.data(), xd.data(), N), 1e-5 * dot(xd.data(), xd.data(), N));
  EXPECT_EQ(max_of(xf.data(), N - 1), float(xd[N - 2]));
}

TEST(TrainGrad, Embedding) {
  const int N = 6, C = 4;
  std::vector<int> ids = {kBos, 3, 255, 3, 0, 17};
  auto wte = randn(kVocabIn * C, 8), G = randn(N * C, 9);
  std::vector<double> out(N * C);
  auto f = [&] {
    embedding_forward(out.data(), ids.data(), wte.data(), N, C);
    return inner(out, G);
  };
  f();
  std::vector<double> dw(kVocabIn * C, 0.0);
  embedding_backward(dw.data(), G.data(), ids.data(), N, C);
  expect_grad(wte, dw, f, "embedding");
}

TEST(TrainGrad, OutputHeadAndCrossEntropy) {
  const int N = 5, C = 6;
  auto x = randn(N * C, 10), w = randn(kVocabOut * C, 11, 0.5);
  std::vector<int> tg = {0, 255, 7, 7, 100};
  std::vector<double> logits(N * kVocabOut), losses(N);
  auto f = [&] {
    matmul_forward(logits.data(), x.data(), w.data(), N, C, kVocabOut);
    crossentropy_forward(losses.data(), logits.data(), logits.data(), tg.data(), N, kVocabOut);
    double s = 0;
    for (double l : losses) s += l;
    return s / N;
  };
  f();
  std::vector<double> dlogits(N * kVocabOut), dx(N * C, 0.0), dw(kVocabOut * C, 0.0);
  crossentropy_backward(dlogits.data(), logits.data(), tg.data(), 1.0 / N, N, kVocabOut);
  matmul_backward(dx.data(), dw.data(), dlogits.data(), x.data(), w.data(), N, C, kVocabOut);
  expect_grad(x, dx, f, "output dinp");
  expect_grad(w, dw, f, "output dweight");
}

TEST(TrainGrad, RopeIsNeoxRotation) {
  // One head of width 4 at position 3: pairs (x0, x2) and (x1, x3) rotate by
  // 3 * 10000^(-2i/4).
  const int T = 4, C = 4, H = 1;
  std::vector<double> cs, sn;
  rope_tables(cs, sn, T, C, 10000.0);
  std::vector<double> qkv(T * 3 * C, 0.0);
  double* q = &qkv[3 * 3 * C];
  q[0] = 1, q[1] = 2, q[2] = 3, q[3] = 4;
  rope_forward(qkv.data(), cs.data(), sn.data(), 1, T, C, H);
  for (int i = 0; i < 2; ++i) {
    double a = 3 * std::pow(10000.0, -2.0 * i / 4);
    double x0 = i + 1, x1 = i + 3;
    EXPECT_NEAR(q[i], x0 * std::cos(a) - x1 * std::sin(a), 1e-12);
    EXPECT_NEAR(q[i + 2], x0 * std::sin(a) + x1 * std::cos(a), 1e-12);
  }
}

// qkv (pre-rotation) -> rope -> sliding-window attention -> out.
void check_attention(int B, int T, int C, int H, int W, uint64_t seed) {
  SCOPED_TRACE("B=" + std::to_string(B) + " T=" + std::to_string(T) + " W=" + std::to_string(W));
  auto qkv = randn(size_t(B) * T * 3 * C, seed), G = randn(size_t(B) * T * C, seed + 1);
  std::vector<double> cs, sn;
  rope_tables(cs, sn, T, C / H, 10000.0);
  const AttnBlocking bl = attn_blocking(T, W);
  std::vector<double> rot(qkv.size()), out(size_t(B) * T * C), att(size_t(B) * H * T * bl.span);
  auto f = [&] {
    rot = qkv;
    rope_forward(rot.data(), cs.data(), sn.data(), B, T, C, H);
    attention_forward(out.data(), att.data(), rot.data(), B, T, C, H, W);
    return inner(out, G);
  };
  f();
  std::vector<double> dqkv(qkv.size(), 0.0), scratch(size_t(bl.rows) * bl.span);
  attention_backward(dqkv.data(), scratch.data(), G.data(), rot.data(), att.data(), B, T, C, H, W);
  rope_backward(dqkv.data(), cs.data(), sn.data(), B, T, C, H);
  expect_grad(qkv, dqkv, f, "attention+rope dqkv");

  // The forward must equal the definition: softmax over s in [max(0,t-W+1), t].
  const int hd = C / H;
  double max_diff = 0;
  for (int b = 0; b < B; ++b)
    for (int h = 0; h < H; ++h)
      for (int t = 0; t < T; ++t) {
        const double* qt = &rot[(size_t(b) * T + t) * 3 * C + h * hd];
        const int s0 = std::max(0, t - W + 1);
        std::vector<double> sc;
        double mx = -1e300;
        for (int s = s0; s <= t; ++s) {
          const double* ks = &rot[(size_t(b) * T + s) * 3 * C + C + h * hd];
          double d = 0;
          for (int i = 0; i < hd; ++i) d += qt[i] * ks[i];
          sc.push_back(d / std::sqrt(double(hd)));
          mx = std::max(mx, sc.back());
        }
        double z = 0;
        for (double& v : sc) z += (v = std::exp(v - mx));
        for (int i = 0; i < hd; ++i) {
          double acc = 0;
          for (int s = s0; s <= t; ++s) acc += sc[s - s0] / z * rot[(size_t(b) * T + s) * 3 * C + 2 * C + h * hd + i];
          max_diff = std::max(max_diff, std::fabs(acc - out[(size_t(b) * T + t) * C + h * hd + i]));
        }
      }
  EXPECT_LT(max_diff, 1e-12);
}

TEST(TrainGrad, AttentionFullCausal) { check_attention(2, 6, 8, 2, 6, 20); }
TEST(TrainGrad, AttentionWindowSmallerThanChunk) { check_attention(2, 7, 8, 2, 3, 30); }
TEST(TrainGrad, AttentionWindowSeveralBlocks) { check_attention(1, 70, 4, 1, 5, 40); }
TEST(TrainGrad, AttentionFullCausalSeveralBlocks) { check_attention(1, 70, 4, 1, 70, 50); }
TEST(TrainGrad, AttentionWideWindowSeveralBlocks) { check_attention(1, 150, 4, 1, 100, 60); }

TEST(TrainGrad, WholeModel) {
  ModelConfig c;
  c.d = 8;
  c.layers = 2;
  c.heads = 2;
  c.ffn = 12;
  c.window = 3;
  ASSERT_TRUE(config_validate(c));
  Model<double> m(c);
  m.init(5);
  // Scale up the small init so that every path carries a visible gradient.
  Rng r(9);
  for (auto& p : m.params()) p += 0.3 * r.normal();
  const int B = 2, T = 5;
  std::vector<int> in = {kBos, 10, 20, 30, 40, kBos, 255, 0, 1, 2};
  std::vector<int> tg = {10, 20, 30, 40, 50, 255, 0, 1, 2, 3};
  m.forward(in.data(), tg.data(), B, T);
  m.zero_grad();
  m.backward();
  std::vector<double> analytic = m.grads();
  // Only the embedding rows that occur carry gradient; checking all 257 rows
  // would mostly compare zeros, so check the used rows plus everything else.
  std::vector<double>& p = m.params();
  const ParamLayout lay(c);
  auto f = [&] { return m.forward(in.data(), tg.data(), B, T); };
  std::vector<size_t> idx;
  for (int id : {kBos, 10, 20, 255, 77})  // 77 never occurs: gradient 0
    for (int k = 0; k < int(c.d); ++k) idx.push_back(lay.wte + size_t(id) * c.d + k);
  for (size_t i = lay.attn_norm; i < lay.total; ++i) idx.push_back(i);
  std::vector<double> sub(idx.size()), sub_an(idx.size());
  for (size_t k = 0; k < idx.size(); ++k) {
    sub[k] = p[idx[k]];
    sub_an[k] = analytic[idx[k]];
  }
  auto g = [&] {
    for (size_t k = 0; k < idx.size(); ++k) p[idx[k]] = sub[k];
    return f();
  };
  expect_grad(sub, sub_an, g, "whole model");
}

TEST(TrainGrad, InferenceModeAndFloatAgree) {
  ModelConfig c;
  c.d = 16;
  c.layers = 3;
  c.heads = 2;
  c.ffn = 32;
  c.window = 4;
  Model<double> md(c);
  md.init(3);
  Model<float> mf(c);
  for (size_t i = 0; i < md.num_params(); ++i) mf.params()[i] = float(md.params()[i]);
  for (size_t i = 0; i < md.num_params(); ++i) md.params()[i] = double(mf.params()[i]);
  const int B = 2, T = 9;
  std::vector<int> in(B * T), tg(B * T);
  Rng r(4);
  for (int i = 0; i < B * T; ++i) tg[i] = int(r.below(256));
  for (int i = 0; i < B * T; ++i) in[i] = i % T == 0 ? kBos : tg[i - 1];
  const double l_train = md.forward(in.data(), tg.data(), B, T, true);
  const double l_infer = md.forward(in.data(), tg.data(), B, T, false);
  EXPECT_DOUBLE_EQ(l_train, l_infer);
  EXPECT_NEAR(mf.forward(in.data(), tg.data(), B, T, false), l_train, 1e-5);
}

}  // namespace
}  // namespace lmzip::train
