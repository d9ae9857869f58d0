// The block and its lanes (history.h).
#include "adaptive/history.h"

namespace lmzip::adaptive {

void Block::reset(uint32_t bytes, uint32_t lanes) {
  if (lanes == 0 || lanes > bytes) lanes = 1;
  // Not cleared: every position is written before it is read (known()), and
  // a block that claims more than its payload codes stops early, so most of a
  // large buffer may never be touched.
  buf_.resize(bytes);
  bytes_ = bytes;
  q_ = bytes / lanes;
  r_ = bytes % lanes;
  lanes_.clear();
  for (uint32_t k = 0; k < lanes; ++k) lanes_.emplace_back(buf_.data(), adaptive::segment_start(bytes, lanes, k));
}

uint32_t Block::segment_of(uint32_t p) const {
  if (lanes_.size() == 1) return 0;
  const uint32_t long_bytes = r_ * (q_ + 1);
  return p < long_bytes ? p / (q_ + 1) : r_ + (p - long_bytes) / q_;
}

}  // namespace lmzip::adaptive
