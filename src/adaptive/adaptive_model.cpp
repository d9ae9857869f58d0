// The adaptive stage (adaptive_model.h): the models of the block so far and
// the network's node probability, mixed by five weight sets chosen by small
// contexts, a final mixer over their outputs, then four APM stages (order 0,
// 1, 2 and the match state) averaged with it.
//
// Per bit: every context's slot (hashed orders, words, sparse, record,
// column, indirect, match byte; direct order 0 and 1) gives two inputs: its
// adaptive probability (0 for a context never seen) and what its bit history
// predicts (a StateMap per kind of context), both stretched; the match model
// gives two, the network two, and a bias.
#include "adaptive/adaptive_model.h"

#include <algorithm>
#include <array>
#include <cstdlib>
#include <vector>

#include "adaptive/apm.h"
#include "adaptive/byte_contexts.h"
#include "adaptive/context_slot.h"
#include "adaptive/context_table.h"
#include "adaptive/counter.h"
#include "adaptive/history.h"
#include "adaptive/match_model.h"
#include "adaptive/mixer.h"
#include "adaptive/network_input.h"
#include "adaptive/squash.h"

namespace lmzip {

using namespace adaptive;

namespace {

constexpr int kTableBitsMax = 21;                // 2^21 buckets of 64 bytes: 128 MiB
constexpr int kMatchBitsMax = 20;
// Orders 2, 3 and 4 (the first hashed contexts) are learned per lane: their
// statistics drift from one part of a file to another, and lanes far apart
// in the file sharing them cost more than they gain (measured).
constexpr int kLaneOwnContexts = 3;
constexpr int kCounters = kHashedContexts + 2;   // + direct order 0 and order 1
constexpr int kMixers = 5;
// Stage 3 (the fast one) keeps the first kFastHashed hashed contexts (orders
// 2, 3, 4, 6 and the word), the first mixer (weights by match length and bit
// position) and two APMs.
constexpr int kFastHashed = 5, kFastMixers = 1;

// Inputs of a stage with `hashed` hashed contexts: two per counter, the
// match's two, the network's two and a bias, padded for the mixer.
constexpr int inputs_padded(int hashed) { return (2 * (hashed + 2) + 2 + 2 + 1 + 7) & ~7; }
constexpr int kInputsPadded = inputs_padded(kHashedContexts);
constexpr uint32_t kSmLimit = 1023;
constexpr uint32_t kDirectLimit = 63;
constexpr int kFinalLr = 8;

// Rates that changed after stage 1 (tuned on ../shared/data/mixed: the sum
// 988,763 -> 986,210 bytes; enwik6 222,785 -> 222,339, the stage alone).
struct Rates {
  uint32_t hashed_limit;  // the slowest rate of a hashed context's probability: 1 / (limit + 1.5)
  int apm_rate;           // APM knots move by 2^-rate of their error
  int mixer_lr;
};
Rates rates_of(uint8_t stage) { return stage == kAdaptiveStage1 ? Rates{30, 6, 8} : Rates{63, 5, 10}; }
constexpr int32_t kMixerInit = 65536 / 8;

// The bucket hash of a context for the byte's second nibble.
uint32_t nibble_hash(uint32_t h, uint32_t c0) {
  uint32_t x = (h ^ (c0 * 0x9E3779B1u)) * 0x85EBCA77u;
  return x ^ (x >> 15);
}

int ceil_log2(uint32_t n) {
  int b = 0;
  while (b < 32 && (uint64_t(1) << b) < n) ++b;
  return b;
}

// The context table's and the match model's sizes: stage 1's are fixed,
// stage 2's follow the block (a small block neither needs nor pays for
// clearing 128 MiB).
int table_bits(uint8_t stage, uint32_t bytes) {
  return stage == kAdaptiveStage1 ? kTableBitsMax : std::clamp(ceil_log2(bytes) + 2, 12, kTableBitsMax);
}
int match_bits(uint8_t stage, uint32_t bytes) {
  return stage == kAdaptiveStage1 ? kMatchBitsMax : std::clamp(ceil_log2(bytes) + 1, 10, kMatchBitsMax);
}

// One lane's state between its bytes.
struct Lane {
  MatchLane match;
  ByteContexts ctx;
};

}  // namespace

bool adaptive_stage_known(uint8_t stage) { return stage >= kAdaptiveStage1 && stage <= kAdaptiveStageLast; }

uint32_t adaptive_lanes(uint32_t bytes, uint8_t lane_log2) {
  if (lane_log2 == 0) return 1;
  return std::clamp<uint32_t>(bytes >> lane_log2, 1, kAdaptiveLanesMax);
}

struct AdaptiveModel::State {
  explicit State(uint8_t stage_)
      : stage(stage_), rates(rates_of(stage_)), hashed(stage_ == kAdaptiveStage3 ? kFastHashed : kHashedContexts),
        counters(hashed + 2), mixer_count(stage_ == kAdaptiveStage3 ? kFastMixers : kMixers) {
    const int n = inputs_padded(hashed);
    const int sets[kMixers] = {64, 256, 5 * 4 * 8, 256, 256};
    for (int i = 0; i < mixer_count; ++i) mixers.emplace_back(n, sets[i], kMixerInit, rates.mixer_lr);
  }
  const uint8_t stage;
  const Rates rates;
  const int hashed, counters, mixer_count;
  Block block;
  std::vector<Lane> lanes;
  uint32_t lane = 0;  // the lane of the byte being coded
  MatchModel match;
  IndirectTables indirect;
  ContextTable table;
  NetworkInput net;
  std::array<uint32_t, 256> order0{};
  std::vector<uint32_t> order1 = std::vector<uint32_t>(65536);
  std::array<uint32_t*, kHashedContexts> bucket{};
  std::array<uint32_t*, kCounters> cur{};
  // Per kind of context: what each bit history predicts, and the entry in use.
  std::array<std::array<uint32_t, 256 * 8>, kCounters> state_maps{};
  std::array<uint32_t*, kCounters> cur_state{};
  std::vector<Mixer> mixers;  // (mixer_count)
  Mixer final_mixer{8, 8 * 5, 65536 / mixer_count, kFinalLr};
  Apm apm0{256, rates.apm_rate}, apm1{65536, rates.apm_rate}, apm2{65536, rates.apm_rate},
      apm3{8 * 512, rates.apm_rate};

