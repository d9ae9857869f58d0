// The APM / SSE stage (apm.h).
#include "adaptive/apm.h"

#include <algorithm>

#include "adaptive/squash.h"

namespace lmzip::adaptive {

Apm::Apm(size_t contexts, int rate) : t_(contexts * 33), rate_(rate) { reset(); }

void Apm::reset() {
  uint16_t row[33];
  for (int i = 0; i < 33; ++i) row[i] = uint16_t(squash((i - 16) * 128));
  for (size_t i = 0; i < t_.size(); i += 33) std::copy_n(row, 33, &t_[i]);
  last_ = 0;
}

int Apm::refine(int p16, size_t cx) {
  const int s = stretch(uint32_t(p16)) + 2048;  // 1 .. 4095
  const int lo = s >> 7, w = s & 127;
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
