// The hashed context table (context_table.h).
#include "adaptive/context_table.h"

#if __has_include(<sys/mman.h>)
#include <sys/mman.h>
#endif

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <new>

#include "adaptive/context_slot.h"

namespace lmzip::adaptive {

namespace {

void bucket_clear(ContextBucket& b, uint32_t check) {
  b.check = check;
  for (uint32_t& s : b.slot) s = 0;
}

constexpr size_t kHuge = size_t(2) << 20;

// `bytes` (a multiple of kHuge) aligned to a huge page; *zeroed when the
// system hands out cleared memory (fresh anonymous pages).
void* huge_alloc(size_t bytes, bool* zeroed) {
#if __has_include(<sys/mman.h>)
  // Map one huge page more and unmap the ends.
  void* p = mmap(nullptr, bytes + kHuge, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) throw std::bad_alloc();
  const uintptr_t at = reinterpret_cast<uintptr_t>(p), start = (at + kHuge - 1) / kHuge * kHuge;
  if (start > at) munmap(p, start - at);
  if (start + bytes < at + bytes + kHuge) munmap(reinterpret_cast<void*>(start + bytes), at + kHuge - start);
  p = reinterpret_cast<void*>(start);
#ifdef MADV_HUGEPAGE
  madvise(p, bytes, MADV_HUGEPAGE);
#endif
  *zeroed = true;
  return p;
#else
  void* p = std::aligned_alloc(kHuge, bytes);
  if (!p) throw std::bad_alloc();
  *zeroed = false;
  return p;
#endif
}

void huge_free(void* p, size_t bytes) {
#if __has_include(<sys/mman.h>)
  if (p) munmap(p, bytes);
#else
  (void)bytes;
  std::free(p);
#endif
}

}  // namespace

// All zero: no bucket matches any check (checks have bit 16 set), and a claim
// clears the bucket it takes.
ContextTable::~ContextTable() { huge_free(buckets_, bytes_); }

// Fresh memory from the system is already zero, so the first reset() after
// an allocation writes nothing and the kernel clears the pages as the block
// first touches them (on a 512 KiB block, lmzip -0, clearing its 128 MiB
// twice took a fifth of the time).
void ContextTable::reset(int log2_buckets) {
  const size_t n = size_t(1) << log2_buckets;
  bool zeroed = false;
  if (n > capacity_) {
    huge_free(buckets_, bytes_);
    buckets_ = nullptr;
    capacity_ = 0;
    bytes_ = (n * sizeof(ContextBucket) + kHuge - 1) / kHuge * kHuge;
    buckets_ = static_cast<ContextBucket*>(huge_alloc(bytes_, &zeroed));
    capacity_ = n;
  }
  if (!zeroed) std::fill(buckets_, buckets_ + n, ContextBucket{});
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
