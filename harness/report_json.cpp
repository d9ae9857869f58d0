// The whole run as JSON (nlohmann-json): metadata, data sets and every measurement.
#include <cmath>

#include <nlohmann/json.hpp>

#include "accounting.h"
#include "report.h"

namespace lmzip::harness {
namespace {

// JSON has no NaN or infinity: an unknown number is null.
nlohmann::json number(double v) { return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr); }

}  // namespace

std::string report_json(const Report& r) {
  nlohmann::ordered_json o;
  o["command"] = r.command;
  o["generated"] = r.generated;
  o["machine"] = r.machine;
  o["datasets"] = nlohmann::ordered_json::array();
  for (const DataSetSummary& s : r.datasets)
    o["datasets"].push_back({{"name", s.name}, {"files", s.files}, {"file_bytes", s.file_bytes},
                             {"prepared_bytes", s.prepared_bytes}, {"chunks", s.chunks},
                             {"chunk_bytes", s.chunk_bytes}, {"protocol", s.protocol}});
  o["measurements"] = nlohmann::ordered_json::array();
  for (const Measurement& m : r.measurements) {
    const bool ok = m.ok();
    auto rate = [&](double v) { return ok ? number(v) : nlohmann::json(nullptr); };
    nlohmann::ordered_json j;
    j["dataset"] = m.dataset;
    j["mode"] = chunk_mode_name(m.mode);
    j["compressor"] = m.compressor;
    j["raw_bytes"] = m.raw_bytes;
    j["full_bytes"] = m.full_bytes;
    j["sampled"] = m.sampled();
    j["chunks"] = m.chunks;
    j["streams"] = m.streams;
    j["compressed_bytes"] = m.compressed_bytes;
    j["header_bytes"] = m.header_bytes;
    j["stream_overhead_bytes"] = m.stream_overhead_bytes;
    j["parameters"] = m.parameters;
    j["rate_paper"] = rate(rate_raw(m, HeaderCount::once));
    j["rate_honest"] = rate(rate_raw(m, HeaderCount::per_chunk));
    j["adjusted_1gb_paper"] = rate(rate_adjusted(m, HeaderCount::once, kPaperDataBytes));
    j["adjusted_actual_honest"] = rate(rate_adjusted(m, HeaderCount::per_chunk, static_cast<double>(m.full_bytes)));
    j["encode_seconds"] = number(m.encode_seconds);
    j["decode_seconds"] = number(m.decode_seconds);
    j["verified"] = m.verified;
    j["error"] = m.error;
    o["measurements"].push_back(std::move(j));
  }
  o["notes"] = r.notes;
  // Invalid UTF-8 (a file name) is replaced, not thrown on.
  return o.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

}  // namespace lmzip::harness
