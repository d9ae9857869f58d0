// The match model: finds the longest earlier repeat of the bytes just seen
// anywhere in the block (hashes of the last 16 and the last 6 bytes -> the
// position that followed them, each candidate's length verified backwards),
// and predicts that the next byte is the one that followed it, with a
// strength learned per match length. The tables and strengths are shared by
// the lanes; each lane follows its own match (MatchLane), into any segment,
// as far as that segment has been coded.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "adaptive/history.h"

namespace lmzip::adaptive {

// One lane's match.
struct MatchLane {
  uint32_t ptr = 0, len = 0;  // predicted byte's position, verified length (0: none)
  int expected = 0;           // the byte at ptr
  uint64_t last8 = 0, prev8 = 0;  // the lane's last 16 bytes
  // 0 (no match) .. 7, growing with the length.
  int length_bucket() const;
};

class MatchModel {
 public:
  MatchModel() = default;
  // Forgets everything; hash tables of 2^hash_bits entries each.
  void reset(int hash_bits);
  // After lane h's byte was pushed: extends or drops m's match, looks for one.
  void byte_update(MatchLane& m, const History& h, const Block& b);
  // The inputs for the next bit of lane m (2 values, stretch domain) given
  // the bits of the byte so far (c0, with its leading 1) and how many there are.
  void inputs(MatchLane& m, int32_t* x, uint32_t c0, int bits);
  // Learns the bit for the lane of the last inputs().
  void update(int bit);
  size_t memory_bytes() const { return (long_.capacity() + short_.capacity()) * sizeof(uint32_t) + sizeof(sm_); }

 private:
  std::vector<uint32_t> long_, short_;  // hash -> position after the hashed bytes (0: none)
  int hash_bits_ = 0;
  MatchLane* active_ = nullptr;
  int expected_bit_ = -1;  // for the current bit; -1: no prediction
  uint32_t* ctr_ = nullptr;
  uint32_t sm_[2][64];  // [expected bit][length slot] -> P(1)
};

}  // namespace lmzip::adaptive
