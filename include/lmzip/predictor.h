// The one interface every model implements: the distribution of the next
// symbol, given the symbols so far, as integer frequencies for the coder.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

namespace lmzip {

using Symbol = uint32_t;

// Largest frequency total the range coder accepts (see src/coder/range_coder.h).
inline constexpr uint32_t kMaxFrequencyTotal = 1u << 30;

class Predictor {
 public:
  virtual ~Predictor() = default;

  // Symbols are 0 .. alphabet_size()-1 (256 for byte models).
  virtual int alphabet_size() const = 0;

  // Forget everything: the next prediction is for the first symbol of a chunk.
  virtual void reset() = 0;

  // Fills freq[0 .. alphabet_size()) with the next symbol's frequencies, each
  // >= 1, and returns their sum, which is <= kMaxFrequencyTotal. Does not
  // advance: calling it twice gives the same answer.
  virtual uint32_t predict(uint32_t* freq) = 0;

  // Advances past `symbol` (the symbol that actually came next).
  virtual void update(Symbol symbol) = 0;

  // Batch form used by the encoder: for each i, freqs[i*A ..] and totals[i]
  // are what predict() would give, followed by update(symbols[i]); the state
  // afterwards is the same as after those updates. Implementations must be
  // bit-identical to the step-by-step form (the decoder's): that is what makes
  // decoding possible. The default does exactly the step-by-step loop.
  virtual void predict_batch(std::span<const Symbol> symbols, uint32_t* freqs,
                             uint32_t* totals);
};

// Several independent chunks stepped together, one symbol of each per step:
// a transformer then does matrix-matrix work instead of B matrix-vector
// products. Lane by lane, the frequencies must be bit-identical to those of
// the model's Predictor on the same chunk.
class LockstepPredictor {
 public:
  virtual ~LockstepPredictor() = default;
  virtual int alphabet_size() const = 0;
  virtual size_t max_lanes() const = 0;

  // Starts `lanes` (1 .. max_lanes()) new chunks.
  virtual void reset(size_t lanes) = 0;
  // freqs: (lanes, alphabet_size()), totals: (lanes); same contract as Predictor::predict.
  virtual void predict(uint32_t* freqs, uint32_t* totals) = 0;
  // symbols: one per lane.
  virtual void update(std::span<const Symbol> symbols) = 0;
};

}  // namespace lmzip
