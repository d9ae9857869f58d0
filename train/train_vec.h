// Element-wise kernels of the trainer, written with GCC/Clang vector
// extensions (4 floats: SSE2 on baseline x86-64, NEON on arm64; wider types
// change the ABI without -mavx and draw warnings) so they
// vectorise without -march flags or -ffast-math: after the data-parallel
// split, glibc's scalar expf/tanhf and unvectorised reductions were about half
// of a step. Each has a scalar double overload with the same meaning, used by
// the gradient tests. Results are deterministic (fixed lane order).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>

namespace lmzip::train {

namespace vec {
typedef float vf __attribute__((vector_size(16)));
typedef int32_t vi __attribute__((vector_size(16)));
inline constexpr size_t kLanes = 4;

inline vf load(const float* p) {
  vf v;
  std::memcpy(&v, p, sizeof v);
  return v;
}
inline void store(float* p, vf v) { std::memcpy(p, &v, sizeof v); }
inline vf splat(float x) { return vf{x, x, x, x}; }
inline float hsum(vf v) { return (v[0] + v[2]) + (v[1] + v[3]); }
inline float hmax(vf v) {
  float m = v[0];
  for (size_t i = 1; i < kLanes; ++i) m = std::max(m, v[i]);
  return m;
}

// exp with Cephes' single-precision polynomial: ~1 ulp on the clamped range
// [-87.3, 88.4] (below: the smallest normal, i.e. effectively 0).
inline vf exp(vf x) {
  const vf hi = splat(88.3762626647949f), lo = splat(-87.3365447505531f);
  x = x > hi ? hi : x;
  x = x < lo ? lo : x;
  vf fx = x * splat(1.44269504088896341f) + splat(0.5f);
  vi ti = __builtin_convertvector(fx, vi);  // truncates toward zero
  vf tf = __builtin_convertvector(ti, vf);
  vf one = splat(1.0f);
  tf = tf > fx ? tf - one : tf;                // floor
  x = x - tf * splat(0.693359375f);
  x = x - tf * splat(-2.12194440e-4f);
  vf z = x * x;
  vf y = splat(1.9875691500e-4f);
  y = y * x + splat(1.3981999507e-3f);
  y = y * x + splat(8.3334519073e-3f);
  y = y * x + splat(4.1665795894e-2f);
  y = y * x + splat(1.6666665459e-1f);
  y = y * x + splat(5.0000001201e-1f);
  y = y * z + x + one;
  vi n = __builtin_convertvector(tf, vi);
  vi bits = (n + 127) << 23;
  vf pow2n;
  std::memcpy(&pow2n, &bits, sizeof pow2n);
  return y * pow2n;
}

// Applies f to blocks of kLanes; the tail goes through a zero-padded block so
// it gets exactly the same arithmetic.
template <class F>
inline void for_blocks(size_t n, F&& f) {
  size_t i = 0;
  for (; i + kLanes <= n; i += kLanes) f(i, kLanes);
  if (i < n) f(i, n - i);
}
inline vf load_n(const float* p, size_t k) {
  if (k == kLanes) return load(p);
  float t[kLanes] = {};
  std::memcpy(t, p, k * sizeof(float));
  return load(t);
}
inline void store_n(float* p, vf v, size_t k) {
  if (k == kLanes) return store(p, v);
  float t[kLanes];
  store(t, v);
  std::memcpy(p, t, k * sizeof(float));
}
}  // namespace vec

// ---- sum_i a[i] b[i] ------------------------------------------------------------
inline double dot(const double* a, const double* b, int n) {
  double s = 0;
  for (int i = 0; i < n; ++i) s += a[i] * b[i];
  return s;
}
inline float dot(const float* a, const float* b, int n) {
  vec::vf acc = vec::splat(0.0f);
  vec::for_blocks(size_t(n), [&](size_t i, size_t k) { acc += vec::load_n(a + i, k) * vec::load_n(b + i, k); });
  return vec::hsum(acc);
}

// ---- max_i p[i] (n >= 1) ---------------------------------------------------------
inline double max_of(const double* p, int n) {
  double m = p[0];
  for (int i = 1; i < n; ++i) m = std::max(m, p[i]);
  return m;
}
inline float max_of(const float* p, int n) {
  float m = p[0];
  int i = 0;
  if (n >= int(vec::kLanes)) {
    vec::vf mv = vec::load(p);
    for (i = int(vec::kLanes); i + int(vec::kLanes) <= n; i += int(vec::kLanes)) {
      vec::vf x = vec::load(p + i);
      mv = x > mv ? x : mv;
    }
    m = vec::hmax(mv);
  }
  for (; i < n; ++i) m = std::max(m, p[i]);
  return m;
}

// ---- p[i] = exp(p[i] - shift); returns the sum ------------------------------------
inline double exp_shift_sum(double* p, int n, double shift) {
  double s = 0;
  for (int i = 0; i < n; ++i) s += (p[i] = std::exp(p[i] - shift));
  return s;
}
inline float exp_shift_sum(float* p, int n, float shift) {
  vec::vf acc = vec::splat(0.0f);
  const vec::vf sh = vec::splat(shift);
  vec::for_blocks(size_t(n), [&](size_t i, size_t k) {
    vec::vf e = vec::exp(vec::load_n(p + i, k) - sh);
    for (size_t j = k; j < vec::kLanes; ++j) e[j] = 0.0f;  // padding must not enter the sum
    acc += e;
    vec::store_n(p + i, e, k);
  });
  return vec::hsum(acc);
}

// ---- p[i] *= s -------------------------------------------------------------------
inline void scale(double* p, int n, double s) {
  for (int i = 0; i < n; ++i) p[i] *= s;
}
inline void scale(float* p, int n, float s) {
  const vec::vf sv = vec::splat(s);
  vec::for_blocks(size_t(n), [&](size_t i, size_t k) { vec::store_n(p + i, vec::load_n(p + i, k) * sv, k); });
}

// ---- d[i] = p[i] (d[i] - c) (softmax backward) -------------------------------------
inline void softmax_grad(double* d, const double* p, int n, double c) {
  for (int i = 0; i < n; ++i) d[i] = p[i] * (d[i] - c);
}
inline void softmax_grad(float* d, const float* p, int n, float c) {
  const vec::vf cv = vec::splat(c);
  vec::for_blocks(size_t(n), [&](size_t i, size_t k) {
    vec::store_n(d + i, vec::load_n(p + i, k) * (vec::load_n(d + i, k) - cv), k);
  });
}

// ---- GELU (tanh form) and its derivative -------------------------------------------
// out = gelu(x); if dgelu, also dgelu = gelu'(x), kept for the backward pass.
inline void gelu_eval(double* out, double* dgelu, const double* x, size_t n) {
  const double k = 0.7978845608028654;  // sqrt(2/pi)
  for (size_t i = 0; i < n; ++i) {
    const double v = x[i];
    const double th = std::tanh(k * (v + 0.044715 * v * v * v));
    out[i] = 0.5 * v * (1.0 + th);
    if (dgelu)
      dgelu[i] = 0.5 * (1.0 + th) + 0.5 * v * (1.0 - th * th) * k * (1.0 + 3.0 * 0.044715 * v * v);
  }
}
inline void gelu_eval(float* out, float* dgelu, const float* x, size_t n) {
  using vec::splat;
  const vec::vf k = splat(0.7978845608028654f), c = splat(0.044715f), c3 = splat(3.0f * 0.044715f);
  const vec::vf half = splat(0.5f), one = splat(1.0f), two = splat(2.0f);
  vec::for_blocks(n, [&](size_t i, size_t cnt) {
    const vec::vf v = vec::load_n(x + i, cnt);
    const vec::vf u = k * (v + c * v * v * v);
    // tanh(u) = 1 - 2 / (exp(2u) + 1): saturates cleanly at both ends.
    const vec::vf th = one - two / (vec::exp(two * u) + one);
    vec::store_n(out + i, half * v * (one + th), cnt);
    if (dgelu)
      vec::store_n(dgelu + i, half * (one + th) + half * v * (one - th * th) * k * (one + c3 * v * v), cnt);
  });
}

// ---- a[i] = b[i] * c[i] ------------------------------------------------------------
inline void mul(double* a, const double* b, const double* c, size_t n) {
  for (size_t i = 0; i < n; ++i) a[i] = b[i] * c[i];
}
inline void mul(float* a, const float* b, const float* c, size_t n) {
  vec::for_blocks(n, [&](size_t i, size_t k) { vec::store_n(a + i, vec::load_n(b + i, k) * vec::load_n(c + i, k), k); });
}

// ---- a[i] = b[i] + c[i] ------------------------------------------------------------
inline void add(double* a, const double* b, const double* c, size_t n) {
  for (size_t i = 0; i < n; ++i) a[i] = b[i] + c[i];
}
inline void add(float* a, const float* b, const float* c, size_t n) {
  vec::for_blocks(n, [&](size_t i, size_t k) { vec::store_n(a + i, vec::load_n(b + i, k) + vec::load_n(c + i, k), k); });
}

}  // namespace lmzip::train
