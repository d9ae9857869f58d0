// The benchmark's progress line on stderr: rewritten in place on a terminal,
// a plain line every few seconds otherwise (logs, CI).
#pragma once

#include <chrono>
#include <string>

namespace lmzip::harness {

class ProgressLine {
 public:
  ProgressLine();
  // `what` names the step ("image · chunked · gzip -9"); done / total of its streams.
  void update(const std::string& what, uint64_t done, uint64_t total);
  // Ends the current step's line with its result.
  void finish(const std::string& line);

 private:
  bool tty_;
  std::chrono::steady_clock::time_point last_;
  std::chrono::steady_clock::time_point step_start_;
  std::string step_;
};

}  // namespace lmzip::harness
