// Whether a token ends where it could both end and go on (docs/FORMAT.md,
// "Adaptive payload with a token network"): the token model's odds, refined
// by what the chunk has shown. Where the tokens end is the tokenizer's
// function of the text, which a model that predicts tokens only guesses: a
// token that ended after these bytes before likely ends after them again.
// Two APMs (adaptive/apm.h) refine the model's probability, one by the
// token's bytes so far, one by those and the id before them; integers only.
#pragma once

#include <cstdint>

#include "adaptive/apm.h"
#include "lmzip/predictor.h"

namespace lmzip {

// The contexts of a decision: a hash of the token's bytes so far, and of
// those and the id before the token (kNoId for the chunk's first).
struct TokenEndContext {
  static constexpr Symbol kNoId = ~Symbol(0);
  uint32_t bytes = 0x9E3779B9u;
  Symbol previous = kNoId;
  void add(uint8_t b) { bytes = (bytes ^ b) * 0x01000193u + 0x7F4A7C15u; }
  uint32_t with_previous() const { return (bytes ^ (uint32_t(previous) * 0x85EBCA6Bu)) * 0xC2B2AE35u; }
};

class TokenEnds {
 public:
  TokenEnds();  // a chunk's: it learns from the chunk's start
  // P(the token ends) in 1 .. 2^16 - 1 of 2^16, for the model's mass of the
  // tokens that end here out of those that start with the bytes read.
  uint32_t p_end(uint32_t end_mass, uint32_t run_mass, const TokenEndContext& c);
  // What the token did (after p_end).
  void update(bool ends);

 private:
  adaptive::Apm by_bytes_, by_previous_;
};

}  // namespace lmzip
