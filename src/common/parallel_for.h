// Runs fn(task, worker) for task in [0, tasks) on the workers of a ThreadPool.
// Tasks are handed out in order; each worker index is used by one thread at a
// time, so per-worker state (a Predictor) needs no locking.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>

#include "common/thread_pool.h"

namespace lmzip {

template <class Fn>
void parallel_for(size_t tasks, ThreadPool& pool, Fn&& fn) {
  const unsigned workers = static_cast<unsigned>(std::min<size_t>(pool.size(), tasks));
  if (workers <= 1) {
    for (size_t t = 0; t < tasks; ++t) fn(t, 0u);
    return;
  }
  std::atomic<size_t> next{0};
  pool.run(workers, [&](unsigned worker) {
    for (size_t t; (t = next.fetch_add(1)) < tasks;) fn(t, worker);
  });
}

// The same on a pool of `threads` made for this call.
template <class Fn>
void parallel_for(size_t tasks, unsigned threads, Fn&& fn) {
  if (std::max(1u, threads) <= 1 || tasks <= 1) {
    for (size_t t = 0; t < tasks; ++t) fn(t, 0u);
    return;
  }
  ThreadPool pool(static_cast<unsigned>(std::min<size_t>(threads, tasks)));
  parallel_for(tasks, pool, fn);
}

}  // namespace lmzip
