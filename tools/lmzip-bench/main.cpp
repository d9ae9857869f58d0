// lmzip-bench: the paper's Table 1 on any files — classical codecs through
// their libraries and lmzip's models, chunked and whole, raw and adjusted.
#include <CLI/CLI.hpp>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "baseline.h"
#include "baseline_lmzip.h"
#include "environment.h"
#include "status_line.h"
#include "bench_run.h"
#include "dataset.h"
#include "lmzip/codec.h"
#include "lmzip/printable.h"
#include "report.h"

namespace {

using namespace lmzip::harness;

std::string bench_now_utc() {
  std::time_t t = std::time(nullptr);
  char buf[64];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M UTC", std::gmtime(&t));
  return buf;
}

// CPU model, cores and load: throughput numbers mean little without them.
std::string bench_machine() {
  std::ifstream f("/proc/cpuinfo");
  std::string line, model = "an unknown CPU";
  int cores = 0;
  while (std::getline(f, line)) {
    if (line.rfind("processor", 0) == 0) ++cores;
    if (line.rfind("model name", 0) == 0 && line.find(':') != std::string::npos)
      model = line.substr(line.find(':') + 2);
  }
  std::string load;
  std::ifstream("/proc/loadavg") >> load;
  return model + " (" + std::to_string(cores) + " logical CPUs, load average " + (load.empty() ? "?" : load) +
         " at the start)";
}

std::string bench_lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// --codecs gzip,flac keeps the compressors whose name contains one of the words.
bool bench_codec_selected(const std::string& name, const std::vector<std::string>& wanted) {
  if (wanted.empty()) return true;
  const std::string n = bench_lower(name);
  return std::any_of(wanted.begin(), wanted.end(),
                     [&](const std::string& w) { return n.find(bench_lower(w)) != std::string::npos; });
}

bool bench_write(const std::string& path, const std::string& text) {
  std::error_code ec;
  const std::filesystem::path parent = std::filesystem::path(path).parent_path();
  if (!parent.empty()) std::filesystem::create_directories(parent, ec);
  std::ofstream f(path, std::ios::binary);
  f << text;
  return static_cast<bool>(f);
}

std::string bench_sibling(const std::string& path, const std::string& ext) {
  return std::filesystem::path(path).replace_extension(ext).string();
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"lmzip-bench: the Table 1 of \"Language Modeling Is Compression\" on your files.\n"
               "Every PATH (file or directory) is sorted into data sets by modality (extension, then signature):\n"
               "text, image (the paper's gray 32x64 patches, and RGB patches) and audio (the paper's 8-bit form\n"
               "and 16-bit).\n"
               "Each compressor runs on each data set whole and in 2048-byte chunks; every result is decoded\n"
               "and compared before it counts."};
  app.set_version_flag("-V,--version", std::string("lmzip-bench ") + lmzip::version_string());
  std::vector<std::string> paths, as_names, models, codec_words;
  std::string report_path, csv_path, json_path, chart_path, command_text, mode = "both";
  uint64_t limit_bytes = 0, model_limit_bytes = 0;
  unsigned threads = 1;
  bool no_order2 = false, quiet = false;
  app.add_option("PATH", paths, "files or directories to measure")->required();
  app.add_option("--as", as_names, "treat every input as: text, image, image-rgb, audio8, audio16 (repeatable)")
      ->check(CLI::IsMember({"text", "image", "image-rgb", "audio8", "audio16"}))
      ->allow_extra_args(false);
  // allow_extra_args(false): one value per occurrence, so "--model m.gguf PATH" leaves PATH alone.
  app.add_option("--model", models, "also measure lmzip with this model: a built-in name or a .gguf file (repeatable)")
      ->allow_extra_args(false);
  app.add_flag("--no-order2", no_order2, "leave out lmzip's built-in order2 model");
  bool adaptive = false;
  app.add_flag("--adaptive", adaptive,
               "also measure lmzip as shipped: each model through the adaptive stage, next to the model alone "
               "on its chunks (the paper's protocol); order2: the fast stage alone, as lmzip -0");
  app.add_option("--codecs", codec_words, "only compressors whose name contains one of these words (comma list)")
      ->delimiter(',')
      ->allow_extra_args(false);
  app.add_option("--mode", mode, "chunked, unchunked or both")->check(CLI::IsMember({"chunked", "unchunked", "both"}));
  app.add_option("--limit-bytes", limit_bytes,
                 "measure every compressor on at most N bytes of each data set (evenly spaced whole chunks)");
  app.add_option("--model-limit-bytes", model_limit_bytes,
                 "measure models with parameters (GGUF) on at most N bytes of each data set; rows say so");
  app.add_option("-T,--threads", threads, "lmzip worker threads (classical codecs always use one)")
      ->check(CLI::Range(1u, 256u));
  app.add_option("--report", report_path,
                 "write Markdown here, with CSV, JSON and an SVG chart beside it (same name, .csv/.json/.svg)");
  app.add_option("--csv", csv_path, "write CSV here");
  app.add_option("--json", json_path, "write JSON here");
  app.add_option("--chart", chart_path, "write the SVG chart here (needs gnuplot)");
  app.add_option("--command", command_text, "the command to print above the table (default: this command line)");
  std::vector<std::string> extra_notes;
  app.add_option("--note", extra_notes, "a line to add to the report's notes (repeatable)")->allow_extra_args(false);
  app.add_flag("-q,--quiet", quiet, "no progress line");
  CLI11_PARSE(app, argc, argv);

