// Helpers for the transformer tests: random models in memory and a naive
// reference forward pass (plain loops, libm, double accumulation) that the
// optimized engine must agree with to float tolerance.
#pragma once

#include <cmath>
#include <cstdint>
#include <memory>
#include <random>
#include <vector>

#include "common/f16.h"
#include "gguf/gguf.h"
#include "transformer/transformer.h"

namespace lmzip::test {

inline std::shared_ptr<const TransformerModel> random_model(const RandomModelOptions& o) {
  std::vector<uint8_t> bytes = gguf::gguf_serialize(transformer_random_gguf(o));
  auto m = transformer_model_parse(bytes, "random");
  if (!m) return nullptr;
  return *m;
}

inline std::vector<uint32_t> random_bytes(std::mt19937_64& rng, size_t n, int alphabet = 256) {
  std::vector<uint32_t> v(n);
  // Mildly repetitive data so attention has something to find.
  for (size_t i = 0; i < n; ++i)
    v[i] = (i >= 8 && rng() % 3 == 0) ? v[i - 1 - rng() % 8] : uint32_t(rng() % alphabet);
  return v;
}

// Reference forward: exp(logit - max) for every position of `chunk`
// (docs/ARCHITECTURE.md, written from the doc, not from the engine).
inline std::vector<std::vector<double>> reference_forward(const TransformerModel& m,
                                                          const std::vector<uint32_t>& chunk) {
  const TransformerConfig& c = m.config();
  const int d = int(c.d), f = int(c.ffn), H = int(c.heads), hd = d / H, T = int(chunk.size());
  // Weights are stored transposed (in, out): w[k * out + o].
  auto matvec = [](const std::vector<double>& x, const float* w, int in, int out) {
    std::vector<double> y(size_t(out), 0.0);
    for (int o = 0; o < out; ++o)
      for (int k = 0; k < in; ++k) y[size_t(o)] += x[size_t(k)] * double(w[size_t(k) * out + o]);
    return y;
  };
  auto rmsnorm = [&](const std::vector<double>& x, const float* w) {
    double ss = 0;
    for (double v : x) ss += v * v;
    const double inv = 1.0 / std::sqrt(ss / d + double(c.eps));
    std::vector<double> y(x.size());
    for (size_t i = 0; i < x.size(); ++i) y[i] = x[i] * inv * double(w[i]);
    return y;
  };
  auto rope = [&](std::vector<double>& v, int off, int pos) {
    for (int h = 0; h < H; ++h)
      for (int i = 0; i < hd / 2; ++i) {
        const double theta = std::pow(double(c.rope_base), -2.0 * i / hd), a = pos * theta;
        double& x0 = v[size_t(off + h * hd + i)];
        double& x1 = v[size_t(off + h * hd + i + hd / 2)];
        const double y0 = x0 * std::cos(a) - x1 * std::sin(a), y1 = x0 * std::sin(a) + x1 * std::cos(a);
        x0 = y0;
        x1 = y1;
      }
  };
  std::vector<std::vector<double>> x(static_cast<size_t>(T));
  for (int t = 0; t < T; ++t) {
    const int tok = t == 0 ? c.bos() : c.input_id(chunk[size_t(t - 1)]);
    x[size_t(t)].assign(m.token_embd() + tok * d, m.token_embd() + (tok + 1) * d);
  }
  for (uint32_t l = 0; l < c.layers; ++l) {
    const LayerWeights& w = m.layer(int(l));
    std::vector<std::vector<double>> q(static_cast<size_t>(T)), k(static_cast<size_t>(T)), v(static_cast<size_t>(T));
    for (int t = 0; t < T; ++t) {
      std::vector<double> qkv = matvec(rmsnorm(x[size_t(t)], w.attn_norm), w.wqkv, d, 3 * d);
      rope(qkv, 0, t);
      rope(qkv, d, t);
      q[size_t(t)].assign(qkv.begin(), qkv.begin() + d);
      k[size_t(t)].assign(qkv.begin() + d, qkv.begin() + 2 * d);
      v[size_t(t)].assign(qkv.begin() + 2 * d, qkv.end());
      for (auto* kv : {&k[size_t(t)], &v[size_t(t)]})
        for (double& z : *kv) z = double(f16_round(float(z)));  // the caches' binary16
    }
    for (int t = 0; t < T; ++t) {
      std::vector<double> att(size_t(d), 0.0);
      const int lo = std::max(0, t - int(c.window) + 1);
      for (int h = 0; h < H; ++h) {
        std::vector<double> s;
        double mx = -1e300;
        for (int j = lo; j <= t; ++j) {
          double dot = 0;
          for (int i = 0; i < hd; ++i) dot += q[size_t(t)][size_t(h * hd + i)] * k[size_t(j)][size_t(h * hd + i)];
          s.push_back(dot / std::sqrt(double(hd)));
          mx = std::max(mx, s.back());
        }
        double den = 0;
        for (double& e : s) den += (e = std::exp(e - mx));
        for (int j = lo; j <= t; ++j)
          for (int i = 0; i < hd; ++i)
            att[size_t(h * hd + i)] += s[size_t(j - lo)] / den * v[size_t(j)][size_t(h * hd + i)];
      }
      std::vector<double> o = matvec(att, w.wo, d, d);
      for (int i = 0; i < d; ++i) x[size_t(t)][size_t(i)] += o[size_t(i)];
      std::vector<double> u = matvec(rmsnorm(x[size_t(t)], w.ffn_norm), w.wup, d, f);
      for (double& z : u) z = 0.5 * z * (1.0 + std::tanh(std::sqrt(2.0 / M_PI) * (z + 0.044715 * z * z * z)));
      std::vector<double> dn = matvec(u, w.wdown, f, d);
      for (int i = 0; i < d; ++i) x[size_t(t)][size_t(i)] += dn[size_t(i)];
    }
  }
  std::vector<std::vector<double>> out(static_cast<size_t>(T));
  for (int t = 0; t < T; ++t) {
    std::vector<double> lg = matvec(rmsnorm(x[size_t(t)], m.output_norm()), m.wout(), d, kOutVocab);
    double mx = -1e300;
    for (double z : lg) mx = std::max(mx, z);
    for (double& z : lg) z = std::exp(z - mx);
    out[size_t(t)] = lg;
  }
  return out;
}

}  // namespace lmzip::test
