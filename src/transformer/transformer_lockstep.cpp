// Lockstep decoding of many chunks (transformer_lockstep.h).
#include "transformer/transformer_lockstep.h"

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <condition_variable>
#include <cstring>
#include <functional>
#include <mutex>
#include <thread>

#include "common/f16.h"
#include "kernels/kernels.h"
#include "model/filtered_predictor.h"

namespace lmzip {

// Persistent threads: one step is a few hundred microseconds, too short to
// start threads for. Worker 0 is the calling thread.
class WorkerPool {
 public:
  explicit WorkerPool(unsigned n) {
    for (unsigned i = 1; i < n; ++i) threads_.emplace_back([this, i] { loop(i); });
  }
  ~WorkerPool() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    for (auto& t : threads_) t.join();
  }
  unsigned size() const { return unsigned(threads_.size()) + 1; }

  // Runs fn(i) for i in [0, n), n <= size(), and waits for all.
  void run(unsigned n, const std::function<void(unsigned)>& fn) {
    if (n <= 1) {
      if (n == 1) fn(0);
      return;
    }
    {
      std::lock_guard<std::mutex> lock(mu_);
      job_ = &fn;
      jobs_ = n;
      pending_ = n - 1;
      ++generation_;
    }
    cv_.notify_all();
    fn(0);
    std::unique_lock<std::mutex> lock(mu_);
    done_.wait(lock, [&] { return pending_ == 0; });
    job_ = nullptr;
  }

 private:
  void loop(unsigned i) {
    uint64_t seen = 0;
    for (;;) {
      const std::function<void(unsigned)>* job;
      {
        std::unique_lock<std::mutex> lock(mu_);
        cv_.wait(lock, [&] { return stop_ || generation_ != seen; });
        if (stop_) return;
        seen = generation_;
        if (i >= jobs_) continue;
        job = job_;
      }
      (*job)(i);
      std::lock_guard<std::mutex> lock(mu_);
      if (--pending_ == 0) done_.notify_one();
    }
  }

  std::vector<std::thread> threads_;
  std::mutex mu_;
  std::condition_variable cv_, done_;
  const std::function<void(unsigned)>* job_ = nullptr;
  unsigned jobs_ = 0, pending_ = 0;
  uint64_t generation_ = 0;
  bool stop_ = false;
};

TransformerLockstep::TransformerLockstep(std::shared_ptr<const TransformerModel> model, unsigned threads)
    : model_(std::move(model)), c_(model_->config()), threads_(std::max(1u, threads)) {
  pool_ = std::make_unique<WorkerPool>(threads_);
  rope_tmp_.resize(threads_, std::vector<float>(size_t(c_.hd())));
}

TransformerLockstep::~TransformerLockstep() = default;

void TransformerLockstep::reset(unsigned chunks) {
  constexpr unsigned G = kLockstepGroup;
  chunks_ = active_ = chunks;
  pos_ = 0;
  computed_ = false;
  cbase_ = 0;
  const unsigned ng = (chunks + G - 1) / G, B = ng * G;
  const size_t d = c_.d;
  tokens_.assign(B, c_.bos());
  x_.resize(B * d);
  h_.resize(B * d);
  qkv_.resize(B * 3 * d);
  att_.resize(B * d);
  ff_.resize(size_t(B) * c_.ffn);
  logits_.resize(size_t(B) * kOutVocab);
  freqs_.resize(size_t(B) * kOutVocab);
  totals_.resize(B);
  groups_.resize(ng);
  cap_ = 0;  // cache_reserve() sizes every group again (keeping their allocations)
  for (auto& g : groups_) {
    g.k.resize(c_.layers);
    g.v.resize(c_.layers);
    g.qg.resize(d * G);
    g.og.resize(d * G);
  }
}

void TransformerLockstep::retire(unsigned active) { active_ = std::min(active_, active); }