  if (command_text.empty()) {
    command_text = "lmzip-bench";
    for (int i = 1; i < argc; ++i) command_text += std::string(" ") + argv[i];
  }
  std::vector<DataKind> kinds;
  for (const auto& a : as_names) kinds.push_back(*data_kind_parse(a));

  Report report;
  report.command = command_text;
  report.generated = bench_now_utc();
  report.machine = bench_machine();

  report.notes = extra_notes;
  std::vector<std::string> warnings;
  std::vector<DataSet> datasets = dataset_load(paths, kinds, &warnings);
  for (const auto& w : warnings) {
    std::cerr << "lmzip-bench: " << lmzip::printable(w) << "\n";
    report.notes.push_back(w);
  }
  if (datasets.empty()) {
    std::cerr << "lmzip-bench: no usable data in the paths given\n";
    return 1;
  }
  if (limit_bytes != 0) {
    for (DataSet& d : datasets) d = dataset_sample(d, limit_bytes);
    report.notes.push_back("Every compressor measured on at most " + std::to_string(limit_bytes) +
                           " bytes of each data set (--limit-bytes), as evenly spaced whole chunks; cells marked †.");
  }

  std::vector<std::unique_ptr<Baseline>> codecs;
  for (auto& c : baseline_classical_all())
    if (bench_codec_selected(c->name(), codec_words)) codecs.push_back(std::move(c));
  lmzip::cli::kernels_from_environment();
  const lmzip::EngineOptions engine = lmzip::cli::engine_options_from_environment();
  std::vector<std::string> model_names;
  if (!no_order2) model_names.push_back("order2");
  model_names.insert(model_names.end(), models.begin(), models.end());
  std::vector<std::pair<std::string, bool>> runs;  // (model, through the adaptive stage)
  for (const std::string& n : model_names) {
    runs.emplace_back(n, false);
    if (adaptive) runs.emplace_back(n, true);
  }
  for (const auto& [name, through_stage] : runs) {
    auto b = baseline_lmzip(name, threads, lmzip::cli::model_dirs_from_environment(), engine, through_stage);
    if (!b) {
      std::cerr << "lmzip-bench: model " << lmzip::printable(name) << ": " << lmzip::printable(b.status().message())
                << "\n";
      return 1;
    }
    if ((*b)->parameters() > 0 && model_limit_bytes != 0)
      report.notes.push_back((*b)->name() + " (" + std::to_string((*b)->parameters()) +
                             " parameters) measured on at most " + std::to_string(model_limit_bytes) +
                             " bytes of each data set (--model-limit-bytes), as evenly spaced whole chunks; cells "
                             "marked †.");
    // Models named with --model are always measured; --codecs filters the rest.
    const bool named = std::find(models.begin(), models.end(), name) != models.end();
    if (named || bench_codec_selected((*b)->name(), codec_words)) codecs.push_back(std::move(*b));
  }
  report.notes.push_back(
      "lmzip rows (lmzip " + std::string(lmzip::version_string()) + ", " + std::to_string(threads) +
      " thread(s)): unchunked, one .lmz frame at the model's own chunk size (order2: 1 MiB); chunked, .lmz frames "
      "with 2048-byte chunks (a frame ends only after a short chunk, i.e. at the end of a text file), every chunk modelled from a "
      "fresh context, as `lmzip --chunk-size 2048` stores them. The per-chunk (honest) size adds, for every chunk "
      "that shared a frame, the measured cost of one more frame: size(A) + size(B) − size(A and B in one frame).");
  report.notes.push_back(
      "PNG (paper's layout) reshapes every input to the two closest factors, width the smaller (2048 B → 32 × 64 "
      "px), as the paper's png.py; PNG (64-px rows), JPEG-XL and WebP keep image data 64 pixels wide, so a patch "
      "is its own 64 × 32 picture and a whole data set a 64-px-wide strip of patches.");
  report.notes.push_back(
      "FLAC: libFLAC level 8, mono, 16 kHz; 8-bit samples (byte − 128) except audio16, coded as 16-bit samples. "
      "LZMA2: liblzma .xz with CRC64 (Python's lzma.compress, the paper's); the dictionary is capped at the input "
      "size (at least 4 KiB) so that each 2 KB chunk does not set up a 64 MiB match finder: on 400 enwik6 chunks "
      "that left the total size unchanged at presets 6 and 9e.");

