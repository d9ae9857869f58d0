// The network's distribution as node probabilities (network_input.h).
#include "adaptive/network_input.h"

namespace lmzip::adaptive {

namespace {
void cumulate(const uint32_t* freq, uint64_t* cum) {
  cum[0] = 0;
  for (int i = 0; i < 256; ++i) cum[i + 1] = cum[i] + freq[i];
}
}  // namespace

int NetworkInput::node_p16(const uint64_t* cum, uint32_t c0, int bits) {
  const uint32_t width = 256u >> bits, lo = (c0 - (1u << bits)) << (8 - bits);
  const uint64_t all = cum[lo + width] - cum[lo];
  const uint64_t ones = cum[lo + width] - cum[lo + width / 2];
  if (all == 0) return 32768;  // frequencies of 0 break the contract; stay neutral
  const uint64_t p = (ones << 16) / all;
  return p < 1 ? 1 : (p > 65535 ? 65535 : int(p));
}

void network_path(const uint32_t* freq, uint8_t byte, uint16_t* path) {
  uint64_t cum[257];
  cumulate(freq, cum);
  for (int b = 0; b < 8; ++b) path[b] = uint16_t(NetworkInput::node_p16(cum, (0x100u | byte) >> (8 - b), b));
}

void NetworkInput::byte_begin(const uint32_t* freq) {
  mode_ = freq ? Mode::freq : Mode::none;
  if (freq) cumulate(freq, cum_);
}

void NetworkInput::byte_begin_path(const uint16_t* path) {
  mode_ = Mode::path;
  for (int b = 0; b < 8; ++b) path_[b] = path[b];
}

}  // namespace lmzip::adaptive
