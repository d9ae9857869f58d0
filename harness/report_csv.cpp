// One CSV row per (data set, chunk mode, compressor), every accounting.
#include <cstdio>
#include <sstream>

#include "accounting.h"
#include "report.h"

namespace lmzip::harness {
namespace {

std::string csv_quote(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string q = "\"";
  for (char c : s) {
    if (c == '"') q += '"';
    q += c;
  }
  return q + "\"";
}

std::string csv_number(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

}  // namespace

std::string report_csv(const Report& r) {
  std::ostringstream o;
  o << "dataset,mode,compressor,raw_bytes,full_bytes,sampled,chunks,streams,compressed_bytes,header_bytes,stream_overhead_bytes,parameters,"
       "rate_paper,rate_honest,adjusted_1gb_paper,adjusted_actual_honest,encode_seconds,decode_seconds,"
       "encode_bytes_per_s,decode_bytes_per_s,verified,error\n";
  for (const Measurement& m : r.measurements) {
    const bool ok = m.ok();
    auto num = [&](double v) { return ok ? csv_number(v) : std::string(); };
    o << csv_quote(m.dataset) << "," << chunk_mode_name(m.mode) << "," << csv_quote(m.compressor) << ","
      << m.raw_bytes << "," << m.full_bytes << "," << (m.sampled() ? 1 : 0) << "," << m.chunks << "," << m.streams << ","
      << m.compressed_bytes << "," << m.header_bytes << "," << m.stream_overhead_bytes << "," << m.parameters << ","
      << num(rate_raw(m, HeaderCount::once)) << "," << num(rate_raw(m, HeaderCount::per_chunk)) << ","
      << num(rate_adjusted(m, HeaderCount::once, kPaperDataBytes)) << ","
      << num(rate_adjusted(m, HeaderCount::per_chunk, static_cast<double>(m.full_bytes))) << ","
      << csv_number(m.encode_seconds) << "," << csv_number(m.decode_seconds) << "," << num(throughput_encode(m))
      << "," << num(throughput_decode(m)) << "," << (m.verified ? 1 : 0) << "," << csv_quote(m.error) << "\n";
  }
  return o.str();
}

}  // namespace lmzip::harness
