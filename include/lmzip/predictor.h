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

// A predictor steps `lanes` independent chunks together, one symbol of each
// per step (a transformer then does matrix-matrix work instead of one
// matrix-vector product per chunk). One lane is the ordinary case: most
// predictors have max_lanes() == 1 and the one-lane forms below are what
// callers use. Lane by lane, the frequencies are those of one lane stepped
// alone: bit for bit, whatever the number of lanes.
class Predictor {
 public:
  virtual ~Predictor() = default;

  // Symbols are 0 .. alphabet_size()-1 (256 for byte models).
  virtual int alphabet_size() const = 0;

  // Most lanes reset() accepts (Model::make_predictor_lanes).
  virtual size_t max_lanes() const { return 1; }

  // Forgets everything and starts `lanes` (1 .. max_lanes()) new chunks: the
  // next prediction is for the first symbol of each.
  virtual void reset(size_t lanes) = 0;

  // Fills freqs[b * alphabet_size() ..] with lane b's next-symbol
  // frequencies, each >= 1, and totals[b] with their sum, <= kMaxFrequencyTotal,
  // for every lane still going (b < lanes after the last update()). Does not
  // advance: calling it twice gives the same answer.
  virtual void predict(uint32_t* freqs, uint32_t* totals) = 0;

  // Advances lane b past symbols[b] (the symbol that actually came next).
  // symbols.size() is the number of lanes still going: fewer than before
  // ends the last lanes (chunks are ordered longest first); it never grows
  // until the next reset.
  virtual void update(std::span<const Symbol> symbols) = 0;

  // One lane, many positions (the encoder): for each i, freqs[i*A ..] and
  // totals[i] are what predict() would give, followed by update(symbols[i]);
  // the state afterwards is the same as after those updates. Implementations
  // must be bit-identical to the step-by-step form (the decoder's): that is
  // what makes decoding possible. The default does exactly the step-by-step loop.
  virtual void predict_batch(std::span<const Symbol> symbols, uint32_t* freqs, uint32_t* totals);

  // The one-lane forms.
  void reset() { reset(1); }
  uint32_t predict(uint32_t* freq) {
    uint32_t total = 0;
    predict(freq, &total);
    return total;
  }
  void update(Symbol symbol) { update(std::span<const Symbol>(&symbol, 1)); }
};

}  // namespace lmzip
