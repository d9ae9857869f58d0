// What one benchmark run produced, and its renderings: Markdown in the
// paper's Table 1 layout, CSV, JSON and an SVG chart.
#pragma once

#include <string>
#include <vector>

#include "dataset.h"
#include "lmzip/error.h"
#include "measure.h"

namespace lmzip::harness {

struct DataSetSummary {
  std::string name;
  std::string protocol;
  uint64_t files = 0;
  uint64_t file_bytes = 0;
  uint64_t prepared_bytes = 0;  // the whole prepared data set
  uint64_t chunks = 0;
  uint32_t chunk_bytes = 0;
};

struct Report {
  std::string command;               // written above the table
  std::string generated;             // UTC date and time
  std::string machine;               // CPU model, for the throughput numbers
  std::vector<DataSetSummary> datasets;
  std::vector<std::string> compressors;  // row order
  std::vector<Measurement> measurements;
  std::vector<std::string> notes;    // warnings, sampling, skipped files
  std::string chart_file;            // SVG to link from the Markdown (relative), empty if none
};

DataSetSummary dataset_summary(const DataSet& set);

std::string report_markdown(const Report& report);
std::string report_csv(const Report& report);
std::string report_json(const Report& report);
// Writes `svg_path` by running gnuplot; an error Status if gnuplot fails.
Status report_chart_svg(const Report& report, const std::string& svg_path);

// The measurement of (compressor, data set, mode), or nullptr.
const Measurement* report_find(const Report& report, const std::string& compressor, const std::string& dataset,
                               ChunkMode mode);

}  // namespace lmzip::harness
