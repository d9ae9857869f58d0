#include "progress_line.h"

#include <unistd.h>

#include <cstdio>

namespace lmzip::harness {

ProgressLine::ProgressLine() : tty_(::isatty(STDERR_FILENO) != 0), last_(), step_start_() {}

void ProgressLine::update(const std::string& what, uint64_t done, uint64_t total) {
  const auto now = std::chrono::steady_clock::now();
  if (what != step_) {
    step_ = what;
    step_start_ = now;
    last_ = now;
  }
  const double since = std::chrono::duration<double>(now - last_).count();
  if (since < (tty_ ? 0.2 : 10.0) && done != 0) return;
  last_ = now;
  const double elapsed = std::chrono::duration<double>(now - step_start_).count();
  const double pct = total ? 100.0 * static_cast<double>(done) / static_cast<double>(total) : 100.0;
  // Each stream is encoded then decoded: the first half of `total` is encoding.
  std::fprintf(stderr, "%s[lmzip-bench] %s: %s %5.1f%%, %.0f s%s", tty_ ? "\r\033[K" : "", what.c_str(),
               done * 2 <= total ? "encoding" : "decoding", pct, elapsed, tty_ ? "" : "\n");
  std::fflush(stderr);
}

void ProgressLine::finish(const std::string& line) {
  std::fprintf(stderr, "%s[lmzip-bench] %s\n", tty_ ? "\r\033[K" : "", line.c_str());
  std::fflush(stderr);
  step_.clear();
}

}  // namespace lmzip::harness
