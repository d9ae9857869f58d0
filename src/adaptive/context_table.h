// The hashed context table: buckets of 64 bytes, one per (context, nibble of
// the byte so far), each holding a check value and the 15 counters of the
// nibble's binary tree (node 1 .. 15: the bits of the nibble seen so far
// behind a leading 1). A lookup probes two neighbouring buckets; a miss takes
// over the one whose first slot has seen fewer updates. The size is part of
// the algorithm (the stage sets it per block). Slots are context_slot.h words.
#pragma once

#include <cstddef>
#include <cstdint>

namespace lmzip::adaptive {

struct alignas(64) ContextBucket {
  uint32_t check;
  uint32_t slot[15];
};

class ContextTable {
 public:
  ContextTable() = default;
  ~ContextTable();
  ContextTable(const ContextTable&) = delete;
  ContextTable& operator=(const ContextTable&) = delete;
  // Forgets everything; 2^log2_buckets buckets (>= 1).
  void reset(int log2_buckets);
  // The bucket of the context hash h (32 bits, well mixed): found or claimed.
  uint32_t* bucket_find(uint32_t h);
  // Asks the cache for h's buckets ahead of bucket_find (no effect on results).
  void prefetch(uint32_t h) const { __builtin_prefetch(&buckets_[(h >> shift_) & ~1u]); __builtin_prefetch(&buckets_[(h >> shift_) | 1u]); }
  size_t memory_bytes() const { return capacity_ * sizeof(ContextBucket); }

 private:
  // Huge pages where the system has them: the table is touched at random, and
  // with 4 KiB pages first-touch faults and TLB misses cost more than the
  // model itself (no effect on results).
  ContextBucket* buckets_ = nullptr;
  size_t capacity_ = 0;  // buckets allocated
  size_t bytes_ = 0;     // bytes mapped
  int shift_ = 32;
};

}  // namespace lmzip::adaptive
