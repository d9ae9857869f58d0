// The raw rates as a grouped bar chart (SVG), drawn by gnuplot: one panel per
// chunk mode, one group of bars per compressor, one bar per data set.
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <vector>

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
  // One panel per chunk mode that was measured (--mode chunked has no whole-set rows).
  struct Panel {
    ChunkMode mode;
    const char* title;
  };
  std::vector<Panel> panels;
  for (const Panel& p : {Panel{ChunkMode::unchunked, "chunk size ∞ (whole data set)"},
                         Panel{ChunkMode::chunked, "chunk size 2048 (one header for the data set, as the paper)"}})
    for (const Measurement& m : r.measurements)
      if (m.mode == p.mode && m.ok()) {
        panels.push_back(p);
        break;
      }
  if (panels.empty()) return Status(ErrorCode::invalid_argument, "no measurement to chart");
  const fs::path script = dir / "chart.gp";
  const size_t columns = r.datasets.size() + 1;
  {
    std::ofstream gp(script);
    gp << "set terminal svg size 1200," << 450 * panels.size() << " dynamic enhanced font 'sans,11'\n"
       << "set output " << chart_quote(svg_path) << "\n"
       << "set datafile missing '-'\n"
       << "set style data histograms\nset style histogram clustered gap 1\nset style fill solid 0.85 border -1\n"
       << "set boxwidth 0.9\nset grid ytics\nset yrange [0:*]\nset ylabel 'raw compression rate (%)'\n"
       << "set xtics rotate by 30 right nomirror\nset key top left horizontal\n"
       << "set multiplot layout " << panels.size() << ",1 title 'lmzip-bench: raw compression rate, lower is better'\n";
    for (const Panel& p : panels) {
      const fs::path data = dir / (p.mode == ChunkMode::chunked ? "chunked.dat" : "unchunked.dat");
      std::ofstream(data) << chart_table(r, p.mode);
      gp << "set title '" << p.title << "'\n"
         << "plot for [i=2:" << columns << "] " << chart_quote(data.string()) << " using i:xtic(1) title columnheader(i)\n";
    }
    gp << "unset multiplot\n";
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
