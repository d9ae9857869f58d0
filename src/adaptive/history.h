// The block being coded, as the stage learns it. The block is split into
// segments, each coded by one lane, the lanes in lockstep (one segment when
// the block is coded in order). A lane sees its own segment's bytes so far
// (History); the match model may also look into the other segments, but only
// at what their lanes have already coded (Block::known). The stage writes
// every byte it learns into its own buffer and reads nothing else, so the
// encoder (which has the whole block) and the decoder (which has what it
// decoded) see the same bytes by construction.
//
// Positions are offsets in the block (< 2^26: a chunk holds at most 64 MiB).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "common/byte_buffer.h"

namespace lmzip::adaptive {

// One lane's bytes: its segment from start() up to pos().
class History {
 public:
  History() = default;
  History(uint8_t* buf, uint32_t start) : buf_(buf), start_(start), pos_(start) {}
  void push(uint8_t c) { buf_[pos_++] = c; }
  uint32_t start() const { return start_; }
  // The position of the lane's next byte.
  uint32_t pos() const { return pos_; }
  // Bytes of the segment coded so far.
  uint32_t done() const { return pos_ - start_; }
  // The byte at position i (start() <= i < pos(), or Block::known(i)).
  uint8_t at(uint32_t i) const { return buf_[i]; }
  // The byte d back (d = 1: the last one); 0 before the segment's start.
  uint8_t back(uint32_t d) const { return d <= pos_ - start_ ? buf_[pos_ - d] : 0; }

 private:
  uint8_t* buf_ = nullptr;
  uint32_t start_ = 0, pos_ = 0;
};

class Block {
 public:
  // An empty block of `bytes` bytes in `lanes` segments (1 ..= bytes, or 1).
  void reset(uint32_t bytes, uint32_t lanes);
  uint32_t lanes() const { return uint32_t(lanes_.size()); }
  History& lane(uint32_t k) { return lanes_[k]; }
  const History& lane(uint32_t k) const { return lanes_[k]; }
  // Whether position p has been coded (its lane is past it).
  bool known(uint32_t p) const { return p < lanes_[segment_of(p)].pos(); }
  // The start of position p's segment.
  uint32_t segment_start(uint32_t p) const { return lanes_[segment_of(p)].start(); }
  uint8_t at(uint32_t p) const { return buf_[p]; }
  const uint8_t* data() const { return buf_.data(); }
  size_t memory_bytes() const { return buf_.capacity() + lanes_.capacity() * sizeof(History); }

 private:
  uint32_t segment_of(uint32_t p) const;

  ByteBuffer buf_;  // written by the lanes as they learn, read only where known
  std::vector<History> lanes_;
  uint32_t bytes_ = 0, q_ = 0, r_ = 0;  // segments of q_ + 1 bytes (r_ of them), then of q_
};

// Segment k of a block of `bytes` bytes in `lanes` segments: the first
// bytes % lanes segments hold one byte more (longest first, as lanes end).
inline uint32_t segment_start(uint32_t bytes, uint32_t lanes, uint32_t k) {
  const uint32_t q = bytes / lanes, r = bytes % lanes;
  return k * q + (k < r ? k : r);
}
inline uint32_t segment_size(uint32_t bytes, uint32_t lanes, uint32_t k) {
  return bytes / lanes + (k < bytes % lanes ? 1 : 0);
}

}  // namespace lmzip::adaptive
