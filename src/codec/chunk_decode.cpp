#include <vector>

#include "codec/chunk_codec.h"
#include "coder/range_coder.h"

namespace lmzip {

namespace {

// Finds the symbol whose frequency interval holds the decoder's target and consumes it.
Symbol symbol_decode(RangeDecoder& decoder, const uint32_t* freq, uint32_t total, int alphabet) {
  const uint32_t target = decoder.decode_target(total);
  int s = 0;
  uint32_t start = 0;
  while (s < alphabet - 1 && start + freq[s] <= target) start += freq[s++];
  decoder.consume(start, freq[s]);
  return static_cast<Symbol>(s);
}

}  // namespace

bool chunk_decode(Predictor& predictor, std::span<const uint8_t> payload,
                  std::span<uint8_t> content) {
  const int a = predictor.alphabet_size();
  std::vector<uint32_t> freq(static_cast<size_t>(a));
  predictor.reset();
  RangeDecoder decoder(payload);
  for (uint8_t& out : content) {
    const uint32_t total = predictor.predict(freq.data());
    const Symbol s = symbol_decode(decoder, freq.data(), total, a);
    out = static_cast<uint8_t>(s);
    predictor.update(s);
  }
  return decoder.at_canonical_end();
}

std::vector<bool> chunk_decode_lockstep(LockstepPredictor& predictor,
                           std::span<const std::span<const uint8_t>> payloads,
                           std::span<const std::span<uint8_t>> contents) {
  const size_t lanes = payloads.size();
  const int a = predictor.alphabet_size();
  std::vector<uint32_t> freqs(lanes * static_cast<size_t>(a)), totals(lanes);
  std::vector<Symbol> symbols(lanes);
  std::vector<RangeDecoder> decoders;
  for (auto p : payloads) decoders.emplace_back(p);
  predictor.reset(lanes);
  const size_t n = contents.empty() ? 0 : contents[0].size();
  for (size_t pos = 0; pos < n; ++pos) {
    predictor.predict(freqs.data(), totals.data());
    for (size_t l = 0; l < lanes; ++l) {
      symbols[l] = symbol_decode(decoders[l], freqs.data() + l * static_cast<size_t>(a), totals[l], a);
      contents[l][pos] = static_cast<uint8_t>(symbols[l]);
    }
    predictor.update(symbols);
  }
  std::vector<bool> canonical(lanes);
  for (size_t l = 0; l < lanes; ++l) canonical[l] = decoders[l].at_canonical_end();
  return canonical;
}

}  // namespace lmzip
