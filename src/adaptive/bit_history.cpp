// The bit-history next-state table (bit_history.h). A state packs n0 (bits
// 0-2), n1 (bits 3-5) and the last two bits (6-7).
#include "adaptive/bit_history.h"

namespace lmzip::adaptive {
namespace {

int count_after_break(int n) { return n > 2 ? n / 2 + 1 : n; }

std::array<uint8_t, 512> bit_history_build() {
  std::array<uint8_t, 512> t{};
  for (int s = 0; s < 256; ++s) {
    const int n0 = s & 7, n1 = (s >> 3) & 7, last = s >> 6;
    for (int bit = 0; bit < 2; ++bit) {
      int m0 = n0, m1 = n1;
      if (bit) {
        m1 = m1 < 7 ? m1 + 1 : 7;
        m0 = count_after_break(m0);
      } else {
        m0 = m0 < 7 ? m0 + 1 : 7;
        m1 = count_after_break(m1);
      }
      const int l = ((last << 1) | bit) & 3;
      t[size_t(s) * 2 + size_t(bit)] = uint8_t(m0 | m1 << 3 | l << 6);
    }
  }
  return t;
}

}  // namespace

const std::array<uint8_t, 512> kBitHistoryNext = bit_history_build();

}  // namespace lmzip::adaptive
