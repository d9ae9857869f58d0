// The contexts of the next byte, computed once per byte from what came
// before: hashes of orders 2, 3, 4, 6, the current word (alone and with the
// previous one), sparse (skip) contexts and the high nibbles of the last four
// bytes, record and column contexts, indirect
// contexts and the match model's predicted byte. Each hash goes to the
// context table (context_table.h); order 0 and 1 are direct tables.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "adaptive/history.h"

namespace lmzip::adaptive {

inline constexpr int kHashedContexts = 15;
inline constexpr int kLeadingHashes = 5;  // orders 2, 3, 4, 6 and the word: the first hashes

// What followed each byte and each pair of bytes the last two times: shared
// by the lanes.
struct IndirectTables {
  std::array<uint16_t, 256> ind1{};
  std::vector<uint16_t> ind2 = std::vector<uint16_t>(65536);
  void reset() {
    ind1.fill(0);
    std::fill(ind2.begin(), ind2.end(), uint16_t(0));
  }
};

// One lane's contexts.
class ByteContexts {
 public:
  // For a lane whose segment starts at `start`.
  explicit ByteContexts(uint32_t start = 0);
  // After byte h.back(1) was pushed; match_byte / match_len: the match model's
  // prediction for the next byte (len 0: none).
  void byte_update(const History& h, IndirectTables& ind, int match_byte, uint32_t match_len);
  // The same for a user of the first kLeadingHashes hashes only: the rest of
  // hashes(), the indirect tables and the record are left as they are.
  void leading_update(const History& h);
  const std::array<uint32_t, kHashedContexts>& hashes() const { return hash_; }
  // The first kLeadingHashes of hashes() as they will be once byte c comes
  // (h as now, c not pushed yet): the next byte's buckets can be fetched
  // while its last bit is coded.
  void leading_hashes_after(const History& h, uint8_t c, uint32_t* out) const;
  // The record length in force (0: none found), for mixer selection.
  uint32_t record_length() const { return rlen_; }
  // 0 without a record length, else 1 + the column in the record (capped at 255).
  uint32_t record_column() const { return rcol_; }

 private:
  void word_update(uint8_t c1);

  std::array<uint32_t, kHashedContexts> hash_{};
  uint32_t word_ = 0, word_prev_ = 0;  // hashes of the current and previous word
  // Record length detection: per byte value, where it was last and the distance before that.
  std::array<uint32_t, 256> last_pos_{}, last_dist_{};
  uint32_t rlen_ = 0, rlen_cand_ = 0, rlen_votes_ = 0, rcol_ = 0;
  uint32_t line_start_ = 0, prev_line_start_ = 0;  // text columns
};

}  // namespace lmzip::adaptive
