#include <algorithm>
#include <vector>

#include "adaptive/adaptive_model.h"
#include "adaptive/history.h"
#include "adaptive/network_input.h"
#include "codec/adaptive_bits.h"
#include "codec/chunk_codec.h"
#include "coder/range_coder.h"

namespace lmzip {
namespace {

// Network frequencies are computed a window at a time (the batch form, as
// chunk_encode), which bounds the buffer.
constexpr size_t kWindow = 4096;

// Whether the payload starts with the lane byte: stage 2 and later, with a network.
bool lane_byte(uint8_t stage, bool network) { return network && stage >= kAdaptiveStage2; }

// The lanes a payload's lane byte names (0: a byte the format does not allow).
uint32_t lanes_named(uint8_t lane_log2, uint32_t bytes) {
  if (lane_log2 != 0 && (lane_log2 < kAdaptiveLaneLog2Min || lane_log2 > kAdaptiveLaneLog2Max)) return 0;
  return adaptive_lanes(bytes, lane_log2);
}

}  // namespace

uint32_t adaptive_decode_lanes(uint8_t stage, bool network, std::span<const uint8_t> payload, uint32_t bytes) {
  if (!lane_byte(stage, network) || payload.empty()) return 1;
  return std::max<uint32_t>(1, lanes_named(payload[0], bytes));
}

void chunk_paths(Predictor& network, std::span<const uint8_t> segment, uint16_t* paths) {
  const size_t window = std::min(kWindow, segment.size());
  std::vector<Symbol> symbols(window);
  std::vector<uint32_t> freqs(window * 256), totals(window);
  network.reset();
  for (size_t base = 0; base < segment.size(); base += window) {
    const size_t n = std::min(window, segment.size() - base);
    std::copy_n(segment.data() + base, n, symbols.begin());
    network.predict_batch({symbols.data(), n}, freqs.data(), totals.data());
    for (size_t i = 0; i < n; ++i) adaptive::network_path(&freqs[i * 256], segment[base + i], paths + (base + i) * 8);
  }
}

bool chunk_encode_adaptive(AdaptiveModel& stage, const uint16_t* paths, uint8_t lane_log2,
                           std::span<const uint8_t> content, std::vector<uint8_t>& payload) {
  const uint32_t bytes = uint32_t(content.size());
  payload.clear();
  uint32_t lanes = 1;
  if (lane_byte(stage.stage(), paths != nullptr)) {
    payload.push_back(lane_log2);
    lanes = adaptive_lanes(bytes, lane_log2);
  } else {
    lane_log2 = 0;
  }
  stage.reset(bytes, lanes);
  RangeEncoder encoder(payload);
  size_check_encode(encoder, stage.stage(), lane_log2, bytes);
  const uint32_t steps = adaptive::segment_size(bytes, lanes, 0);
  for (uint32_t t = 0; t < steps; ++t) {
    for (uint32_t k = 0; k < lanes && t < adaptive::segment_size(bytes, lanes, k); ++k) {
      const uint32_t at = adaptive::segment_start(bytes, lanes, k) + t;
      if (paths) stage.byte_begin_path(k, paths + size_t(at) * 8);
      else stage.byte_begin(k, nullptr);
      const uint8_t byte = content[at];
      for (int i = 7; i >= 0; --i) {
        const int bit = (byte >> i) & 1;
        bit_encode(encoder, bit, stage.p1());
        stage.update(bit);
      }
    }
    if ((t & 1023) == 0 && payload.size() >= content.size()) return false;
  }
  encoder.finish();
  return payload.size() < content.size();
}

bool chunk_decode_adaptive(AdaptiveModel& stage, Predictor* network, std::span<const uint8_t> payload,
                           std::span<uint8_t> content, PayloadRules rules) {
  const uint32_t bytes = uint32_t(content.size());
  uint32_t lanes = 1;
  uint8_t lane_log2 = 0;
  if (lane_byte(stage.stage(), network != nullptr)) {
    lane_log2 = payload.empty() ? 0 : payload[0];
    lanes = payload.empty() ? 0 : lanes_named(lane_log2, bytes);
    if (lanes == 0 || network->max_lanes() < lanes) return false;  // the caller's predictor: adaptive_decode_lanes()
    payload = payload.subspan(1);
  }
  RangeDecoder decoder(payload, rules.exact_end);
  if (rules.size_check && !size_check_decode(decoder, stage.stage(), lane_log2, bytes)) return false;
  std::vector<uint32_t> freqs(network ? size_t(lanes) * 256 : 0), totals(network ? lanes : 0);
  std::vector<Symbol> symbols(lanes);
  stage.reset(bytes, lanes);
  if (network) network->reset(lanes);
  const uint32_t steps = adaptive::segment_size(bytes, lanes, 0);
  uint32_t going = lanes;  // lanes with a byte at this step
  for (uint32_t t = 0; t < steps; ++t) {
    while (t >= adaptive::segment_size(bytes, lanes, going - 1)) --going;
    if (network) network->predict(freqs.data(), totals.data());
    for (uint32_t k = 0; k < going; ++k) {
      stage.byte_begin(k, network ? &freqs[size_t(k) * 256] : nullptr);
      unsigned byte = 0;
      for (int i = 0; i < 8; ++i) {
        const int bit = bit_decode(decoder, stage.p1());
        stage.update(bit);
        byte = (byte << 1) | unsigned(bit);
      }
      content[adaptive::segment_start(bytes, lanes, k) + t] = uint8_t(byte);
      symbols[k] = byte;
      if (decoder.overrun()) return false;
    }
    if (network) network->update({symbols.data(), going});
  }
  return decoder.at_canonical_end();
}

}  // namespace lmzip
