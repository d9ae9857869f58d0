// The counter's rate table (counter.h).
#include "adaptive/counter.h"

namespace lmzip::adaptive {
namespace {

std::array<int32_t, 1024> counter_rate_build() {
  std::array<int32_t, 1024> t{};
  for (int n = 0; n < 1024; ++n) t[std::size_t(n)] = int32_t(131072 / (2 * n + 3));  // 65536 / (n + 1.5)
  return t;
}

}  // namespace

const std::array<int32_t, 1024> kCounterRate = counter_rate_build();

}  // namespace lmzip::adaptive
