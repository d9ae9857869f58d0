// One benchmark run: every applicable compressor on every data set, in both
// chunk modes, collected into a Report.
#pragma once

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
  bool progress = true;
};

// Fills report->measurements, ->compressors and ->datasets (the caller sets
// command, generated, machine, notes).
void bench_run(const std::vector<std::unique_ptr<Baseline>>& codecs, const std::vector<DataSet>& datasets,
               const BenchOptions& options, Report* report);

}  // namespace lmzip::harness
