// The integer logistic mixer (mixer.h).
#include "adaptive/mixer.h"

#include "adaptive/squash.h"

// The loops are exact int32 arithmetic, the same numbers vectorised or not;
// GCC's -O2 cost model leaves the update loop scalar (its clamp needs blends).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("vect-cost-model=dynamic")
#endif

namespace lmzip::adaptive {

namespace {
// |w| <= 8.0 and |x| <= 2047: every product is below 2^30, every sum of products
// shifted by 8 far below 2^31 for any input count used here; all in int32.
constexpr int32_t kWeightMax = int32_t(8) << 16;
}

Mixer::Mixer(int n, int sets, int32_t init, int lr)
    : w_(size_t((n + 7) & ~7) * size_t(sets)), n_((n + 7) & ~7), init_(init), lr_(lr) {
  reset();
}

void Mixer::reset() { std::fill(w_.begin(), w_.end(), init_); }

int Mixer::dot(const int32_t* x, int set) const {
  const int32_t* w = &w_[size_t(set) * size_t(n_)];
  // Blocks of 8 (n is a multiple of 8) with a fixed inner length, so that
  // compilers vectorise them at -O2.
  int32_t sum = 0;
  for (int i = 0; i < n_; i += 8)
    for (int j = 0; j < 8; ++j) sum += (x[i + j] * w[i + j]) >> 8;
  const int32_t d = sum >> 8;
  return d > kStretchMax ? kStretchMax : (d < -kStretchMax ? -kStretchMax : d);
}

void Mixer::train(const int32_t* x, int set, int bit, int p16) {
  int32_t* w = &w_[size_t(set) * size_t(n_)];
  // |e| <= 2^17 * lr >> 8 <= 2^15 for lr <= 64: x * e stays below 2^26.
  const int32_t e = (((bit << 16) - p16) * lr_) >> 8;
  for (int i = 0; i < n_; i += 8)
    for (int j = 0; j < 8; ++j) {
      const int32_t nw = w[i + j] + ((x[i + j] * e) >> 10);
      w[i + j] = nw > kWeightMax ? kWeightMax : (nw < -kWeightMax ? -kWeightMax : nw);
    }
}

}  // namespace lmzip::adaptive
