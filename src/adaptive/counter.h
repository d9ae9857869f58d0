// An adaptive probability counter in one 32-bit word: the probability of a 1
// in the high 22 bits, the number of updates seen (capped) in the low 10. The
// rate starts at 1/1.5 and falls as 1/(n + 1.5) down to 1/(limit + 1.5), so a
// fresh context learns fast and a seasoned one averages. Integers only.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

namespace lmzip::adaptive {

inline constexpr uint32_t kCounterInit = 0x80000000u;  // p = 1/2, n = 0

// 65536 / (n + 1.5), for n = 0 .. 1023.
extern const std::array<int32_t, 1024> kCounterRate;

inline uint32_t counter_p16(uint32_t c) { return c >> 16; }
inline uint32_t counter_n(uint32_t c) { return c & 1023; }

inline void counter_update(uint32_t& c, int bit, uint32_t limit) {
  const uint32_t n = c & 1023;
  const int64_t p = int64_t(c >> 10);
  const int64_t target = bit ? (1 << 22) - 1 : 0;
  const int64_t np = p + (((target - p) * kCounterRate[n]) >> 16);
  c = (uint32_t(np) << 10) | (n < limit ? n + 1 : limit);
}

}  // namespace lmzip::adaptive
