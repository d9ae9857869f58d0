// The network's 256-way distribution as binary decisions: the probability of
// a 1 at a node of the byte's tree is the frequency under the node's 1-branch
// over the frequency under the node, from a cumulative array built once per
// byte. Integers only.
//
// The encoder knows each byte, so it can hand over just the 8 node
// probabilities on the byte's path (network_path), computed apart from the
// stage (in parallel, ahead of it): the stage only ever asks for the nodes on
// the path, and both forms give the same numbers.
#pragma once

#include <cstdint>

namespace lmzip::adaptive {

// path[b] = the probability of a 1 at the node of `byte` after its first b
// bits (b = 0 .. 7), as NetworkInput::p16 gives it.
void network_path(const uint32_t* freq, uint8_t byte, uint16_t* path);

class NetworkInput {
 public:
  void reset() { mode_ = Mode::none; }
  // freq: 256 values (or nullptr: no network for this byte).
  void byte_begin(const uint32_t* freq);
  // path: network_path() of the byte about to be coded.
  void byte_begin_path(const uint16_t* path);
  bool present() const { return mode_ != Mode::none; }
  // P(1) scaled to 2^16 (1..65535) at the node c0 (leading 1, `bits` bits):
  // in the path form, c0 must be on the byte's path.
  int p16(uint32_t c0, int bits) const { return mode_ == Mode::path ? path_[bits] : node_p16(cum_, c0, bits); }

 private:
  enum class Mode : uint8_t { none, freq, path };
  static int node_p16(const uint64_t* cum, uint32_t c0, int bits);
  friend void network_path(const uint32_t*, uint8_t, uint16_t*);

  Mode mode_ = Mode::none;
  uint16_t path_[8] = {};
  uint64_t cum_[257] = {};
};

}  // namespace lmzip::adaptive
