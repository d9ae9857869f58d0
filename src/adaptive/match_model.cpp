// The match model (match_model.h).
#include "adaptive/match_model.h"

#include <algorithm>
#include <bit>
#include <cstring>

#include "adaptive/counter.h"
#include "adaptive/squash.h"

namespace lmzip::adaptive {

namespace {
constexpr uint32_t kShortMin = 6, kLongMin = 16;
constexpr uint32_t kVerifyMax = 400;  // lengths count up to here when a match is found
constexpr uint32_t kLenMax = 65535;
// How far back a match may reach (stage 1 kept 16 MiB of history).
constexpr uint32_t kReach = (uint32_t(1) << 24) - kVerifyMax - 1;

uint32_t length_slot(uint32_t len) { return len < 32 ? len : 32 + std::min<uint32_t>(31, (len - 32) >> 4); }

// Whether a match at position `at` is within reach of position pos.
bool in_reach(uint32_t pos, uint32_t at) { return at > pos || pos - at < kReach; }

// How many of the bytes before a and before b agree, counted backwards, at
// most `most`: eight at a time, the first that differ found from the top
// byte of their difference.
uint32_t equal_backwards(const uint8_t* a, const uint8_t* b, uint32_t most) {
  uint32_t n = 0;
  while (n + 8 <= most) {
    uint64_t x, y;
    std::memcpy(&x, a - n - 8, 8);
    std::memcpy(&y, b - n - 8, 8);
    if (x != y) {
      uint64_t d = x ^ y;
      if constexpr (std::endian::native == std::endian::big) d = __builtin_bswap64(d);
      return n + uint32_t(__builtin_clzll(d)) / 8;
    }
    n += 8;
  }
  while (n < most && a[-int64_t(n) - 1] == b[-int64_t(n) - 1]) ++n;
  return n;
}
}  // namespace

int MatchLane::length_bucket() const {
  if (len == 0) return 0;
  if (len < 8) return 1;
  if (len < 12) return 2;
  if (len < 16) return 3;
  if (len < 24) return 4;
  if (len < 32) return 5;
  if (len < 64) return 6;
  return 7;
}

void MatchModel::reset(int hash_bits) {
  hash_bits_ = hash_bits;
  long_.assign(size_t(1) << hash_bits, 0u);
  short_.assign(size_t(1) << hash_bits, 0u);
  active_ = nullptr;
  expected_bit_ = -1;
  ctr_ = nullptr;
  for (auto& row : sm_)
    for (uint32_t& c : row) c = kCounterInit;
}

void MatchModel::byte_update(MatchLane& m, const History& h, const Block& b) {
  const uint32_t pos = h.pos();
  const uint8_t c = h.back(1);
  m.prev8 = (m.prev8 << 8) | (m.last8 >> 56);
  m.last8 = (m.last8 << 8) | c;
  if (m.len > 0) {
    if (b.at(m.ptr) == c && in_reach(pos, m.ptr) && b.known(m.ptr + 1)) {
      m.len = std::min(m.len + 1, kLenMax);
      ++m.ptr;
    } else {
      m.len = 0;
    }
  }
  const int shift = 64 - hash_bits_;
  const uint32_t hs = uint32_t(((m.last8 & 0xFFFFFFFFFFFFull) * 0x9E3779B97F4A7C15ull) >> shift);
  const uint32_t hl = uint32_t((m.last8 * 0x9E3779B97F4A7C15ull + m.prev8 * 0xD6E8FEB86659FD93ull) >> shift);
  const uint32_t done = h.done();
  if (m.len == 0) {
    // The longer of the two candidates, verified byte by byte backwards
    // within both segments.
    for (const uint32_t cand : {done >= kLongMin ? long_[hl] : 0u, done >= kShortMin ? short_[hs] : 0u}) {
      if (cand == 0 || !b.known(cand) || !in_reach(pos, cand)) continue;
      const uint32_t most = std::min({kVerifyMax, cand - b.segment_start(cand), done});
      const uint32_t n = equal_backwards(b.data() + cand, b.data() + pos, most);
      if (n >= kShortMin && n > m.len) {
        m.len = n;
        m.ptr = cand;
      }
    }
  }
  if (done >= kLongMin) long_[hl] = pos;
  if (done >= kShortMin) short_[hs] = pos;
  m.expected = m.len > 0 ? b.at(m.ptr) : 0;
}

void MatchModel::inputs(MatchLane& m, int32_t* x, uint32_t c0, int bits) {
  active_ = &m;
  expected_bit_ = -1;
  ctr_ = nullptr;
  if (m.len > 0 && ((uint32_t(m.expected) | 0x100u) >> (8 - bits)) == c0) {
    expected_bit_ = (m.expected >> (7 - bits)) & 1;
    ctr_ = &sm_[expected_bit_][length_slot(m.len)];
    x[0] = stretch(counter_p16(*ctr_));
    const int32_t strength = int32_t(std::min<uint32_t>(m.len, 32)) * 32;
    x[1] = expected_bit_ ? strength : -strength;
  } else {
    x[0] = x[1] = 0;
  }
}

void MatchModel::update(int bit) {
  if (ctr_ != nullptr) counter_update(*ctr_, bit, 1023);
  if (expected_bit_ >= 0 && bit != expected_bit_) active_->len = 0;
}

}  // namespace lmzip::adaptive