void TransformerLockstep::cache_reserve() {
  // Cache layout (kernels.h): per layer, (head, slot, hd, G); a slot of one head is hd*G floats.
  constexpr int64_t G = kLockstepGroup;
  const int64_t slot = int64_t(c_.hd()) * G, H = c_.heads;
  if (pos_ + 1 - cbase_ <= cap_) return;
  // Grow (geometrically) up to window + slack, and only then slide: sliding
  // at a capacity just above what the window needs would copy every step.
  const int64_t limit = int64_t(c_.window) + 64;  // slide once per 64 steps at most
  const int64_t keep_from = std::max<int64_t>(cbase_, pos_ - int64_t(c_.window) + 1);
  const unsigned ng = (active_ + G - 1) / G;
  const int64_t keep = pos_ - keep_from, drop = keep_from - cbase_;
  const int64_t need = pos_ + 1 - keep_from;
  const int64_t old_cap = cap_;
  if (cap_ < limit) cap_ = std::min(limit, std::max<int64_t>(2 * cap_, 64));
  cap_ = std::max(cap_, need);
  std::vector<uint16_t> tmp;
  for (unsigned gi = 0; gi < ng; ++gi) {  // retired groups are never used again
    Group& g = groups_[gi];
    for (uint32_t l = 0; l < c_.layers; ++l)
      for (std::vector<uint16_t>* a : {&g.k[l], &g.v[l]}) {
        if (cap_ == old_cap) {  // slide in place, head by head
          for (int64_t h = 0; h < H; ++h)
            std::memmove(a->data() + h * cap_ * slot, a->data() + (h * cap_ + drop) * slot, size_t(keep * slot) * 2);
        } else {  // re-lay into the larger capacity
          tmp.assign(size_t(H * cap_ * slot), 0);
          for (int64_t h = 0; h < H && keep > 0; ++h)
            std::memcpy(tmp.data() + h * cap_ * slot, a->data() + (h * old_cap + drop) * slot, size_t(keep * slot) * 2);
          a->swap(tmp);
        }
      }
    g.scratch.resize(size_t(std::min<int64_t>(cap_, c_.window) * G));
  }
  cbase_ = keep_from;
}

void TransformerLockstep::forward_groups(unsigned g0, unsigned g1, bool want_freqs, float* rope_tmp) {
  constexpr int G = kLockstepGroup;
  const KernelTable& K = kernels();
  const int d = int(c_.d), f = int(c_.ffn), hd = c_.hd(), H = int(c_.heads);
  const int rows = int(g1 - g0) * G;
  const size_t r0 = size_t(g0) * G;
  float* x = x_.data() + r0 * d;
  float* h = h_.data() + r0 * d;
  float* qkv = qkv_.data() + r0 * 3 * d;
  float* att = att_.data() + r0 * d;
  float* ff = ff_.data() + r0 * f;
  for (int b = 0; b < rows; ++b)
    std::memcpy(x + size_t(b) * d, model_->token_embd() + tokens_[r0 + b] * d, size_t(d) * 4);
  const float* cs = model_->rope(pos_, rope_tmp);  // one position for every row: ldcs = 0
  const float qscale = 1.0f / __builtin_sqrtf(float(hd));
  const int64_t slot = pos_ - cbase_;
  const int64_t s_lo = std::max<int64_t>(cbase_, pos_ - int64_t(c_.window) + 1) - cbase_;
  for (uint32_t l = 0; l < c_.layers; ++l) {
    const LayerWeights& w = model_->layer(int(l));
    K.rmsnorm(rows, d, x, d, w.attn_norm, c_.eps, h, d);
    K.gemm(rows, 3 * d, d, h, d, w.wqkv, 3 * d, qkv, 3 * d, nullptr);
    K.rope(rows, H, hd, qkv, 3 * d, cs, 0, qscale);
    K.rope(rows, H, hd, qkv + d, 3 * d, cs, 0, 1.0f);
    K.round_f16(rows, 2 * d, qkv + d, 3 * d);  // k, v: now exact in binary16
    for (unsigned gi = g0; gi < g1; ++gi) {
      Group& g = groups_[gi];
      const float* qr = qkv + size_t(gi - g0) * G * 3 * d;  // the group's G rows
      uint16_t* kc = g.k[l].data();
      uint16_t* vc = g.v[l].data();
      for (int b = 0; b < G; ++b) {  // transpose rows into lanes
        const float* row = qr + size_t(b) * 3 * d;
        for (int c = 0; c < d; ++c) g.qg[size_t(c) * G + b] = row[c];
        for (int h = 0; h < H; ++h) {
          const size_t at = size_t((h * cap_ + slot) * hd) * G + b;
          for (int c = 0; c < hd; ++c) {
            kc[at + size_t(c) * G] = f32_to_f16(row[d + h * hd + c]);
            vc[at + size_t(c) * G] = f32_to_f16(row[2 * d + h * hd + c]);
          }
        }
      }
      K.attention_lockstep(H, hd, g.qg.data(), kc, vc, cap_, s_lo, slot, g.og.data(), g.scratch.data());
      float* ar = att + size_t(gi - g0) * G * d;
      for (int b = 0; b < G; ++b)
        for (int c = 0; c < d; ++c) ar[size_t(b) * d + c] = g.og[size_t(c) * G + b];
    }
    K.gemm(rows, d, d, att, d, w.wo, d, x, d, x);
    K.rmsnorm(rows, d, x, d, w.ffn_norm, c_.eps, h, d);
    K.gemm(rows, f, d, h, d, w.wup, f, ff, f, nullptr);
    K.gelu(int64_t(rows) * f, ff);
    K.gemm(rows, d, f, ff, f, w.wdown, d, x, d, x);
  }
  if (!want_freqs) return;
  K.rmsnorm(rows, d, x, d, model_->output_norm(), c_.eps, h, d);
  float* lg = logits_.data() + r0 * kOutVocab;
  K.gemm(rows, kOutVocab, d, h, d, model_->wout(), kOutVocab, lg, kOutVocab, nullptr);
  K.freqs(rows, lg, kOutVocab, freqs_.data() + r0 * kOutVocab, totals_.data() + r0);
}

