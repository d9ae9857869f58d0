// One context's node in 32 bits: an adaptive probability (18 bits), how many
// updates it has seen (6 bits, capped) and its bit history (8 bits,
// bit_history.h). The probability's rate is 1/(n + 1.5) down to
// 1/(limit + 1.5). All zero: never seen (p reads as 1/2).
#pragma once

#include <cstdint>

#include "adaptive/bit_history.h"
#include "adaptive/counter.h"

namespace lmzip::adaptive {

inline uint32_t slot_p16(uint32_t s) { return (s & 0xFF) == 0 ? 32768u : s >> 16; }
inline uint8_t slot_state(uint32_t s) { return uint8_t(s & 0xFF); }
inline uint32_t slot_n(uint32_t s) { return (s >> 8) & 63; }

// limit <= 63.
inline void slot_update(uint32_t& s, int bit, uint32_t limit) {
  const uint8_t state = uint8_t(s & 0xFF);
  const uint32_t n = (s >> 8) & 63;
  const int64_t p = state == 0 ? int64_t(1) << 17 : int64_t(s >> 14);
  const int64_t target = bit ? (1 << 18) - 1 : 0;
  const int64_t np = p + (((target - p) * kCounterRate[n]) >> 16);
  s = uint32_t(np) << 14 | (n < limit ? n + 1 : limit) << 8 | bit_history_next(state, bit);
}

}  // namespace lmzip::adaptive
