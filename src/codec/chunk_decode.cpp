#include <vector>

#include "codec/chunk_codec.h"
#include "coder/range_coder.h"

namespace lmzip {

void chunk_decode(Predictor& predictor, std::span<const uint8_t> payload,
                  std::span<uint8_t> content) {
  const int a = predictor.alphabet_size();
  std::vector<uint32_t> freq(static_cast<size_t>(a));
  predictor.reset();
  RangeDecoder decoder(payload);
  for (uint8_t& out : content) {
    const uint32_t total = predictor.predict(freq.data());
    const uint32_t target = decoder.decode_target(total);
    int s = 0;
    uint32_t start = 0;
    while (s < a - 1 && start + freq[static_cast<size_t>(s)] <= target) start += freq[static_cast<size_t>(s++)];
    decoder.consume(start, freq[static_cast<size_t>(s)]);
    out = static_cast<uint8_t>(s);
    predictor.update(static_cast<Symbol>(s));
  }
}

}  // namespace lmzip
