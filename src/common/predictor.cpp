#include "lmzip/predictor.h"

namespace lmzip {

void Predictor::predict_batch(std::span<const Symbol> symbols, uint32_t* freqs, uint32_t* totals) {
  const size_t a = static_cast<size_t>(alphabet_size());
  for (size_t i = 0; i < symbols.size(); ++i) {
    predict(freqs + i * a, totals + i);
    update(symbols.subspan(i, 1));
  }
}

}  // namespace lmzip
