// A token model's distribution read one byte at a time, so that the adaptive
// stage, which predicts bytes, can take it as its network (docs/FORMAT.md,
// "Adaptive payload with a token network").
//
// The vocabulary is sorted by text (bytes compared as unsigned, ties by id):
// the tokens whose text starts with a prefix are then one run of the order,
// those whose text is the prefix itself at the run's head, and the run's mass
// under the model is a difference of two prefix sums. Reading a token of L
// bytes costs one pass over the vocabulary (the prefix sums and the first
// byte's split) and short searches after that. Integers only: every mass is a
// sum of the model's frequencies, at most its total (<= 2^30).
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "lmzip/predictor.h"

namespace lmzip {

class TokenText;

class TokenOrder {
 public:
  // first: the texts of the chunk's first token (TokenText::text(id, true)).
  // Ids that spell nothing after others (control tokens) are left out; as a
  // first token, an id that spells nothing only there stays (SPM's lone space).
  TokenOrder(const TokenText& text, uint32_t vocabulary, bool first);
  size_t size() const { return ids_.size(); }
  Symbol id(size_t k) const { return ids_[k]; }
  std::string_view text(size_t k) const { return texts_[k]; }

 private:
  std::vector<Symbol> ids_;
  std::vector<std::string_view> texts_;
};

// One token being read: the run of the order whose texts start with the bytes
// read so far (the prefix), under the frequencies the model gave for it.
class TokenCursor {
 public:
  // A new token: freqs holds the model's frequency of every id.
  void start(const TokenOrder& order, const uint32_t* freqs);
  // Tokens whose text is exactly the prefix: can_end(); tokens longer: can_continue().
  bool can_end() const { return exact_ > 0; }
  bool can_continue() const { return hi_ > lo_ + exact_; }
  // The decision "the token ends here" as a symbol of total run_mass():
  // [0, end_mass()) ends, the rest continues. Needs can_end() and can_continue().
  uint32_t run_mass() const { return mass(lo_, hi_); }
  uint32_t end_mass() const { return mass(lo_, lo_ + exact_); }
  // The tokens that end here (exact() >= 1), by position k among them: the
  // interval of k in [0, end_mass()), and its id.
  size_t exact() const { return exact_; }
  uint32_t exact_start(size_t k) const { return mass(lo_, lo_ + k); }
  uint32_t exact_mass(size_t k) const { return mass(lo_ + k, lo_ + k + 1); }
  Symbol exact_id(size_t k) const { return order_->id(lo_ + k); }
  // freq[b] (256 values) = the mass of the tokens that continue with byte b
  // (0 for a byte no token continues with).
  void byte_freqs(uint32_t* freq) const;
  // Reads byte b; false (cursor unchanged) when no token continues with it.
  bool advance(uint8_t b);

 private:
  uint32_t mass(size_t a, size_t b) const { return uint32_t(sum_[b] - sum_[a]); }

  const TokenOrder* order_ = nullptr;
  std::vector<uint64_t> sum_;  // sum_[k] = frequency of order ids 0 .. k-1
  size_t lo_ = 0, hi_ = 0, exact_ = 0, depth_ = 0;
};

}  // namespace lmzip
