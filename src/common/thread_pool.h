// Persistent worker threads: the codec's chunks and the engine's lane groups
// run on them (parallel_for.h). A step of the engine takes a few hundred
// microseconds, too short to start threads for, hence threads that wait.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace lmzip {

class ThreadPool {
 public:
  // `threads` workers in all, the calling thread being worker 0 (so 1 starts no thread).
  explicit ThreadPool(unsigned threads);
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  unsigned size() const { return unsigned(threads_.size()) + 1; }

  // Runs fn(worker) for worker in [0, n), n <= size(), and waits for all;
  // worker 0 runs on the calling thread. Not reentrant: fn must not run() the
  // same pool.
  void run(unsigned n, const std::function<void(unsigned)>& fn);

 private:
  void loop(unsigned worker);

  std::vector<std::thread> threads_;
  std::mutex mu_;
  std::condition_variable cv_, done_;
  const std::function<void(unsigned)>* job_ = nullptr;
  unsigned jobs_ = 0, pending_ = 0;
  uint64_t generation_ = 0;
  bool stop_ = false;
};

}  // namespace lmzip
