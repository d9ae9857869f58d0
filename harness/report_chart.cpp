// The raw rates as a grouped bar chart (SVG), drawn by gnuplot: one panel per
// chunk mode, one group of bars per compressor, one bar per data set.
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "accounting.h"
#include "report.h"

namespace lmzip::harness {
namespace {

std::string chart_quote(const std::string& s) {
  std::string q = "\"";
  for (char c : s) q += (c == '"' ? '\'' : c);
  return q + "\"";
}

// gnuplot data: a header row of data set names, then one row per compressor.
std::string chart_table(const Report& r, ChunkMode mode) {
  std::string t = "compressor";
  for (const auto& d : r.datasets) t += " " + chart_quote(d.name);
  t += "\n";
  for (const std::string& c : r.compressors) {
    t += chart_quote(c);
    for (const auto& d : r.datasets) {
      const Measurement* m = report_find(r, c, d.name, mode);
      char buf[32] = "-";
      if (m != nullptr && m->ok()) std::snprintf(buf, sizeof buf, "%.2f", 100.0 * rate_raw(*m, HeaderCount::once));
      t += std::string(" ") + buf;
    }
    t += "\n";
  }
  return t;
}

}  // namespace

Status report_chart_svg(const Report& r, const std::string& svg_path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::path dir = fs::temp_directory_path(ec) / ("lmzip-bench-chart-" + std::to_string(::getpid()));
  fs::create_directories(dir, ec);
  if (ec) return Status(ErrorCode::io, "cannot create a temporary directory for the chart");
  const fs::path unchunked = dir / "unchunked.dat", chunked = dir / "chunked.dat", script = dir / "chart.gp";
  std::ofstream(unchunked) << chart_table(r, ChunkMode::unchunked);
  std::ofstream(chunked) << chart_table(r, ChunkMode::chunked);
  const size_t columns = r.datasets.size() + 1;
  {
    std::ofstream gp(script);
    gp << "set terminal svg size 1200,900 dynamic enhanced font 'sans,11'\n"
       << "set output " << chart_quote(svg_path) << "\n"
       << "set datafile missing '-'\n"
       << "set style data histograms\nset style histogram clustered gap 1\nset style fill solid 0.85 border -1\n"
       << "set boxwidth 0.9\nset grid ytics\nset yrange [0:*]\nset ylabel 'raw compression rate (%)'\n"
       << "set xtics rotate by 30 right nomirror\nset key top left horizontal\n"
       << "set multiplot layout 2,1 title 'lmzip-bench: raw compression rate, lower is better'\n"
       << "set title 'chunk size ∞ (whole data set)'\n"
       << "plot for [i=2:" << columns << "] " << chart_quote(unchunked.string())
       << " using i:xtic(1) title columnheader(i)\n"
       << "set title 'chunk size 2048 (one header for the data set, as the paper)'\n"
       << "plot for [i=2:" << columns << "] " << chart_quote(chunked.string())
       << " using i:xtic(1) title columnheader(i)\n"
       << "unset multiplot\n";
  }
  const std::string cmd = "gnuplot " + chart_quote(script.string()) + " 2>&1";
  FILE* p = ::popen(cmd.c_str(), "r");
  std::string out;
  if (p != nullptr) {
    char buf[512];
    while (std::fgets(buf, sizeof buf, p) != nullptr) out += buf;
  }
  const int rc = p == nullptr ? -1 : ::pclose(p);
  fs::remove_all(dir, ec);
  if (rc != 0) return Status(ErrorCode::io, "gnuplot failed: " + out);
  return {};
}

}  // namespace lmzip::harness