void TransformerLockstep::forward(bool want_freqs) {
  constexpr unsigned G = kLockstepGroup;
  cache_reserve();
  const unsigned ng = (active_ + G - 1) / G;
  const unsigned workers = std::min(threads_, ng);
  pool_->run(workers, [&](unsigned w) {
    const unsigned g0 = ng * w / workers, g1 = ng * (w + 1) / workers;
    if (g1 > g0) forward_groups(g0, g1, want_freqs, rope_tmp_[w].data());
  });
}

void TransformerLockstep::predict(uint32_t* freqs, uint32_t* totals) {
  if (!computed_) {
    forward(true);
    computed_ = true;
  }
  std::memcpy(freqs, freqs_.data(), size_t(active_) * kOutVocab * 4);
  std::memcpy(totals, totals_.data(), size_t(active_) * 4);
}

void TransformerLockstep::update(std::span<const Symbol> symbols) {
  if (!computed_) forward(false);
  const size_t n = std::min<size_t>(active_, symbols.size());
  for (size_t b = 0; b < n; ++b) tokens_[b] = c_.input_id(symbols[b]);
  ++pos_;
  computed_ = false;
}

namespace {

// The codec's LockstepPredictor over TransformerLockstep: lanes of equal
// length, so nothing retires; one thread (the codec spreads groups of lanes
// over its workers).
class TransformerLockstepPredictor final : public LockstepPredictor {
 public:
  TransformerLockstepPredictor(std::shared_ptr<const TransformerModel> model, size_t lanes)
      : engine_(std::move(model), 1), lanes_(lanes) {}
  int alphabet_size() const override { return kOutVocab; }
  size_t max_lanes() const override { return lanes_; }
  void reset(size_t lanes) override { engine_.reset(unsigned(std::min(lanes, lanes_))); }
  void predict(uint32_t* freqs, uint32_t* totals) override { engine_.predict(freqs, totals); }
  void update(std::span<const Symbol> symbols) override { engine_.update(symbols); }

 private:
  TransformerLockstep engine_;
  size_t lanes_;
};

}  // namespace

