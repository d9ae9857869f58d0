// Bit histories in one byte: how many 0s and 1s a context has seen (each 0..7,
// the count of the other bit halved when a run breaks, so recent bits weigh
// more) and its last two bits. State 0 is "never seen". The next-state table
// is generated from that rule; a StateMap (one counter per state, per kind of
// context) learns what each history predicts.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

namespace lmzip::adaptive {

// kBitHistoryNext[state * 2 + bit]: the state after `bit`.
extern const std::array<uint8_t, 512> kBitHistoryNext;

inline uint8_t bit_history_next(uint8_t state, int bit) { return kBitHistoryNext[size_t(state) * 2 + size_t(bit)]; }

}  // namespace lmzip::adaptive
