#include <algorithm>

#include "coder/range_coder.h"

namespace lmzip {

RangeDecoder::RangeDecoder(std::span<const uint8_t> in, bool exact_end) : in_(in), exact_end_(exact_end) {
  for (int i = 0; i < 8; ++i) code_ = (code_ << 8) | next_byte();
}

uint32_t RangeDecoder::decode_target(uint32_t total) {
  step_ = range_ / total;
  // Only a corrupt stream can point past the table: clamp so that consume()
  // never underflows; the chunk checksum then rejects the garbage.
  return static_cast<uint32_t>(std::min<uint64_t>(code_ / step_, total - 1));
}

void RangeDecoder::consume(uint32_t start, uint32_t freq) {
  code_ -= step_ * start;
  range_ = step_ * freq;
  while (range_ < kRangeBottom) {
    code_ = (code_ << 8) | next_byte();
    range_ <<= 8;
  }
}

bool RangeDecoder::at_canonical_end() const {
  // The encoder emitted reads_ - 8 bytes while coding, then one in finish():
  // that last byte is the top byte of the current window.
  if (exact_end_) return code_ < kRangeBottom && in_.size() + 7 == reads_;
  return code_ < kRangeBottom && in_.size() + 7 <= reads_ && (in_.empty() || in_.back() != 0);
}

}  // namespace lmzip
