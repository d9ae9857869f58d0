// The merge loop both of llama.cpp's tokenizers share (SPM by piece score,
// BPE by merge rank): a text cut into symbols, a priority queue of the
// adjacent pairs that may merge, the best pair merged first (ties: the
// leftmost) until no pair is left. Kept in one place for its one subtle
// rule: a queued pair is stale once either of its symbols has merged since.
#pragma once

#include <cstddef>
#include <optional>
#include <queue>
#include <string_view>
#include <vector>

namespace lmzip {

// The pieces `text` ends as, given the sizes of the symbols it starts as (in
// order, summing to text.size()). priority(left, right) is the pair's
// priority, higher merging first, or nothing when the pair may not merge.
template <class Priority>
std::vector<std::string_view> pieces_merge(std::string_view text, const std::vector<size_t>& sizes, Priority priority) {
  struct Symbol {
    size_t start, size;  // size 0: merged into its left neighbour
    ptrdiff_t prev, next;
  };
  std::vector<Symbol> symbols;
  for (size_t i = 0, start = 0; i < sizes.size(); start += sizes[i++])
    symbols.push_back({start, sizes[i], ptrdiff_t(i) - 1, i + 1 == sizes.size() ? -1 : ptrdiff_t(i) + 1});

  using P = typename decltype(priority(text, text))::value_type;
  struct Pair {
    P priority;
    ptrdiff_t left, right;
    size_t size;  // of the merged text: once either symbol has merged since, the sizes no longer add up
  };
  auto worse = [](const Pair& a, const Pair& b) {
    return a.priority < b.priority || (a.priority == b.priority && a.left > b.left);
  };
  std::priority_queue<Pair, std::vector<Pair>, decltype(worse)> queue(worse);
  auto try_pair = [&](ptrdiff_t left, ptrdiff_t right) {
    if (left < 0 || right < 0) return;
    const Symbol& l = symbols[left];
    const Symbol& r = symbols[right];
    if (std::optional<P> p = priority(text.substr(l.start, l.size), text.substr(r.start, r.size)))
      queue.push({*p, left, right, l.size + r.size});
  };
  for (size_t i = 1; i < symbols.size(); ++i) try_pair(ptrdiff_t(i - 1), ptrdiff_t(i));
  while (!queue.empty()) {
    const Pair pair = queue.top();
    queue.pop();
    Symbol& left = symbols[pair.left];
    Symbol& right = symbols[pair.right];
    if (left.size == 0 || right.size == 0 || left.size + right.size != pair.size) continue;
    left.size += right.size;
    right.size = 0;
    left.next = right.next;
    if (right.next >= 0) symbols[right.next].prev = pair.left;
    try_pair(left.prev, pair.left);
    try_pair(pair.left, left.next);
  }

  std::vector<std::string_view> pieces;
  for (ptrdiff_t i = symbols.empty() ? -1 : 0; i >= 0; i = symbols[i].next)
    pieces.push_back(text.substr(symbols[i].start, symbols[i].size));
  return pieces;
}

}  // namespace lmzip
