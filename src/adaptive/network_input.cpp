// The network's distribution as node probabilities (network_input.h).
#include "adaptive/network_input.h"

namespace lmzip::adaptive {

void NetworkInput::byte_begin(const uint32_t* freq) {
  present_ = freq != nullptr;
  if (!present_) return;
  cum_[0] = 0;
  for (int i = 0; i < 256; ++i) cum_[i + 1] = cum_[i] + freq[i];
}

int NetworkInput::p16(uint32_t c0, int bits) const {
  const uint32_t width = 256u >> bits, lo = (c0 - (1u << bits)) << (8 - bits);
  const uint64_t all = cum_[lo + width] - cum_[lo];
  const uint64_t ones = cum_[lo + width] - cum_[lo + width / 2];
  if (all == 0) return 32768;  // frequencies of 0 break the contract; stay neutral
  const uint64_t p = (ones << 16) / all;
  return p < 1 ? 1 : (p > 65535 ? 65535 : int(p));
}

}  // namespace lmzip::adaptive
