#include <algorithm>
#include <vector>

#include "adaptive/adaptive_model.h"
#include "codec/chunk_codec.h"
#include "coder/range_coder.h"

namespace lmzip {
namespace {

// A bit's interval in [0, 2^16): 0 below, 1 above (the stage's p1 of it).
constexpr uint32_t kBitTotal = 1u << kAdaptiveProbBits;

// Network frequencies are computed a segment at a time by the encoder (the
// batch form, as chunk_encode), which bounds the buffer.
constexpr size_t kSegment = 4096;

// A bit with P(1) = p1 / 2^16: the interval [0, 2^16 - p1) codes a 0, the
// rest a 1 (docs/FORMAT.md, "Adaptive payload").
void bit_encode(RangeEncoder& encoder, int bit, uint32_t p1) {
  if (bit) encoder.encode(kBitTotal - p1, p1, kBitTotal);
  else encoder.encode(0, kBitTotal - p1, kBitTotal);
}

int bit_decode(RangeDecoder& decoder, uint32_t p1) {
  const int bit = decoder.decode_target(kBitTotal) >= kBitTotal - p1;
  if (bit) decoder.consume(kBitTotal - p1, p1);
  else decoder.consume(0, kBitTotal - p1);
  return bit;
}

}  // namespace

bool chunk_encode_adaptive(AdaptiveModel& stage, Predictor* network, std::span<const uint8_t> content,
                           std::vector<uint8_t>& payload) {
  const size_t seg = std::min(kSegment, content.size());
  std::vector<Symbol> symbols(network ? seg : 0);
  std::vector<uint32_t> freqs(network ? seg * 256 : 0), totals(network ? seg : 0);
  stage.reset();
  if (network) network->reset();
  payload.clear();
  RangeEncoder encoder(payload);
  for (size_t base = 0; base < content.size(); base += seg) {
    const size_t n = std::min(seg, content.size() - base);
    if (network) {
      std::copy_n(content.data() + base, n, symbols.begin());
      network->predict_batch({symbols.data(), n}, freqs.data(), totals.data());
    }
    for (size_t i = 0; i < n; ++i) {
      stage.byte_begin(network ? freqs.data() + i * 256 : nullptr, network ? totals[i] : 0);
      const uint8_t byte = content[base + i];
      for (int k = 7; k >= 0; --k) {
        const int bit = (byte >> k) & 1;
        bit_encode(encoder, bit, stage.p1());
        stage.update(bit);
      }
    }
    if (payload.size() >= content.size()) return false;
  }
  encoder.finish();
  return payload.size() < content.size();
}

bool chunk_decode_adaptive(AdaptiveModel& stage, Predictor* network, std::span<const uint8_t> payload,
                           std::span<uint8_t> content) {
  uint32_t freq[256];
  stage.reset();
  if (network) network->reset();
  RangeDecoder decoder(payload);
  for (uint8_t& out : content) {
    const uint32_t total = network ? network->predict(freq) : 0;
    stage.byte_begin(network ? freq : nullptr, total);
    unsigned byte = 0;
    for (int k = 0; k < 8; ++k) {
      const int bit = bit_decode(decoder, stage.p1());
      stage.update(bit);
      byte = (byte << 1) | unsigned(bit);
    }
    out = static_cast<uint8_t>(byte);
    if (network) network->update(out);
  }
  return decoder.at_canonical_end();
}

}  // namespace lmzip