  BenchOptions options;
  options.chunked = mode != "unchunked";
  options.unchunked = mode != "chunked";
  options.model_limit_bytes = model_limit_bytes;
  lmzip::cli::StatusLine status("[lmzip-bench] ", !quiet);
  auto step_start = std::chrono::steady_clock::now();
  std::string step;
  options.on_progress = [&](const std::string& what, uint64_t done, uint64_t total) {
    const auto now = std::chrono::steady_clock::now();
    if (what != step) step = what, step_start = now;
    const double pct = total ? 100.0 * double(done) / double(total) : 100.0;
    char line[64];
    // Each stream is encoded then decoded: the first half of `total` is encoding.
    std::snprintf(line, sizeof line, ": %s %5.1f%%, %.0f s", done * 2 <= total ? "encoding" : "decoding", pct,
                  std::chrono::duration<double>(now - step_start).count());
    status.show(what + line, done == 0);
  };
  options.on_result = [&](const std::string& result) { status.finish(result); };

  if (!report_path.empty()) {
    if (csv_path.empty()) csv_path = bench_sibling(report_path, ".csv");
    if (json_path.empty()) json_path = bench_sibling(report_path, ".json");
    if (chart_path.empty()) chart_path = bench_sibling(report_path, ".svg");
  }
  if (!chart_path.empty()) report.chart_file = std::filesystem::path(chart_path).filename().string();

  bench_run(codecs, datasets, options, &report);

  bool ok = true;
  if (!chart_path.empty()) {
    std::error_code ec;
    const std::filesystem::path parent = std::filesystem::path(chart_path).parent_path();
    if (!parent.empty()) std::filesystem::create_directories(parent, ec);
    lmzip::Status st = report_chart_svg(report, chart_path);
    if (!st) {
      std::cerr << "lmzip-bench: chart: " << lmzip::printable(st.message()) << "\n";
      report.chart_file.clear();
    }
  }
  const std::string markdown = report_markdown(report);
  if (report_path.empty()) {
    std::cout << markdown;
  } else {
    ok &= bench_write(report_path, markdown);
  }
  if (!csv_path.empty()) ok &= bench_write(csv_path, report_csv(report));
  if (!json_path.empty()) ok &= bench_write(json_path, report_json(report));
  if (!ok) {
    std::cerr << "lmzip-bench: cannot write the report files\n";
    return 1;
  }
  for (const Measurement& m : report.measurements)
    if (!m.verified && m.error.find("decoded bytes differ") != std::string::npos) return 2;  // a lossless failure
  return 0;
}
