// The keys and values each lane's next positions can see, per layer, in one
// of two layouts (kernels.h), both kept as the binary16-rounded values of the
// network (docs/ARCHITECTURE.md):
//   rows   one lane: f32 keys and values (slot, d) for attention_segment,
//          plus the keys transposed (d, slot) for attention_row;
//   groups lanes in groups of kLockstepGroup: binary16 keys and values per
//          group, (head, slot, hd, G), for attention_lockstep.
// Slot s holds position base() + s in every buffer; reserve() grows and
// slides them all the same way.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "transformer/transformer.h"

namespace lmzip {

class KvCache {
 public:
  enum class Layout : uint8_t { rows, groups };

  // Room kept beyond the window: the most positions one reserve() adds, and
  // why a full cache slides at most once per kSlack positions.
  static constexpr int64_t kSlack = 128;

  explicit KvCache(const TransformerConfig& c) : c_(c) {}

  // Empties the cache (keeping its allocations) for `groups` groups of lanes
  // (layout groups) or one lane (rows).
  void reset(Layout layout, size_t groups);
  // Makes room for positions p0 .. p0+T-1 (T <= kSlack), keeping the keys
  // they can see (positions >= p0 - window + 1) of the first `groups_used`
  // groups (the others have ended and are never read again).
  void reserve(int64_t p0, int T, size_t groups_used);

  Layout layout() const { return layout_; }
  int64_t base() const { return base_; }  // position of slot 0
  int64_t cap() const { return cap_; }    // slots per buffer

  // Layout rows: layer l's keys and values (cap, d) and keys transposed (d, cap).
  float* k(uint32_t l) { return rows_[l].k.data(); }
  float* v(uint32_t l) { return rows_[l].v.data(); }
  float* kt(uint32_t l) { return rows_[l].kt.data(); }
  // Layout groups: group g's layer l keys and values, (head, cap, hd, G) binary16.
  uint16_t* k(size_t g, uint32_t l) { return groups_[g][l].k.data(); }
  uint16_t* v(size_t g, uint32_t l) { return groups_[g][l].v.data(); }

  // Slots a lane ever holds with chunks of up to `chunk` positions (memory budgets).
  static int64_t slots_max(const TransformerConfig& c, int64_t chunk);

 private:
  struct RowsLayer {
    std::vector<float> k, v, kt;
  };
  struct GroupLayer {
    std::vector<uint16_t> k, v;
  };

  const TransformerConfig& c_;
  Layout layout_ = Layout::rows;
  std::vector<RowsLayer> rows_;                 // (layers)
  std::vector<std::vector<GroupLayer>> groups_;  // (groups, layers)
  int64_t base_ = 0, cap_ = 0;
};

}  // namespace lmzip
