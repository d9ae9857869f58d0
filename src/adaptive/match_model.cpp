// The match model (match_model.h).
#include "adaptive/match_model.h"

#include <algorithm>

#include "adaptive/counter.h"
#include "adaptive/squash.h"

namespace lmzip::adaptive {

namespace {
constexpr int kHashBits = 20;
constexpr uint32_t kShortMin = 6, kLongMin = 16;
constexpr uint32_t kVerifyMax = 400;  // lengths count up to here when a match is found
constexpr uint32_t kLenMax = 65535;

uint32_t length_slot(uint32_t len) { return len < 32 ? len : 32 + std::min<uint32_t>(31, (len - 32) >> 4); }
}  // namespace

MatchModel::MatchModel() : long_(size_t(1) << kHashBits), short_(size_t(1) << kHashBits) { reset(); }

void MatchModel::reset() {
  std::fill(long_.begin(), long_.end(), 0u);
  std::fill(short_.begin(), short_.end(), 0u);
  ptr_ = len_ = 0;
  expected_ = 0;
  expected_bit_ = -1;
  ctr_ = nullptr;
  for (auto& row : sm_)
    for (uint32_t& c : row) c = kCounterInit;
  last8_ = prev8_ = 0;
}

void MatchModel::byte_update(const History& h) {
  const uint32_t pos = h.pos();
  const uint8_t c = h.back(1);
  prev8_ = (prev8_ << 8) | (last8_ >> 56);
  last8_ = (last8_ << 8) | c;
  if (len_ > 0) {
    if (h.at(ptr_) == c && pos - ptr_ < History::kSize - kVerifyMax - 1) {
      len_ = std::min(len_ + 1, kLenMax);
      ++ptr_;
    } else {
      len_ = 0;
    }
  }
  const uint32_t hs = uint32_t(((last8_ & 0xFFFFFFFFFFFFull) * 0x9E3779B97F4A7C15ull) >> (64 - kHashBits));
  const uint32_t hl = uint32_t((last8_ * 0x9E3779B97F4A7C15ull + prev8_ * 0xD6E8FEB86659FD93ull) >> (64 - kHashBits));
  if (len_ == 0) {
    // The longer of the two candidates, verified byte by byte backwards.
    for (const uint32_t cand : {pos >= kLongMin ? long_[hl] : 0u, pos >= kShortMin ? short_[hs] : 0u}) {
      if (cand == 0 || cand >= pos || pos - cand >= History::kSize - kVerifyMax - 1) continue;
      uint32_t n = 0;
      while (n < kVerifyMax && n < cand && h.at(cand - 1 - n) == h.at(pos - 1 - n)) ++n;
      if (n >= kShortMin && n > len_) {
        len_ = n;
        ptr_ = cand;
      }
    }
  }
  if (pos >= kLongMin) long_[hl] = pos;
  if (pos >= kShortMin) short_[hs] = pos;
  expected_ = len_ > 0 ? h.at(ptr_) : 0;
}

void MatchModel::inputs(int32_t* x, uint32_t c0, int bits) {
  expected_bit_ = -1;
  ctr_ = nullptr;
  if (len_ > 0 && ((uint32_t(expected_) | 0x100u) >> (8 - bits)) == c0) {
    expected_bit_ = (expected_ >> (7 - bits)) & 1;
    ctr_ = &sm_[expected_bit_][length_slot(len_)];
    x[0] = stretch(counter_p16(*ctr_));
    const int32_t strength = int32_t(std::min<uint32_t>(len_, 32)) * 32;
    x[1] = expected_bit_ ? strength : -strength;
  } else {
    x[0] = x[1] = 0;
  }
}

void MatchModel::update(int bit) {
  if (ctr_ != nullptr) counter_update(*ctr_, bit, 1023);
  if (expected_bit_ >= 0 && bit != expected_bit_) len_ = 0;
}

int MatchModel::length_bucket() const {
  if (len_ == 0) return 0;
  if (len_ < 8) return 1;
  if (len_ < 12) return 2;
  if (len_ < 16) return 3;
  if (len_ < 24) return 4;
  if (len_ < 32) return 5;
  if (len_ < 64) return 6;
  return 7;
}

}  // namespace lmzip::adaptive
