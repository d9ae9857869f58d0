// A 64-bit range coder over integer frequency tables.
//
// The coded value is a fraction V in [0, 1). Both sides keep the current
// interval as [low, low + range) scaled by 2^64 relative to the bytes already
// emitted. Invariants (checked by asserts):
//   * after every symbol, range >= 2^56 (normalisation shifts out whole bytes),
//   * a symbol with frequency freq out of total gets floor(range / total) * freq
//     of the range; total <= 2^30 keeps floor(range / total) >= 2^26, so the
//     truncation costs at most 2^-26 of the range per symbol,
//   * the interval never leaves the original [0, 1), so a carry out of `low`
//     always finds a byte below 0xFF in the bytes already emitted.
// Two ways to end a stream (docs/FORMAT.md, "Payload ends"):
//   * trimmed (format versions 1 to 4 without exact ends): the decoder reads
//     zero bytes past the end of its input, which lets the encoder drop every
//     trailing zero byte; a decoder then cannot tell how far past its input a
//     stream may go.
//   * exact: every byte the encoder emitted is kept, so the decoder never needs
//     more than the input and the 7 bytes past it that fill its last window;
//     reading further (overrun()) proves the input damaged or forged, which
//     bounds what a decoder does on a record that claims more than its payload
//     codes: at most 8 more bits of information.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace lmzip {

inline constexpr uint64_t kRangeBottom = 1ull << 56;

class RangeEncoder {
 public:
  // Appends to `out`, which must outlive the encoder.
  explicit RangeEncoder(std::vector<uint8_t>& out) : out_(out), first_(out.size()) {}

  // Codes the symbol occupying [start, start + freq) of [0, total).
  void encode(uint32_t start, uint32_t freq, uint32_t total);

  // Emits the shortest tail that pins V inside the final interval; trimmed:
  // then drops every trailing zero byte of the stream.
  void finish(bool trimmed = false);

 private:
  void add_to_low(uint64_t value);
  void propagate_carry();

  std::vector<uint8_t>& out_;
  size_t first_;              // out_[first_] is this stream's first byte
  uint64_t low_ = 0;
  uint64_t range_ = ~0ull;
};

class RangeDecoder {
 public:
  RangeDecoder(std::span<const uint8_t> in, bool exact_end);

  // The position in [0, total) that V falls on; the caller finds the symbol
  // whose [start, start + freq) holds it and calls consume().
  uint32_t decode_target(uint32_t total);
  void consume(uint32_t start, uint32_t freq);

  // After the last symbol: true iff the input is exactly what
  // RangeEncoder::finish() emits for the symbols decoded. The tail of a range
  // code has slack (any V in the final interval decodes the same symbols), so
  // without this check some damaged payloads would decode correctly and be
  // accepted, and one content would have many valid codings. Canonical means:
  // V is the first multiple of 2^56 at or above low (code < 2^56), and
  // trimmed: no input byte lies past the top byte of the final window and the
  // input does not end in a zero byte; exact: the input ends with that top byte.
  bool at_canonical_end() const;
  // Exact end only: the decoder has read past what any encoding of the
  // symbols so far could have emitted; no symbol decoded from here on means
  // anything, and the caller stops.
  bool overrun() const { return exact_end_ && reads_ > in_.size() + 7; }

 private:
  uint8_t next_byte() {
    ++reads_;
    return pos_ < in_.size() ? in_[pos_++] : 0;
  }

  std::span<const uint8_t> in_;
  bool exact_end_;
  size_t pos_ = 0;
  uint64_t reads_ = 0;  // bytes shifted into code_, counting the zeros past the end
  uint64_t code_ = 0;   // V - low, scaled like range
  uint64_t range_ = ~0ull;
  uint64_t step_ = 1;   // floor(range / total) of the pending decode
};

}  // namespace lmzip
