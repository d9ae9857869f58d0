#include <cassert>

#include "coder/range_coder.h"
#include "lmzip/predictor.h"

namespace lmzip {

void RangeEncoder::propagate_carry() {
  size_t i = out_.size();
  // The interval stays below 1.0, so some earlier byte of this stream is < 0xFF.
  while (true) {
    assert(i > first_);
    --i;
    if (++out_[i] != 0) break;
  }
}

void RangeEncoder::add_to_low(uint64_t value) {
  const uint64_t sum = low_ + value;
  if (sum < low_) propagate_carry();
  low_ = sum;
}

void RangeEncoder::encode(uint32_t start, uint32_t freq, uint32_t total) {
  assert(freq >= 1 && total <= kMaxFrequencyTotal && start + freq <= total);
  const uint64_t step = range_ / total;
  add_to_low(step * start);
  range_ = step * freq;
  while (range_ < kRangeBottom) {
    out_.push_back(static_cast<uint8_t>(low_ >> 56));
    low_ <<= 8;
    range_ <<= 8;
  }
  assert(range_ >= kRangeBottom);
}

void RangeEncoder::finish(bool trimmed) {
  // V = low rounded up to a multiple of 2^56 lies in [low, low + range)
  // because range >= 2^56; only its top byte is non-zero.
  add_to_low(kRangeBottom - 1);
  out_.push_back(static_cast<uint8_t>(low_ >> 56));
  if (trimmed)
    while (out_.size() > first_ && out_.back() == 0) out_.pop_back();
}

}  // namespace lmzip