  uint32_t c0 = 1;  // the byte's bits so far behind a leading 1
  int bits = 0;
  int hits = 0;  // how many of orders 2, 3, 4, 6 were seen before (at the byte's start)

  // The current bit's prediction, computed once by p1().
  bool ready = false;
  alignas(32) std::array<int32_t, kInputsPadded> x{};
  alignas(32) std::array<int32_t, 8> xf{};
  std::array<int, kMixers> sel{}, pm{};
  int fsel = 0, pf = 0, pr = 32768;

  void clear(uint32_t bytes, uint32_t nlanes) {
    block.reset(bytes, nlanes);
    lanes.clear();
    for (uint32_t k = 0; k < block.lanes(); ++k) lanes.push_back({MatchLane{}, ByteContexts(block.lane(k).start())});
    lane = 0;
    match.reset(match_bits(stage, bytes));
    indirect.reset();
    table.reset(table_bits(stage, bytes));
    net.reset();
    order0.fill(0);
    std::fill(order1.begin(), order1.end(), 0u);
    for (auto& m : state_maps) m.fill(kCounterInit);
    for (Mixer& m : mixers) m.reset();
    final_mixer.reset();
    apm0.reset();
    apm1.reset();
    apm2.reset();
    apm3.reset();
    c0 = 1;
    bits = 0;
    ready = false;
    x.fill(0);
    xf.fill(0);
  }

  void lane_begin(uint32_t k) {
    lane = k;
    ready = false;
    buckets_find();
  }

  const History& hist() const { return block.lane(lane); }

  // Hashed context i, hash h, of lane k's byte (orders 2-4 salted with the lane).
  static uint32_t context_hash(uint32_t h, int i, uint32_t k) { return i < kLaneOwnContexts ? h ^ (k * 0x9E3779B1u) : h; }
  uint32_t context_hash(int i) const { return context_hash(lanes[lane].ctx.hashes()[size_t(i)], i, lane); }

