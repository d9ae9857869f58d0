#include <unistd.h>

#include <chrono>
#include <cstdio>

#include "commands.h"

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

Progress::Progress(bool enabled, std::string label, uint64_t total_bytes)
    : enabled_(enabled && isatty(STDERR_FILENO)), label_(std::move(label)), total_(total_bytes),
      start_(now_seconds()) {}

Progress::~Progress() {
  if (drawn_) std::fprintf(stderr, "\r\033[K");
}

void Progress::update(uint64_t bytes_in, uint64_t bytes_out) {
  if (!enabled_) return;
  const double t = now_seconds();
  if (t - last_ < 0.25) return;
  last_ = t;
  const double rate = bytes_in / std::max(1e-9, t - start_);
  std::string line = label_ + ": " + human_bytes(static_cast<double>(bytes_in));
  if (total_) line += " of " + human_bytes(static_cast<double>(total_));
  line += " -> " + human_bytes(static_cast<double>(bytes_out)) + ", " + human_bytes(rate) + "/s";
  if (total_ && rate > 0 && bytes_in <= total_) {
    char eta[32];
    std::snprintf(eta, sizeof eta, ", ETA %.0f s", (total_ - bytes_in) / rate);
    line += eta;
  }
  std::fprintf(stderr, "\r\033[K%s", line.c_str());
  drawn_ = true;
}

}  // namespace lmzip::cli
