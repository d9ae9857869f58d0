// The block's bytes so far, in a ring of 16 MiB: what the match model and the
// record and column contexts look back into. Positions are absolute (a block
// holds at most 64 MiB, far below 2^32); byte(i) is valid for the last 16 MiB.
#pragma once

#include <cstddef>
#include <cstdint>
#include <algorithm>
#include <vector>

namespace lmzip::adaptive {

class History {
 public:
  static constexpr uint32_t kSize = uint32_t(1) << 24;

  History() : buf_(kSize) {}
  void reset() {
    std::fill(buf_.begin(), buf_.end(), uint8_t(0));
    pos_ = 0;
  }
  void push(uint8_t c) { buf_[pos_++ & (kSize - 1)] = c; }
  // Bytes seen so far in the block.
  uint32_t pos() const { return pos_; }
  // The byte at absolute position i (i < pos(), pos() - i <= kSize).
  uint8_t at(uint32_t i) const { return buf_[i & (kSize - 1)]; }
  // The byte d back (d = 1: the last one); 0 before the block's start.
  uint8_t back(uint32_t d) const { return d <= pos_ ? buf_[(pos_ - d) & (kSize - 1)] : 0; }
  size_t memory_bytes() const { return buf_.size(); }

 private:
  std::vector<uint8_t> buf_;
  uint32_t pos_ = 0;
};

}  // namespace lmzip::adaptive
