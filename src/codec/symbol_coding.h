// One symbol through the range coder with a frequency table: the step every
// model's chunk coding shares (bytes, token ids).
#pragma once

#include <cstdint>

#include "coder/range_coder.h"
#include "lmzip/predictor.h"

namespace lmzip {

inline void symbol_encode(RangeEncoder& encoder, const uint32_t* freq, uint32_t total, Symbol s) {
  uint32_t start = 0;
  for (Symbol j = 0; j < s; ++j) start += freq[j];
  encoder.encode(start, freq[s], total);
}

// Finds the symbol whose frequency interval holds the decoder's target and consumes it.
inline Symbol symbol_decode(RangeDecoder& decoder, const uint32_t* freq, uint32_t total, int alphabet) {
  const uint32_t target = decoder.decode_target(total);
  int s = 0;
  uint32_t start = 0;
  while (s < alphabet - 1 && start + freq[s] <= target) start += freq[s++];
  decoder.consume(start, freq[s]);
  return static_cast<Symbol>(s);
}

}  // namespace lmzip
