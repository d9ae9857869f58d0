// The whole run as JSON: metadata, data sets and every measurement.
#include <cmath>
#include <cstdio>
#include <sstream>

#include "accounting.h"
#include "report.h"

namespace lmzip::harness {
namespace {

std::string json_string(const std::string& s) {
  std::string q = "\"";
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') {
      q += '\\';
      q += static_cast<char>(c);
    } else if (c < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      q += buf;
    } else {
      q += static_cast<char>(c);
    }
  }
  return q + "\"";
}

std::string json_number(double v) {
  if (!std::isfinite(v)) return "null";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.9g", v);
  return buf;
}

}  // namespace

std::string report_json(const Report& r) {
  std::ostringstream o;
  o << "{\n  \"command\": " << json_string(r.command) << ",\n  \"generated\": " << json_string(r.generated)
    << ",\n  \"machine\": " << json_string(r.machine) << ",\n  \"datasets\": [";
  for (size_t i = 0; i < r.datasets.size(); ++i) {
    const DataSetSummary& s = r.datasets[i];
    o << (i ? "," : "") << "\n    {\"name\": " << json_string(s.name) << ", \"files\": " << s.files
      << ", \"file_bytes\": " << s.file_bytes << ", \"prepared_bytes\": " << s.prepared_bytes
      << ", \"chunks\": " << s.chunks << ", \"chunk_bytes\": " << s.chunk_bytes
      << ", \"protocol\": " << json_string(s.protocol) << "}";
  }
  o << "\n  ],\n  \"measurements\": [";
  for (size_t i = 0; i < r.measurements.size(); ++i) {
    const Measurement& m = r.measurements[i];
    const bool ok = m.ok();
    auto num = [&](double v) { return ok ? json_number(v) : std::string("null"); };
    o << (i ? "," : "") << "\n    {\"dataset\": " << json_string(m.dataset)
      << ", \"mode\": " << json_string(chunk_mode_name(m.mode)) << ", \"compressor\": " << json_string(m.compressor)
      << ", \"raw_bytes\": " << m.raw_bytes << ", \"full_bytes\": " << m.full_bytes
      << ", \"sampled\": " << (m.sampled() ? "true" : "false") << ", \"chunks\": " << m.chunks
      << ", \"streams\": " << m.streams << ", \"compressed_bytes\": " << m.compressed_bytes
      << ", \"header_bytes\": " << m.header_bytes << ", \"stream_overhead_bytes\": " << m.stream_overhead_bytes
      << ", \"parameters\": " << m.parameters << ", \"rate_paper\": " << num(rate_raw(m, HeaderCount::once))
      << ", \"rate_honest\": " << num(rate_raw(m, HeaderCount::per_chunk))
      << ", \"adjusted_1gb_paper\": " << num(rate_adjusted(m, HeaderCount::once, kPaperDataBytes))
      << ", \"adjusted_actual_honest\": "
      << num(rate_adjusted(m, HeaderCount::per_chunk, static_cast<double>(m.full_bytes)))
      << ", \"encode_seconds\": " << json_number(m.encode_seconds)
      << ", \"decode_seconds\": " << json_number(m.decode_seconds)
      << ", \"verified\": " << (m.verified ? "true" : "false") << ", \"error\": " << json_string(m.error) << "}";
  }
  o << "\n  ],\n  \"notes\": [";
  for (size_t i = 0; i < r.notes.size(); ++i) o << (i ? ", " : "") << json_string(r.notes[i]);
  o << "]\n}\n";
  return o.str();
}

}  // namespace lmzip::harness
