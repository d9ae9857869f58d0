// The programs' one progress line on stderr (lmzip -v's, lmzip-bench's):
// rewritten in place on a terminal, at most every 0.2 s; elsewhere (a log, CI)
// a plain line at most every 10 s, so that a log shows a long step is alive.
#pragma once

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <string>

#include "lmzip/printable.h"

namespace lmzip::cli {

class StatusLine {
 public:
  // prefix: what each line starts with ("lmzip-bench: "); off: draws nothing.
  explicit StatusLine(std::string prefix, bool on = true)
      : prefix_(std::move(prefix)), tty_(isatty(STDERR_FILENO) != 0), on_(on) {}
  ~StatusLine() { clear(); }
  StatusLine(const StatusLine&) = delete;
  StatusLine& operator=(const StatusLine&) = delete;

  // Shows `text` unless a line was drawn too recently (force: always).
  void show(const std::string& text, bool force = false) {
    if (!on_) return;
    const auto now = std::chrono::steady_clock::now();
    if (!force && drawn_once_ && now - last_ < (tty_ ? std::chrono::milliseconds(200) : std::chrono::seconds(10)))
      return;
    last_ = now;
    drawn_once_ = true;
    std::fprintf(stderr, "%s%s%s%s", tty_ ? "\r\033[K" : "", prefix_.c_str(), printable(text).c_str(), tty_ ? "" : "\n");
    std::fflush(stderr);
    pending_ = tty_;
  }
  // A line that stays (a step's result): the next show() starts below it.
  void finish(const std::string& text) {
    if (!on_) return;
    std::fprintf(stderr, "%s%s%s\n", pending_ ? "\r\033[K" : "", prefix_.c_str(), printable(text).c_str());
    std::fflush(stderr);
    pending_ = false;
    drawn_once_ = false;
  }
  // Erases a line left in place on a terminal.
  void clear() {
    if (pending_) std::fprintf(stderr, "\r\033[K");
    pending_ = false;
  }

 private:
  std::string prefix_;
  bool tty_;
  bool on_;
  bool pending_ = false;     // a line is drawn in place and not yet ended
  bool drawn_once_ = false;  // the current step has drawn a line
  std::chrono::steady_clock::time_point last_{};
};

}  // namespace lmzip::cli