  // Asks the cache for the first buckets of the byte after this one, while
  // this byte's last bit is coded: in one lane for both values of that bit,
  // else those of the next lane's byte, whose contexts are known.
  void next_byte_prefetch() {
    const int n = std::min(hashed, kLeadingHashes);
    if (lanes.size() > 1) {
      const uint32_t k = (lane + 1) % uint32_t(lanes.size());
      for (int i = 0; i < n; ++i) table.prefetch(context_hash(lanes[k].ctx.hashes()[size_t(i)], i, k));
      return;
    }
    for (uint32_t bit = 0; bit < 2; ++bit) {
      std::array<uint32_t, kLeadingHashes> h;
      lanes[lane].ctx.leading_hashes_after(hist(), uint8_t((c0 << 1) | bit), h.data());
      for (int i = 0; i < n; ++i) table.prefetch(context_hash(h[size_t(i)], i, lane));
    }
  }

  void buckets_find() {
    std::array<uint32_t, kHashedContexts> hb;
    for (int i = 0; i < hashed; ++i) {
      const uint32_t hh = context_hash(i);
      hb[size_t(i)] = bits == 0 ? hh : nibble_hash(hh, c0);
      table.prefetch(hb[size_t(i)]);
    }
    for (int i = 0; i < hashed; ++i) bucket[size_t(i)] = table.bucket_find(hb[size_t(i)]);
    if (bits == 0) {
      hits = 0;
      for (int i = 0; i < 4; ++i) hits += slot_state(bucket[size_t(i)][0]) != 0;
    }
  }

  int network_confidence(int pnet) const {
    if (!net.present()) return 0;
    const int s = std::abs(stretch(uint32_t(pnet)));
    return s < 256 ? 1 : (s < 768 ? 2 : 3);
  }

  void predict() {
    // The APM rows and, one bit ahead, the buckets of the byte's second nibble
    // for both values of the coming bit: memory latency, not arithmetic, is
    // what this stage waits for.
    const History& hist = this->hist();
    Lane& ln = lanes[lane];
    const uint32_t c1p = hist.back(1);
    apm1.prefetch((c1p << 8) | c0);
    apm2.prefetch(((((hist.back(2) << 8 | c1p) * 0x9E3779B1u) >> 16) ^ (c0 * 0x3C1u)) & 0xFFFF);
    if (bits == 3) {
      for (int i = 0; i < hashed; ++i) {
        table.prefetch(nibble_hash(context_hash(i), c0 << 1));
        table.prefetch(nibble_hash(context_hash(i), (c0 << 1) | 1));
      }
    } else if (bits == 7) {
      next_byte_prefetch();
    }
    const int node = bits < 4 ? int(c0) : (1 << (bits - 4)) | int(c0 & ((1u << (bits - 4)) - 1));
    for (int i = 0; i < hashed; ++i) cur[size_t(i)] = &bucket[size_t(i)][node - 1];
    const uint32_t c1 = hist.back(1);
    cur[size_t(hashed)] = &order0[c0];
    cur[size_t(hashed) + 1] = &order1[(c1 << 8) | c0];
    for (int i = 0; i < counters; ++i) {
      const uint32_t c = *cur[size_t(i)];
      const uint8_t st = slot_state(c);
      cur_state[size_t(i)] = &state_maps[size_t(i)][size_t(st) | size_t(bits) << 8];
      x[size_t(2 * i)] = st == 0 ? 0 : stretch(slot_p16(c));
      x[size_t(2 * i + 1)] = stretch(counter_p16(*cur_state[size_t(i)]));
    }
    int k = 2 * counters;
    match.inputs(ln.match, &x[size_t(k)], c0, bits);
    const int match_bit = x[size_t(k + 1)] > 0;  // its signed strength
    k += 2;
    int pnet = 32768;
    if (net.present()) {
      pnet = net.p16(c0, bits);
      x[size_t(k)] = stretch(uint32_t(pnet));
      x[size_t(k + 1)] = (pnet - 32768) >> 4;
    } else {
      x[size_t(k)] = x[size_t(k + 1)] = 0;
    }
    k += 2;
    x[size_t(k)] = 256;  // bias

    const int conf = network_confidence(pnet);
    const int mlb = ln.match.length_bucket();
    // Weight sets: match length x bit position; the partial byte; orders seen x
    // the network's confidence x bit position; the byte two back; the column
    // in the record (tables, fixed-width binaries).
    sel[0] = mlb * 8 + bits;
    sel[1] = int(c0);
    sel[2] = (hits * 4 + conf) * 8 + bits;
    sel[3] = int(hist.back(2));
    sel[4] = int(ln.ctx.record_column());
    for (int i = 0; i < mixer_count; ++i) {
      const int d = mixers[size_t(i)].dot(x.data(), sel[size_t(i)]);
      xf[size_t(i)] = d;
      pm[size_t(i)] = squash(d);
    }
    xf[size_t(mixer_count)] = 256;
    fsel = (conf * 2 + (mlb > 0)) * 5 + hits;
    pf = squash(final_mixer.dot(xf.data(), fsel));

    const int a0 = apm0.refine(pf, c0);
    const int a1 = apm1.refine(pf, (c1 << 8) | c0);
    if (stage == kAdaptiveStage3) {
      pr = std::clamp((pf + a0 + 2 * a1 + 2) / 4, 1, 65535);
      ready = true;
      return;
    }
    const uint32_t c2 = hist.back(2);
    const uint32_t h2 = ((c2 << 8 | c1) * 0x9E3779B1u) >> 16;
    const int a2 = apm2.refine(pf, (h2 ^ (c0 * 0x3C1u)) & 0xFFFF);
    // The match's length and predicted bit (when it still agrees with the byte so far).
    const int a3 = apm3.refine(pf, size_t(mlb * 512 + match_bit * 256 + int(c0)));
    const int p = stage == kAdaptiveStage1 ? (pf + a0 + a1 + a2 + 2 * a3 + 3) / 6 : (pf + a1 + a2 + a3 + 2) / 4;
    pr = std::clamp(p, 1, 65535);
    ready = true;
  }

