// The match model: finds the longest earlier repeat of the bytes just seen
// anywhere in the history (hashes of the last 16 and the last 6 bytes -> the
// position that followed them, each candidate's length verified backwards),
// and predicts that the next byte is the one that followed it, with a
// strength learned per match length.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "adaptive/history.h"

namespace lmzip::adaptive {

class MatchModel {
 public:
  MatchModel();
  void reset();
  // After a byte was pushed to h: extends or drops the match, looks for one.
  void byte_update(const History& h);
  // The inputs for the next bit (2 values, stretch domain) given the bits of
  // the byte so far (c0, with its leading 1) and how many there are.
  void inputs(int32_t* x, uint32_t c0, int bits);
  void update(int bit);
  // 0 (no match) .. 7, growing with the match length.
  int length_bucket() const;
  // The byte the match predicts (valid when length() > 0), and the length.
  int expected_byte() const { return expected_; }
  uint32_t length() const { return len_; }
  size_t memory_bytes() const { return (long_.size() + short_.size()) * sizeof(uint32_t) + sizeof(sm_); }

 private:
  std::vector<uint32_t> long_, short_;  // hash -> position after the hashed bytes
  uint32_t ptr_ = 0, len_ = 0;          // predicted byte's position, verified length
  int expected_ = 0;
  int expected_bit_ = -1;  // for the current bit; -1: no prediction
  uint32_t* ctr_ = nullptr;
  uint32_t sm_[2][64];  // [expected bit][length slot] -> P(1)
  uint64_t last8_ = 0, prev8_ = 0;  // the last 16 bytes
};

}  // namespace lmzip::adaptive
