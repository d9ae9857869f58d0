// The hashed context table (context_table.h).
#include "adaptive/context_table.h"

#if __has_include(<sys/mman.h>)
#include <sys/mman.h>
#endif

#include <algorithm>
#include <cstdlib>
#include <new>

#include "adaptive/context_slot.h"

namespace lmzip::adaptive {

namespace {
void bucket_clear(ContextBucket& b, uint32_t check) {
  b.check = check;
  for (uint32_t& s : b.slot) s = 0;
}
}  // namespace

// All zero: no bucket matches any check (checks have bit 16 set), and a claim
// clears the bucket it takes.
ContextTable::~ContextTable() { std::free(buckets_); }

void ContextTable::reset(int log2_buckets) {
  const size_t n = size_t(1) << log2_buckets;
  if (n > capacity_) {
    std::free(buckets_);
    constexpr size_t kHuge = size_t(2) << 20;
    const size_t bytes = (n * sizeof(ContextBucket) + kHuge - 1) / kHuge * kHuge;
    buckets_ = static_cast<ContextBucket*>(std::aligned_alloc(kHuge, bytes));
    if (!buckets_) throw std::bad_alloc();
#ifdef MADV_HUGEPAGE
    madvise(buckets_, bytes, MADV_HUGEPAGE);
#endif
    capacity_ = n;
  }
  std::fill(buckets_, buckets_ + n, ContextBucket{});
  shift_ = 32 - log2_buckets;
}

uint32_t* ContextTable::bucket_find(uint32_t h) {
  // Index from the high bits, check from a second mix (never 0: 0 = empty).
  const uint32_t i = h >> shift_, check = ((h * 0x2C9277B5u) >> 16) | 0x10000u;
  ContextBucket& a = buckets_[i];
  if (a.check == check) return a.slot;
  ContextBucket& b = buckets_[i ^ 1];
  if (b.check == check) return b.slot;
  ContextBucket& victim = slot_n(a.slot[0]) <= slot_n(b.slot[0]) ? a : b;
  bucket_clear(victim, check);
  return victim.slot;
}

}  // namespace lmzip::adaptive
