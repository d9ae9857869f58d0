// The APM / SSE stage (apm.h).
#include "adaptive/apm.h"

#include <algorithm>
#include <array>

#include "adaptive/squash.h"

namespace lmzip::adaptive {

Apm::Apm(size_t contexts, int rate)
    : t_(new uint16_t[contexts * 33]), epoch_(new uint16_t[contexts]()), contexts_(contexts), rate_(rate) {
  reset();
}

void Apm::reset() {
  if (++now_ == 0) {  // every 65535 resets: the epochs start again
    std::fill_n(epoch_.get(), contexts_, uint16_t(0));
    now_ = 1;
  }
  last_ = 0;
}

int Apm::refine(int p16, size_t cx) {
  const int s = stretch(uint32_t(p16)) + 2048;  // 1 .. 4095
  const int lo = s >> 7, w = s & 127;
  if (epoch_[cx] != now_) {
    static const std::array<uint16_t, 33> kIdentity = [] {
      std::array<uint16_t, 33> row;
      for (int i = 0; i < 33; ++i) row[size_t(i)] = uint16_t(squash((i - 16) * 128));
      return row;
    }();
    std::copy(kIdentity.begin(), kIdentity.end(), &t_[cx * 33]);
    epoch_[cx] = now_;
  }
  const size_t base = cx * 33 + size_t(lo);
  last_ = base + size_t(w >> 6);
  const int p = (t_[base] * (128 - w) + t_[base + 1] * w) >> 7;
  return p < 1 ? 1 : (p > 65535 ? 65535 : p);
}

void Apm::update(int bit) {
  const int p = t_[last_];
  const int target = bit ? 65535 : 0;
  t_[last_] = uint16_t(p + ((target - p) >> rate_));
}

}  // namespace lmzip::adaptive
