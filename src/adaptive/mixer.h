// Online logistic mixing in integers: inputs in the stretch domain (squash.h),
// int32 weights with 16 fractional bits, one weight set per value of a small
// selecting context. Each product is shifted before it is summed and nothing
// overflows (mixer.cpp), so the sum is exact in any evaluation order (scalar
// or vectorised alike); the learning rate is fixed.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace lmzip::adaptive {

class Mixer {
 public:
  // n inputs (|x| <= 2047; x holds n rounded up to a multiple of 8, the
  // padding 0), sets weight sets; weights start at init
  // (65536 = 1.0); lr (1 ..= 64): the step is about x * err * lr >> 18 with
  // err the 16-bit probability error.
  Mixer(int n, int sets, int32_t init, int lr);
  void reset();
  // Stretch-domain output of weight set `set` (clamped to the domain).
  int dot(const int32_t* x, int set) const;
  // Moves set `set` toward the bit that came, given the probability p16 its
  // output stood for.
  void train(const int32_t* x, int set, int bit, int p16);
  size_t memory_bytes() const { return w_.size() * sizeof(int32_t); }

 private:
  std::vector<int32_t> w_;
  int n_;
  int32_t init_;
  int lr_;
};

}  // namespace lmzip::adaptive
