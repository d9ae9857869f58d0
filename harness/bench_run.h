// One benchmark run: every applicable compressor on every data set, in both
// chunk modes, collected into a Report.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "baseline.h"
#include "dataset.h"
#include "report.h"

namespace lmzip::harness {

struct BenchOptions {
  bool chunked = true;
  bool unchunked = true;
  // Compressors with learned parameters (GGUF models) see at most this many
  // bytes of each data set, as evenly spaced whole chunks; 0: everything.
  uint64_t model_limit_bytes = 0;
  // Where the run reports: a step's progress (`what`: "image · chunked · gzip -9";
  // done / total of its streams, each encoded then decoded) and its result line.
  // The harness prints nothing itself: the program decides (tools/status_line.h).
  std::function<void(const std::string& what, uint64_t done, uint64_t total)> on_progress;
  std::function<void(const std::string& result)> on_result;
};

// Fills report->measurements, ->compressors and ->datasets (the caller sets
// command, generated, machine, notes).
void bench_run(const std::vector<std::unique_ptr<Baseline>>& codecs, const std::vector<DataSet>& datasets,
               const BenchOptions& options, Report* report);

}  // namespace lmzip::harness
