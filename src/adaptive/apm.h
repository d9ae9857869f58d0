// An APM / SSE stage: refines a probability given a context. Per context, 33
// counters at the knots of the stretch domain (every 128); the output
// interpolates the two knots around stretch(p), and the nearer knot learns
// the bit at a fixed rate. Starts as the identity. 16 bits per knot: the
// order-1 and order-2 tables (4 MiB each) miss the cache less.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>

namespace lmzip::adaptive {

class Apm {
 public:
  // rate: each update moves the knot by 2^-rate of its error.
  Apm(size_t contexts, int rate);
  void reset();
  // The refined 16-bit probability of p16 in context cx (< contexts); remembers
  // the knot that learns on update().
  int refine(int p16, size_t cx);
  void update(int bit);
  // Asks the cache for context cx's knots ahead of refine() (no effect on results).
  void prefetch(size_t cx) const {
    __builtin_prefetch(&t_[cx * 33]);
    __builtin_prefetch(&t_[cx * 33 + 32]);
  }
  size_t memory_bytes() const { return contexts_ * (33 * sizeof(uint16_t) + sizeof(uint16_t)); }

 private:
  // Rows are set to the identity when first used after a reset (their epoch
  // is not the current one), so that a reset costs nothing and a small block
  // touches only the rows it uses (the order-2 table alone is 4 MiB).
  std::unique_ptr<uint16_t[]> t_;      // 16-bit probabilities, 33 per context, uninitialised until used
  std::unique_ptr<uint16_t[]> epoch_;  // per context: the reset its row was last set in
  size_t contexts_;
  uint16_t now_ = 0;                   // the current epoch (>= 1 after the first reset)
  int rate_;
  size_t last_ = 0;
};

}  // namespace lmzip::adaptive