  void learn(int bit) {
    if (!ready) predict();
    for (int i = 0; i < hashed; ++i) slot_update(*cur[size_t(i)], bit, rates.hashed_limit);
    for (int i = hashed; i < counters; ++i) slot_update(*cur[size_t(i)], bit, kDirectLimit);
    for (int i = 0; i < counters; ++i) counter_update(*cur_state[size_t(i)], bit, kSmLimit);
    match.update(bit);
    for (int i = 0; i < mixer_count; ++i) mixers[size_t(i)].train(x.data(), sel[size_t(i)], bit, pm[size_t(i)]);
    final_mixer.train(xf.data(), fsel, bit, pf);
    apm0.update(bit);
    apm1.update(bit);
    if (stage != kAdaptiveStage3) {
      apm2.update(bit);
      apm3.update(bit);
    }
    ready = false;

    c0 = (c0 << 1) | uint32_t(bit);
    if (++bits == 8) {
      History& hist = block.lane(lane);
      Lane& ln = lanes[lane];
      hist.push(uint8_t(c0 & 0xFF));
      match.byte_update(ln.match, hist, block);
      if (hashed <= kLeadingHashes) ln.ctx.leading_update(hist);
      else ln.ctx.byte_update(hist, indirect, ln.match.expected, ln.match.len);
      net.reset();
      c0 = 1;
      bits = 0;
    } else if (bits == 4) {
      buckets_find();
    }
  }
};

AdaptiveModel::AdaptiveModel(uint8_t stage) : s_(std::make_unique<State>(stage)) { s_->clear(0, 1); }
AdaptiveModel::~AdaptiveModel() = default;

uint8_t AdaptiveModel::stage() const { return s_->stage; }

void AdaptiveModel::reset(uint32_t bytes, uint32_t lanes) { s_->clear(bytes, lanes); }

void AdaptiveModel::byte_begin(uint32_t lane, const uint32_t* freq) {
  s_->net.byte_begin(freq);
  s_->lane_begin(lane);
}

void AdaptiveModel::byte_begin_path(uint32_t lane, const uint16_t* path) {
  s_->net.byte_begin_path(path);
  s_->lane_begin(lane);
}

uint32_t AdaptiveModel::p1() {
  if (!s_->ready) s_->predict();
  return uint32_t(s_->pr);
}

void AdaptiveModel::update(int bit) { s_->learn(bit & 1); }

size_t AdaptiveModel::memory_bytes() const {
  const State& s = *s_;
  size_t n = sizeof(State) + s.block.memory_bytes() + s.lanes.capacity() * sizeof(Lane) + s.match.memory_bytes() +
             s.indirect.ind2.size() * sizeof(uint16_t) + s.table.memory_bytes() + s.order1.size() * sizeof(uint32_t) +
             s.final_mixer.memory_bytes() +
             s.apm0.memory_bytes() + s.apm1.memory_bytes() + s.apm2.memory_bytes() + s.apm3.memory_bytes();
  for (const Mixer& m : s.mixers) n += m.memory_bytes();
  return n;
}

}  // namespace lmzip
