// The adaptive stage (issue 14): learns the block it is coding, bit by bit,
// and mixes what it learns with a network's prediction when there is one.
//
// A byte is coded as 8 binary decisions, most significant bit first. Before
// each byte the caller may hand over a network's 256-way distribution for
// it; the stage turns it into the probability of each node on the byte's
// path and uses it as one input among its own models of the block so far
// (hashed contexts of several orders, words, sparse and column contexts, a
// match model), mixed online and refined by SSE stages.
//
// Determinism: integer arithmetic only, one fixed order of operations, the
// same on every machine, compiler and SIMD path; a fresh or reset() stage
// gives exactly the same probabilities for the same bits. The algorithm and
// its table sizes are fixed: the frame names the stage (kAdaptiveKind), and
// any change to what p1() returns makes a new kind.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>

namespace lmzip {

inline constexpr uint8_t kAdaptiveKind = 1;  // "cm1": this implementation
inline constexpr int kAdaptiveProbBits = 16;  // p1() is scaled to 2^16

class AdaptiveModel {
 public:
  AdaptiveModel();
  ~AdaptiveModel();
  AdaptiveModel(const AdaptiveModel&) = delete;
  AdaptiveModel& operator=(const AdaptiveModel&) = delete;

  // Forgets everything: the next bit is the first bit of a block's first byte.
  void reset();
  // Before the first bit of every byte: the network's frequencies for this
  // byte (256 values, each >= 1, summing to total <= 2^30), or nullptr when
  // the block is coded without a network.
  void byte_begin(const uint32_t* freq, uint32_t total);
  // Probability that the next bit is 1, scaled to 2^16: 1 ..= 65535. Does not
  // advance; calling it twice gives the same answer.
  uint32_t p1();
  // Learns the bit that came (0 or 1). After the 8th bit of a byte the next
  // call is byte_begin().
  void update(int bit);

  // Bytes of state (tables included): what one coding thread holds.
  size_t memory_bytes() const;

 private:
  struct State;
  std::unique_ptr<State> s_;
};

}  // namespace lmzip
