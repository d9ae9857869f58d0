// The APM / SSE stage (apm.h).
#include "adaptive/apm.h"

#include "adaptive/counter.h"
#include "adaptive/squash.h"

namespace lmzip::adaptive {

Apm::Apm(size_t contexts, uint32_t limit) : t_(contexts * 33), limit_(limit) { reset(); }

void Apm::reset() {
  for (size_t i = 0; i < t_.size(); ++i) {
    const int d = (int(i % 33) - 16) * 128;
    t_[i] = uint32_t(squash(d)) << 16;  // n = 0
  }
  last_ = 0;
}

int Apm::refine(int p16, size_t cx) {
  const int s = stretch(uint32_t(p16)) + 2048;  // 1 .. 4095
  const int lo = s >> 7, w = s & 127;
  const size_t base = cx * 33 + size_t(lo);
  last_ = base + size_t(w >> 6);
  const int a = int(counter_p16(t_[base])), b = int(counter_p16(t_[base + 1]));
  const int p = (a * (128 - w) + b * w) >> 7;
  return p < 1 ? 1 : (p > 65535 ? 65535 : p);
}

void Apm::update(int bit) { counter_update(t_[last_], bit, limit_); }

}  // namespace lmzip::adaptive
