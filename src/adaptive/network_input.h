// The network's 256-way distribution as binary decisions: the probability of
// a 1 at a node of the byte's tree is the frequency under the node's 1-branch
// over the frequency under the node, from a cumulative array built once per
// byte. Integers only.
#pragma once

#include <cstdint>

namespace lmzip::adaptive {

class NetworkInput {
 public:
  void reset() { present_ = false; }
  // freq: 256 values (or nullptr: no network for this byte).
  void byte_begin(const uint32_t* freq);
  bool present() const { return present_; }
  // P(1) scaled to 2^16 (1..65535) at the node c0 (leading 1, `bits` bits).
  int p16(uint32_t c0, int bits) const;

 private:
  bool present_ = false;
  uint64_t cum_[257] = {};
};

}  // namespace lmzip::adaptive
