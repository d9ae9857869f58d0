#include "codec/token_bytes.h"

#include <algorithm>
#include <numeric>

#include "lmzip/model.h"

namespace lmzip {

TokenOrder::TokenOrder(const TokenText& text, uint32_t vocabulary, bool first) {
  for (Symbol id = 0; id < Symbol(vocabulary); ++id) {
    if (text.text(id, false).empty()) continue;
    ids_.push_back(id);
  }
  // std::string_view compares bytes as unsigned char (char_traits<char>::lt).
  std::sort(ids_.begin(), ids_.end(), [&](Symbol a, Symbol b) {
    const std::string_view ta = text.text(a, first), tb = text.text(b, first);
    return ta != tb ? ta < tb : a < b;
  });
  texts_.reserve(ids_.size());
  for (Symbol id : ids_) texts_.push_back(text.text(id, first));
}

namespace {
// Entries [lo, hi) all have text longer than depth and are sorted: the
// first whose byte at depth is not below b.
size_t first_at_least(const TokenOrder& order, size_t lo, size_t hi, size_t depth, unsigned b) {
  while (lo < hi) {
    const size_t mid = lo + (hi - lo) / 2;
    if (uint8_t(order.text(mid)[depth]) < b) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
}  // namespace

void TokenCursor::start(const TokenOrder& order, const uint32_t* freqs) {
  order_ = &order;
  sum_.resize(order.size() + 1);
  sum_[0] = 0;
  for (size_t k = 0; k < order.size(); ++k) sum_[k + 1] = sum_[k] + freqs[order.id(k)];
  lo_ = 0;
  hi_ = order.size();
  depth_ = 0;
  exact_ = 0;
  while (lo_ + exact_ < hi_ && order.text(lo_ + exact_).empty()) ++exact_;
}

void TokenCursor::byte_freqs(uint32_t* freq) const {
  std::fill(freq, freq + 256, 0u);
  size_t k = lo_ + exact_;
  while (k < hi_) {
    const unsigned b = uint8_t(order_->text(k)[depth_]);
    const size_t end = first_at_least(*order_, k, hi_, depth_, b + 1);
    freq[b] = mass(k, end);
    k = end;
  }
}

bool TokenCursor::advance(uint8_t b) {
  const size_t lo = first_at_least(*order_, lo_ + exact_, hi_, depth_, b);
  const size_t hi = first_at_least(*order_, lo, hi_, depth_, unsigned(b) + 1);
  if (lo == hi) return false;
  lo_ = lo;
  hi_ = hi;
  ++depth_;
  exact_ = 0;
  while (lo_ + exact_ < hi_ && order_->text(lo_ + exact_).size() == depth_) ++exact_;
  return true;
}

}  // namespace lmzip
