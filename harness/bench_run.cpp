#include "bench_run.h"

#include <cstdio>

#include "accounting.h"

namespace lmzip::harness {

void bench_run(const std::vector<std::unique_ptr<Baseline>>& codecs, const std::vector<DataSet>& datasets,
               const BenchOptions& options, Report* report) {
  for (const auto& c : codecs) report->compressors.push_back(c->name());
  for (const DataSet& d : datasets) report->datasets.push_back(dataset_summary(d));
  std::vector<ChunkMode> modes;
  if (options.unchunked) modes.push_back(ChunkMode::unchunked);
  if (options.chunked) modes.push_back(ChunkMode::chunked);
  for (const DataSet& full : datasets) {
    DataSet sample;
    if (options.model_limit_bytes != 0) sample = dataset_sample(full, options.model_limit_bytes);
    for (ChunkMode mode : modes)
      for (const auto& codec : codecs) {
        if (!codec->applies_to(full.shape)) continue;
        const bool thin = codec->parameters() > 0 && options.model_limit_bytes != 0 && sample.sampled();
        const DataSet& data = thin ? sample : full;
        const std::string what = data.name() + " · " + chunk_mode_name(mode) + " · " + codec->name();
        Measurement m = measure_run(*codec, data, mode, [&](uint64_t done, uint64_t total) {
          if (options.on_progress) options.on_progress(what, done, total);
        });
        if (options.on_result) {
          char buf[160];
          if (m.ok())
            std::snprintf(buf, sizeof buf, "%s: %.2f%% (one header), %.2f%% (per chunk), %.1f s", what.c_str(),
                          100 * rate_raw(m, HeaderCount::once), 100 * rate_raw(m, HeaderCount::per_chunk),
                          m.encode_seconds + m.decode_seconds);
          else
            std::snprintf(buf, sizeof buf, "%s: not measured: %s", what.c_str(), m.error.c_str());
          options.on_result(buf);
        }
        report->measurements.push_back(std::move(m));
      }
  }
}

}  // namespace lmzip::harness
