#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <thread>

#include "commands.h"
#include "status_line.h"

namespace lmzip::cli {
namespace {

double now_seconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

std::string human_bytes(double b) {
  const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  int u = 0;
  while (b >= 1024 && u < 4) b /= 1024, ++u;
  char buf[32];
  std::snprintf(buf, sizeof buf, u ? "%.1f %s" : "%.0f %s", b, units[u]);
  return buf;
}

}  // namespace

// The counts so far and a thread that redraws them every second: the codec
// reports progress per batch of chunks, and one chunk of a slow model can
// take many seconds.
struct Progress::Ticker {
  explicit Ticker(std::string prefix) : line(std::move(prefix)) {}
  StatusLine line;
  std::mutex mutex;
  std::condition_variable wake;
  uint64_t bytes_in = 0, bytes_out = 0;
  bool stop = false;
  std::thread thread;
};

Progress::Progress(bool enabled, std::string label, uint64_t total_bytes)
    : total_(total_bytes), start_(now_seconds()) {
  if (!enabled || !isatty(STDERR_FILENO)) return;  // drawn on a terminal only
  ticker_ = std::make_unique<Ticker>(label + ": ");
  ticker_->thread = std::thread([this] {
    std::unique_lock lock(ticker_->mutex);
    while (!ticker_->wake.wait_for(lock, std::chrono::seconds(1), [this] { return ticker_->stop; })) draw(true);
  });
}

Progress::~Progress() {
  if (!ticker_) return;
  {
    std::lock_guard lock(ticker_->mutex);
    ticker_->stop = true;
  }
  ticker_->wake.notify_one();
  ticker_->thread.join();
}

void Progress::update(uint64_t bytes_in, uint64_t bytes_out) {
  if (!ticker_) return;
  std::lock_guard lock(ticker_->mutex);
  ticker_->bytes_in = bytes_in;
  ticker_->bytes_out = bytes_out;
  draw(false);
}

// Called with the ticker's mutex held; force: the ticker's once a second.
void Progress::draw(bool force) {
  const double t = now_seconds(), secs = t - start_;
  const uint64_t in = ticker_->bytes_in, out = ticker_->bytes_out;
  const double rate = in / std::max(1e-9, secs);
  std::string line = human_bytes(static_cast<double>(in));
  if (total_) line += " of " + human_bytes(static_cast<double>(total_));
  line += " -> " + human_bytes(static_cast<double>(out));
  char tail[64];
  std::snprintf(tail, sizeof tail, ", %.0f s", secs);
  line += tail;
  if (in > 0) line += ", " + human_bytes(rate) + "/s";
  if (total_ && in > 0 && in <= total_) {
    std::snprintf(tail, sizeof tail, ", ETA %.0f s", (total_ - in) / rate);
    line += tail;
  }
  ticker_->line.show(line, force);
}

}  // namespace lmzip::cli
