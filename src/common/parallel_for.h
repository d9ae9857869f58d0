// Runs fn(task, worker) for task in [0, tasks) on up to `threads` threads.
// Tasks are handed out in order; each worker index is used by one thread at a
// time, so per-worker state (a Predictor) needs no locking.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <thread>
#include <vector>

namespace lmzip {

template <class Fn>
void parallel_for(size_t tasks, unsigned threads, Fn&& fn) {
  const unsigned workers = static_cast<unsigned>(std::min<size_t>(std::max(1u, threads), tasks));
  if (workers <= 1) {
    for (size_t t = 0; t < tasks; ++t) fn(t, 0u);
    return;
  }
  std::atomic<size_t> next{0};
  auto run = [&](unsigned worker) {
    for (size_t t; (t = next.fetch_add(1)) < tasks;) fn(t, worker);
  };
  std::vector<std::thread> pool;
  for (unsigned w = 1; w < workers; ++w) pool.emplace_back(run, w);
  run(0);
  for (auto& th : pool) th.join();
}

}  // namespace lmzip
