#include <cassert>
#include <vector>

#include "codec/chunk_codec.h"
#include "coder/range_coder.h"
#include "codec/symbol_coding.h"

namespace lmzip {

void chunk_decode(Predictor& predictor, std::span<ChunkLane> lanes, bool exact_end) {
  const size_t n = lanes.size();
  assert(n >= 1 && n <= predictor.max_lanes());
  const size_t a = static_cast<size_t>(predictor.alphabet_size());
  std::vector<uint32_t> freqs(n * a), totals(n);
  std::vector<Symbol> symbols(n);
  std::vector<RangeDecoder> decoders;
  decoders.reserve(n);
  for (const ChunkLane& l : lanes) decoders.emplace_back(l.payload, exact_end);
  std::vector<uint8_t> overrun(n);  // lanes stopped past their payload: their symbols are 0 from there
  predictor.reset(n);
  size_t active = n;  // lanes [0, active) have symbols left at pos
  for (size_t pos = 0;; ++pos) {
    while (active > 0 && lanes[active - 1].content.size() <= pos) --active;
    if (active == 0) break;
    if (pos > 0) predictor.update({symbols.data(), active});
    predictor.predict(freqs.data(), totals.data());
    size_t going = 0;
    for (size_t l = 0; l < active; ++l) {
      if (overrun[l]) {
        symbols[l] = 0;
        continue;
      }
      symbols[l] = symbol_decode(decoders[l], freqs.data() + l * a, totals[l], int(a));
      lanes[l].content[pos] = static_cast<uint8_t>(symbols[l]);
      if (decoders[l].overrun()) overrun[l] = 1;
      else ++going;
    }
    if (going == 0) break;  // every lane left has overrun
  }
  for (size_t l = 0; l < n; ++l) lanes[l].canonical = !overrun[l] && decoders[l].at_canonical_end();
}

}  // namespace lmzip