// Whether stepping chunks in lockstep pays off for this model on this
// machine, from the bytes each costs per chunk and step (both are memory-bound
// on this hardware: bench/bench_transformer.cpp):
//   one chunk at a time: weights + its KV cache, from the last-level cache
//     when weights plus one chunk's KV cache fit in half of it (about
//     kCacheSpeedup times faster than DRAM), else from DRAM;
//   lockstep (16 lanes): its KV cache, in binary16, from DRAM (16 lanes'
//     caches never fit) plus 1/16 of the weights.
// Measured one thread, docs/ENGINE.md: with the 256 window of the shipped
// models lockstep wins at every width (d=64 2.1x, d=128 1.1x, d=256 1.1x at
// B=16, 1.6x at B=64); with full 2048 attention one chunk at a time wins at
// d=128 (1.4x) and ties at d=64, lockstep wins at d=256 (2.1x). This picks
// the faster one (or either, for the tie) for each of these shapes.
// LMZIP_LOCKSTEP=always|never overrides (tests, benchmarks). Either way the
// frequencies are the same; only speed differs.
bool lockstep_pays_off(const TransformerConfig& c) {
  if (const char* env = std::getenv("LMZIP_LOCKSTEP"); env && *env) {
    if (std::strcmp(env, "always") == 0) return true;
    if (std::strcmp(env, "never") == 0) return false;
  }
  constexpr double kCacheSpeedup = 3.5;
  long l3 = 0;
#ifdef _SC_LEVEL3_CACHE_SIZE
  l3 = sysconf(_SC_LEVEL3_CACHE_SIZE);
#endif
  // glibc reports the whole socket's L3 on AMD (10x what one core can use):
  // a core sees one CCX's, at most 32 MiB on current parts.
  if (l3 <= 0) l3 = 8l << 20;
  l3 = std::min(l3, 32l << 20);
  const double ctx = c.context_length, w = std::min<double>(c.window, ctx);
  const double slot_bytes = double(c.layers) * c.d * 2 * 4;                   // K and V, all layers
  const double kv_avg = slot_bytes * (w < ctx ? w - w * w / (2 * ctx) : ctx / 2);  // over a chunk
  const double kv_full = slot_bytes * w, weights = double(c.parameters()) * 4;
  const double one = (weights + kv_avg) / (weights + kv_full <= double(l3) / 2 ? kCacheSpeedup : 1.0);
  const double lockstep = kv_avg / 2 + weights / kLockstepGroup;
  return lockstep < one;
}

std::unique_ptr<LockstepPredictor> TransformerModel::make_lockstep_predictor(size_t lanes) const {
  if (!lockstep_pays_off(config_)) return nullptr;
  // KV cache per lane: layers * slots * d * (K + V) binary16 values, slots <=
  // window + 64 and, for chunks of the default size, <= context_length.
  const uint64_t slots = std::min<uint64_t>(uint64_t(config_.window) + 64, config_.context_length);
  const uint64_t per_lane = uint64_t(config_.layers) * slots * config_.d * 2 * sizeof(uint16_t);
  const uint64_t budget = 1ull << 30;
  uint64_t cap = std::max<uint64_t>(kLockstepGroup, budget / std::max<uint64_t>(per_lane, 1));
  cap = std::min<uint64_t>(cap, 64) / kLockstepGroup * kLockstepGroup;  // whole groups; more gains nothing
  lanes = std::max<size_t>(1, std::min<size_t>(lanes, size_t(cap)));
  return filtered_lockstep_make(std::make_unique<TransformerLockstepPredictor>(
                                    std::static_pointer_cast<const TransformerModel>(shared_from_this()), lanes),
                                config_.filter, /*inner_takes_tags=*/true, config_.mixer);
}

std::unique_ptr<TransformerLockstep> transformer_lockstep_make(const std::shared_ptr<const Model>& model,
                                                               unsigned threads) {
  auto t = std::dynamic_pointer_cast<const TransformerModel>(model);
  if (!t) return nullptr;
  return std::make_unique<TransformerLockstep>(std::move(t), threads);
}

}  // namespace lmzip
