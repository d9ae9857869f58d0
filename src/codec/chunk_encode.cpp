#include <algorithm>
#include <cassert>

#include "codec/chunk_codec.h"
#include "coder/range_coder.h"
#include "codec/symbol_coding.h"

namespace lmzip {

bool chunk_encode(Predictor& predictor, std::span<const uint8_t> content,
                  std::vector<uint8_t>& payload) {
  // Positions are predicted a segment at a time: the batch form is what makes
  // transformer encoding fast, and a segment bounds the frequency buffer.
  constexpr size_t kSegment = 4096;
  const size_t a = static_cast<size_t>(predictor.alphabet_size());
  const size_t seg = std::min(kSegment, content.size());
  std::vector<Symbol> symbols(seg);
  std::vector<uint32_t> freqs(seg * a), totals(seg);

  predictor.reset();
  payload.clear();
  RangeEncoder encoder(payload);
  for (size_t base = 0; base < content.size(); base += seg) {
    const size_t n = std::min(seg, content.size() - base);
    std::copy_n(content.data() + base, n, symbols.begin());
    predictor.predict_batch({symbols.data(), n}, freqs.data(), totals.data());
    for (size_t i = 0; i < n; ++i) {
      const uint32_t* f = freqs.data() + i * a;
      const Symbol s = symbols[i];
      symbol_encode(encoder, f, totals[i], s);
    }
    if (payload.size() >= content.size()) return false;
  }
  encoder.finish();
  return payload.size() < content.size();
}

}  // namespace lmzip
