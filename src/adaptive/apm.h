// An APM / SSE stage: refines a probability given a context. Per context, 33
// counters at the knots of the stretch domain (every 128); the output
// interpolates the two knots around stretch(p), and the nearer knot learns
// the bit. Starts as the identity.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace lmzip::adaptive {

class Apm {
 public:
  Apm(size_t contexts, uint32_t limit);
  void reset();
  // The refined 16-bit probability of p16 in context cx (< contexts); remembers
  // the knot that learns on update().
  int refine(int p16, size_t cx);
  void update(int bit);
  size_t memory_bytes() const { return t_.size() * sizeof(uint32_t); }

 private:
  std::vector<uint32_t> t_;
  uint32_t limit_;
  size_t last_ = 0;
};

}  // namespace lmzip::adaptive
