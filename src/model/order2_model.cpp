#include "model/order2_model.h"

#include <algorithm>
#include <bit>
#include <cstring>
#include <string_view>
#include <vector>

#include "common/sha256.h"

namespace lmzip {
namespace {

// Count limits: a context whose total passes its limit has its counts halved,
// which keeps it adaptive and bounds every product below 2^63 (see predict()).
constexpr uint32_t kLimit0 = 1u << 16;
constexpr uint32_t kLimit1 = 1u << 12;
constexpr uint32_t kLimit2 = 1u << 10;
constexpr int kFreqBits = 22;  // frequencies are scaled to a total of about 2^22

// Counts for one context: c[s] how often s followed, n = sum, u = distinct.
template <class Count>
struct Context {
  Count c[256];
  uint32_t n;
  uint32_t u;

  void add(int s, uint32_t limit) {
    u += (c[s] == 0);
    ++c[s];
    if (++n > limit) {
      n = 0;
      for (auto& x : c) {
        x = static_cast<Count>(x - x / 2);  // halves, but a seen symbol stays seen
        n += x;
      }
    }
  }
};

// Witten-Bell: P_k(s) = (c_k(s) + u_k P_{k-1}(s)) / (n_k + u_k), kept as
// integer numerators N_k over denominators D_k:
//   D_0 = n_0 + 256            N_0(s) = c_0(s) + 1
//   D_k = (n_k + u_k) D_{k-1}  N_k(s) = c_k(s) D_{k-1} + u_k N_{k-1}(s)
// D_0 < 2^17 and D_1 < 2^30, so N_1 fits 32 bits; N_1 and D_1 are scaled
// down to 20 bits before order 2 so that N_2 < 2^31 does too. A null table
// means "context never seen": that order is skipped. Integer arithmetic is
// exact, so the vectorised clone gives the same frequencies as the plain one.
#if defined(__x86_64__) && defined(__GNUC__)
__attribute__((target_clones("avx2", "default")))
#endif
uint32_t witten_bell_mix(uint32_t* __restrict freq, const uint32_t* __restrict c0, uint32_t n0,
                         const uint16_t* __restrict c1, uint32_t n1, uint32_t u1,
                         const uint16_t* __restrict c2, uint32_t n2, uint32_t u2) {
  uint32_t num[256];
  uint32_t d = n0 + 256;
  for (int s = 0; s < 256; ++s) num[s] = c0[s] + 1;
  if (c1) {
    const uint32_t d0 = d;
    for (int s = 0; s < 256; ++s) num[s] = c1[s] * d0 + u1 * num[s];
    d = (n1 + u1) * d0;
  }
  if (c2) {
    const int shift1 = std::max(0, static_cast<int>(std::bit_width(d)) - 20);
    const uint32_t d1 = d >> shift1;
    for (int s = 0; s < 256; ++s) num[s] = c2[s] * d1 + u2 * (num[s] >> shift1);
    d = (n2 + u2) * d1;
  }
  const int shift = std::max(0, static_cast<int>(std::bit_width(d)) - kFreqBits);
  uint32_t total = 0;
  for (int s = 0; s < 256; ++s) {
    freq[s] = (num[s] >> shift) + 1;
    total += freq[s];
  }
  return total;
}

class Order2Predictor final : public Predictor {
 public:
  // The order-2 table is left uninitialised (new[] of a trivial type): its
  // contexts are cleared on first touch, so a new predictor costs no 32 MB memset.
  Order2Predictor()
      : o1_(256), o2_(new Context<uint16_t>[65536]), o2_generation_(65536, 0) { reset(1); }

  int alphabet_size() const override { return 256; }

  void reset(size_t /*lanes: always 1*/) override {
    std::memset(&o0_, 0, sizeof o0_);
    std::memset(o1_.data(), 0, o1_.size() * sizeof o1_[0]);
    // The 32 MB order-2 table is cleared lazily, on first touch per chunk.
    ++generation_;
    h1_ = h2_ = 0;
  }

  void predict(uint32_t* freq, uint32_t* total) override {
    const Context<uint16_t>& c1 = o1_[h1_];
    const Context<uint16_t>* c2 = order2_context_if_live();
    *total = witten_bell_mix(freq, o0_.c, o0_.n, c1.n ? c1.c : nullptr, c1.n, c1.u,
                           c2 && c2->n ? c2->c : nullptr, c2 ? c2->n : 0, c2 ? c2->u : 0);
  }

  void update(std::span<const Symbol> symbols) override {
    const int s = static_cast<int>(symbols[0]);
    o0_.add(s, kLimit0);
    o1_[h1_].add(s, kLimit1);
    order2_context_touch().add(s, kLimit2);
    h2_ = ((h1_ << 8) | static_cast<uint32_t>(s)) & 0xFFFF;
    h1_ = static_cast<uint32_t>(s);
  }

 private:
  const Context<uint16_t>* order2_context_if_live() const {
    return o2_generation_[h2_] == generation_ ? &o2_[h2_] : nullptr;
  }
  Context<uint16_t>& order2_context_touch() {
    if (o2_generation_[h2_] != generation_) {
      std::memset(&o2_[h2_], 0, sizeof o2_[h2_]);
      o2_generation_[h2_] = generation_;
    }
    return o2_[h2_];
  }

  Context<uint32_t> o0_;
  std::vector<Context<uint16_t>> o1_;  // by previous byte
  std::unique_ptr<Context<uint16_t>[]> o2_;  // by previous two bytes
  std::vector<uint32_t> o2_generation_;
  uint32_t generation_ = 0;
  uint32_t h1_ = 0, h2_ = 0;
};

class Order2Model final : public Model {
 public:
  Order2Model() {
    info_.name = "order2";
    // Identity of an algorithmic model: the hash of its definition's name and
    // parameters, so that any change to them changes the identity.
    const std::string_view def = "lmzip order2 witten-bell v2 limits 65536 4096 1024 bits 22";
    info_.identity = sha256_bytes({reinterpret_cast<const uint8_t*>(def.data()), def.size()});
    info_.properties = {{"type", "adaptive context model"},
                        {"orders", "0, 1, 2 (Witten-Bell interpolation)"}};
  }
  const ModelInfo& info() const override { return info_; }
  uint32_t default_chunk_size() const override { return 1u << 20; }
  std::unique_ptr<Predictor> make_predictor() const override {
    return std::make_unique<Order2Predictor>();
  }

 private:
  ModelInfo info_;
};

}  // namespace

std::shared_ptr<const Model> order2_model() {
  static const std::shared_ptr<const Model> model = std::make_shared<Order2Model>();
  return model;
}

}  // namespace lmzip
