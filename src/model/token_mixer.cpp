#include "model/token_mixer.h"

#include <algorithm>
#include <bit>
#include <cstdlib>
#include <cstring>

#include "model/logistic.h"

namespace lmzip {
namespace {

// Learning rules of "image1".
constexpr int kCountLimit = 60;        // a counter's rate is 1 / (visits + 1.5) down to 1 / 61.5
constexpr int kMixerRate = 24;         // weight step: input * error * rate / 2^16
constexpr int kNodeGroups = 64;        // nodes 1..62 have their own weights; deeper nodes share group 63
constexpr int32_t kOne = 1 << 16;      // a weight of 1.0
constexpr int kBias = 256;             // the bias input
constexpr int kConfidenceLevels = 8;   // the second weight set's selector

// Rate of a counter visited n times before: 2^16 / (n + 1.5).
constexpr std::array<uint16_t, kCountLimit + 1> kRate = [] {
  std::array<uint16_t, kCountLimit + 1> r{};
  for (int n = 0; n <= kCountLimit; ++n) r[size_t(n)] = uint16_t((2u << 16) / uint32_t(2 * n + 3));
  return r;
}();

// Tokens are residuals mod 256; the tree codes their zigzag code, so that
// small residuals of either sign share the nodes near the root.
constexpr uint8_t zigzag(uint8_t token) {
  const int r = int8_t(token);
  return uint8_t(r >= 0 ? 2 * r : -2 * r - 1);
}
constexpr uint8_t unzigzag(uint8_t u) { return uint8_t(u & 1 ? -(int(u) + 1) / 2 : int(u) / 2); }

// Signed quantisers: sign and magnitude class, as an index from 0.
int q9(int x) {  // 0, 1, 2-3, 4-7, 8+
  const int m = std::abs(x), c = m == 0 ? 0 : m == 1 ? 1 : m < 4 ? 2 : m < 8 ? 3 : 4;
  return 4 + (x < 0 ? -c : c);
}
int q7(int x) {  // 0-1, 2-5, 6-15, 16+ (gradients)
  const int m = std::abs(x), c = m < 2 ? 0 : m < 6 ? 1 : m < 16 ? 2 : 3;
  return 3 + (x < 0 ? -c : c);
}
int q7d(int x) {  // 0, 1-2, 3-8, 9+ (predictors' disagreement)
  const int m = std::abs(x), c = m == 0 ? 0 : m < 3 ? 1 : m < 9 ? 2 : 3;
  return 3 + (x < 0 ? -c : c);
}
int activity12(int a) {
  static constexpr int kBounds[11] = {1, 2, 3, 4, 6, 8, 11, 15, 20, 28, 40};
  int level = 0;
  for (int b : kBounds) level += a >= b ? 1 : 0;
  return level;
}
int clamp_pixel(int x) { return std::clamp(x, 0, 255); }

// How sure the network is at a node: |stretch(p)| in 8 levels.
int confidence_level(int st) {
  static constexpr int kBounds[kConfidenceLevels - 1] = {64, 128, 256, 384, 512, 768, 1024};
  int level = 0;
  for (int b : kBounds) level += std::abs(st) >= b ? 1 : 0;
  return level;
}

}  // namespace

std::string mixer_name(MixerKind kind) { return kind == MixerKind::image1 ? "image1" : "none"; }

Result<MixerKind> mixer_parse(const std::string& name, const FilterSpec& filter) {
  if (name == "none") return MixerKind::none;
  if (name == "image1") {
    if (filter.kind != FilterSpec::Kind::med)
      return Status(ErrorCode::invalid_argument, "mixer 'image1' needs the med filter, not '" + filter.name() + "'");
    return MixerKind::image1;
  }
  return Status(ErrorCode::invalid_argument, "mixer '" + name + "': unknown (known: none, image1)");
}

TokenMixer::TokenMixer(const FilterSpec& filter)
    : channels_(std::max<uint32_t>(1, filter.data.channels)), width_(std::max<uint32_t>(1, filter.data.width)) {
  row_bytes_ = uint64_t(width_) * channels_;
  uint64_t size = 1;
  while (size < 2 * row_bytes_ + channels_ + 1) size <<= 1;
  bytes_.assign(size_t(size), 0);
  tokens_.assign(size_t(size), 0);
  ring_mask_ = size - 1;
  // Slots per channel of each context (see contexts_compute).
  const uint32_t per_channel[kContexts] = {1, 12, 343, 81, 343, channels_ > 1 ? 100u : 81u, 1024};
  uint32_t first = 0;
  for (int k = 0; k < kContexts; ++k) {
    slots_[size_t(k)] = per_channel[k] * channels_;
    first_[size_t(k)] = first;
    first += slots_[size_t(k)] * 256;
  }
  histogram_.resize(size_t(channels_) * 256);
  prob_.resize(first);
  count_.resize(first);
  weights_.resize(size_t(kNodeGroups) * kActivityLevels * kInputs);
  weights2_.resize(size_t(kNodeGroups) * kConfidenceLevels * kInputs);
  reset();
}

void TokenMixer::reset() {
  pos_ = 0;
  std::fill(prob_.begin(), prob_.end(), uint16_t(1u << 15));
  std::fill(count_.begin(), count_.end(), uint8_t(0));
  std::fill(histogram_.begin(), histogram_.end(), 0u);
  for (auto* table : {&weights_, &weights2_})
    for (size_t s = 0; s < table->size(); s += kInputs) {
      std::fill_n(table->begin() + ptrdiff_t(s), kInputs, 0);
      (*table)[s] = kOne;  // the network's input
    }
  mixed_ = false;
  contexts_compute();
}

int32_t* TokenMixer::weights_at(int set, int node) {
  const size_t group = size_t(std::min(node, kNodeGroups - 1));
  return set == 0 ? &weights_[(group * kActivityLevels + activity_) * kInputs]
                  : &weights2_[(group * kConfidenceLevels + confidence_[size_t(node)]) * kInputs];
}

void TokenMixer::contexts_compute() {
  const uint64_t C = channels_, W = width_;
  const uint64_t pixel = pos_ / C, col = pixel % W, row = pixel / W;
  const uint32_t ch = uint32_t(pos_ % C);
  auto px = [&](uint64_t back) { return int(bytes_[size_t((pos_ - back) & ring_mask_)]); };
  auto res = [&](uint64_t back) { return int(int8_t(tokens_[size_t((pos_ - back) & ring_mask_)])); };
  // Neighbours as the filter sees them (residual_filter.cpp), and two more:
  // ww (two left), nn (two above).
  const int a = col > 0 ? px(C) : row > 0 ? px(row_bytes_) : 128;
  const int b = row > 0 ? px(row_bytes_) : a;
  const int c = row > 0 && col > 0 ? px(row_bytes_ + C) : b;
  const int e = row > 0 && col + 1 < W ? px(row_bytes_ - C) : b;
  const int ww = col > 1 ? px(2 * C) : a;
  const int nn = row > 1 ? px(2 * row_bytes_) : b;
  const int pred = row > 0 && col > 0 ? med_predict(a, b, c) : row > 0 ? b : a;
  offset_ = uint8_t(pred);
  channel_ = ch;
  const int res_w = col > 0 ? res(C) : 0, res_n = row > 0 ? res(row_bytes_) : 0;

  const int act = std::abs(a - c) + std::abs(b - c) + std::abs(e - b);
  activity_ = 0;
  for (int bound : kActivityBounds) activity_ += act >= bound ? 1 : 0;

  uint32_t slot[kContexts];
  slot[0] = 0;
  slot[1] = uint32_t(activity12(act));
  slot[2] = uint32_t((q7(a - c) * 7 + q7(b - c)) * 7 + q7(e - b));
  slot[3] = uint32_t(q9(res_w) * 9 + q9(res_n));
  slot[4] = uint32_t((q7d(clamp_pixel(a + b - c) - pred) * 7 + q7d(clamp_pixel(2 * b - nn) - pred)) * 7 +
                     q7d(clamp_pixel(2 * a - ww) - pred));
  // Two more predictions, as residuals from the filter's: colour channels
  // after the first, MED on the difference from the previous channel plus
  // that channel's value here, and the previous channel's residual; else the
  // planar a + b - c and the average of left and above right.
  if (C > 1 && ch > 0) {
    auto dpx = [&](uint64_t back) { return px(back) - px(back + 1); };
    const int da = col > 0 ? dpx(C) : row > 0 ? dpx(row_bytes_) : 0;
    const int db = row > 0 ? dpx(row_bytes_) : da;
    const int dc = row > 0 && col > 0 ? dpx(row_bytes_ + C) : db;
    const int dpred = row > 0 && col > 0 ? med_predict(da, db, dc) : row > 0 ? db : da;
    centre_ = clamp_pixel(px(1) + dpred) - pred;
    centre2_ = res(1);
  } else {
    centre_ = clamp_pixel(a + b - c) - pred;
    centre2_ = clamp_pixel((a + e + 1) / 2) - pred;
  }
  if (C > 1) {  // the residual of this pixel's previous channel, which colour channels share
    const int prev = ch > 0 ? std::clamp(res(1), -12, 12) : 0;
    slot[5] = uint32_t((prev + 12) * 4) + activity_;
  } else {
    slot[5] = uint32_t(q9(a - ww) * 9 + q9(b - nn));
  }
  // The pixel's brightness (and the previous channel's value): where the
  // image's colours cluster, and how noise depends on the level.
  slot[6] = uint32_t(pred >> 3) * 32 + uint32_t(C > 1 && ch > 0 ? px(1) >> 3 : 0);
  for (int k = 0; k < kContexts; ++k)
    base_[size_t(k)] = first_[size_t(k)] + (ch * (slots_[size_t(k)] / channels_) + slot[k]) * 256;
}

void TokenMixer::mix(uint32_t* token_freq) {
  // Distributions over the tokens, as node probabilities of a 1: the
  // network's frequencies, this channel's value histogram, the values it has
  // seen, and bell shapes around the two other predictions, wider where the
  // neighbourhood is busy.
  std::array<std::array<uint64_t, 512>, kDistributions> sum;
  static constexpr uint32_t kSpread[kActivityLevels] = {1, 4, 16, 64};
  const uint32_t* hist = &histogram_[size_t(channel_) * 256];
  for (int u = 0; u < 256; ++u) {
    const uint8_t t = unzigzag(uint8_t(u));
    const uint32_t h = hist[uint8_t(t + offset_)];
    sum[0][size_t(256 + u)] = token_freq[t];
    sum[1][size_t(256 + u)] = 2 * uint64_t(h) + 1;
    sum[2][size_t(256 + u)] = h ? 64 : 1;
    const int d = int8_t(uint8_t(t - centre_));
    sum[3][size_t(256 + u)] = 1 + (uint64_t(1) << 16) / (kSpread[activity_] + uint32_t(d * d));
    const int d2 = int8_t(uint8_t(t - centre2_));
    sum[4][size_t(256 + u)] = 1 + (uint64_t(1) << 16) / (kSpread[activity_] + uint32_t(d2 * d2));
  }
  for (auto& s : sum)
    for (int n = 255; n >= 1; --n) s[size_t(n)] = s[size_t(2 * n)] + s[size_t(2 * n + 1)];

  for (int n = 1; n < 256; ++n) {
    auto& x = inputs_[size_t(n)];
    for (size_t i = 0; i < sum.size(); ++i) {
      const uint64_t p = (sum[i][size_t(2 * n + 1)] * 4096 + sum[i][size_t(n)] / 2) / sum[i][size_t(n)];
      x[i] = int16_t(stretch(int(std::clamp<uint64_t>(p, 1, 4095))));
    }
    for (int k = 0; k < kContexts; ++k)
      x[size_t(kFirstContext + k)] = int16_t(stretch(prob_[base_[size_t(k)] + uint32_t(n)] >> 4));
    x[kInputs - 1] = kBias;
    confidence_[size_t(n)] = uint8_t(confidence_level(x[0]));
    for (int m = 0; m < 2; ++m) {
      const int32_t* w = weights_at(m, n);
      int64_t dot = 0;
      for (int i = 0; i < kInputs; ++i) dot += int64_t(x[size_t(i)]) * w[i];
      mixer_st_[size_t(m)][size_t(n)] = int16_t(std::clamp<int64_t>(dot >> 16, -kLogisticMax, kLogisticMax));
    }
    const int st = (mixer_st_[0][size_t(n)] + mixer_st_[1][size_t(n)]) >> 1;
    mixed_p_[size_t(n)] = uint16_t(std::clamp(squash(st), 1, 4095));
  }

  // Split kMixTotal down the tree; a child with L leaves keeps at least L.
  std::array<uint32_t, 512> total;
  total[1] = kMixTotal;
  for (int n = 1; n < 256; ++n) {
    const int depth = std::bit_width(unsigned(n)) - 1;
    const uint32_t leaves = 128u >> depth, t = total[size_t(n)];
    const uint32_t one = uint32_t(std::clamp<uint64_t>((uint64_t(t) * mixed_p_[size_t(n)]) >> 12, leaves, t - leaves));
    total[size_t(2 * n + 1)] = one;
    total[size_t(2 * n)] = t - one;
  }
  for (int u = 0; u < 256; ++u) token_freq[unzigzag(uint8_t(u))] = total[size_t(256 + u)];
  mixed_ = true;
}

void TokenMixer::update(uint8_t token, uint8_t byte) {
  const uint8_t u = zigzag(token);
  int n = 1;
  for (int k = 7; k >= 0; --k) {
    const int bit = (u >> k) & 1;
    const auto& x = inputs_[size_t(n)];
    for (int m = 0; m < 2; ++m) {  // each weight set learns from its own prediction
      const int err = (bit << 12) - squash(mixer_st_[size_t(m)][size_t(n)]);
      int32_t* w = weights_at(m, n);
      for (int i = 0; i < kInputs; ++i) w[i] += int32_t((int64_t(x[size_t(i)]) * err * kMixerRate + (1 << 15)) >> 16);
    }
    const int target = bit ? 65535 : 0;
    for (int c = 0; c < kContexts; ++c) {
      const size_t at = base_[size_t(c)] + uint32_t(n);
      const int count = count_[at];
      prob_[at] = uint16_t(prob_[at] + ((int64_t(target - prob_[at]) * kRate[size_t(count)]) >> 16));
      if (count < kCountLimit) count_[at] = uint8_t(count + 1);
    }
    n = 2 * n + bit;
  }
  ++histogram_[size_t(channel_) * 256 + byte];
  bytes_[size_t(pos_ & ring_mask_)] = byte;
  tokens_[size_t(pos_ & ring_mask_)] = token;
  ++pos_;
  mixed_ = false;
  contexts_compute();
}

}  // namespace lmzip
