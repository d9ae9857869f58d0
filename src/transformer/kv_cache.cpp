#include "transformer/kv_cache.h"

#include <algorithm>
#include <cstring>

#include "kernels/kernels.h"

namespace lmzip {

namespace {

// A buffer of `planes` planes of `cap` slots of `slot` elements each. Drops
// the first `drop` slots of every plane and keeps the next `keep`, in place
// when the capacity stays, else re-laid into the new capacity.
template <class T>
void buffer_move(std::vector<T>& a, int64_t planes, int64_t slot, int64_t old_cap, int64_t cap, int64_t drop,
                 int64_t keep) {
  if (cap == old_cap) {
    if (drop == 0) return;
    for (int64_t p = 0; p < planes; ++p)
      std::memmove(a.data() + p * cap * slot, a.data() + (p * cap + drop) * slot, size_t(keep * slot) * sizeof(T));
    return;
  }
  std::vector<T> b(size_t(planes * cap * slot));
  for (int64_t p = 0; p < planes && keep > 0; ++p)
    std::memcpy(b.data() + p * cap * slot, a.data() + (p * old_cap + drop) * slot, size_t(keep * slot) * sizeof(T));
  a.swap(b);
}

}  // namespace

void KvCache::reset(Layout layout, size_t groups) {
  // One lane again keeps its capacity (the decoder resets at every chunk);
  // otherwise reserve() sizes every buffer again.
  if (layout != Layout::rows || layout_ != Layout::rows) cap_ = 0;
  layout_ = layout;
  base_ = 0;
  if (layout == Layout::rows) {
    rows_.resize(c_.layers);
  } else {
    groups_.resize(std::max(groups_.size(), groups));
    for (auto& g : groups_) g.resize(c_.layers);
  }
}

void KvCache::reserve(int64_t p0, int T, size_t groups_used) {
  if (p0 + T - base_ <= cap_) return;
  // Grow (geometrically) up to what the window needs plus kSlack, and only
  // then slide: sliding at a capacity just above the window would copy the
  // whole cache at every step.
  const int64_t window = c_.window;
  const int64_t limit = window - 1 + kSlack;
  const int64_t keep_from = std::max<int64_t>(base_, p0 - window + 1);
  const int64_t keep = p0 - keep_from, drop = keep_from - base_;
  const int64_t need = p0 + T - keep_from;  // slots after dropping what nobody sees again
  const int64_t old_cap = cap_;
  if (cap_ < limit) cap_ = std::min(limit, std::max<int64_t>(2 * cap_, 256));
  cap_ = std::max(cap_, need);
  const int64_t d = c_.d;
  if (layout_ == Layout::rows) {
    for (RowsLayer& r : rows_) {
      buffer_move(r.k, 1, d, old_cap, cap_, drop, keep);
      buffer_move(r.v, 1, d, old_cap, cap_, drop, keep);
      buffer_move(r.kt, d, 1, old_cap, cap_, drop, keep);
    }
  } else {
    const int64_t slot = int64_t(c_.hd()) * kLockstepGroup, H = c_.heads;
    for (size_t g = 0; g < groups_used; ++g)
      for (GroupLayer& r : groups_[g]) {
        buffer_move(r.k, H, slot, old_cap, cap_, drop, keep);
        buffer_move(r.v, H, slot, old_cap, cap_, drop, keep);
      }
  }
  base_ = keep_from;
}

int64_t KvCache::slots_max(const TransformerConfig& c, int64_t chunk) {
  return std::min<int64_t>(int64_t(c.window) - 1 + kSlack, std::max<int64_t>(2 * chunk, 256));
}

}  // namespace lmzip
