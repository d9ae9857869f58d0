// The lmzip program's parts. Everything here uses only the public API.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "lmzip/codec.h"
#include "lmzip/engine.h"
#include "lmzip/model.h"

namespace lmzip::cli {

enum class Mode { compress, decompress, test, list };

struct Options {
  Mode mode = Mode::compress;
  bool to_stdout = false;
  bool keep = false;
  bool remove = false;          // --rm: remove the input after success, even with -o
  bool force = false;
  bool verbose = false;
  bool quiet = false;
  std::string output;           // -o
  std::string model = "";       // --model: name or file; empty = default
  std::shared_ptr<const Model> loaded;  // the model to compress with, or --model's
  ModelDirs model_dirs;          // where installed models are found by name
  // The shipped image / audio models found, opened on first call.
  std::function<std::vector<std::shared_ptr<const Model>>()> media_open;
  bool layouts = true;          // --no-layout turns detection off
  bool pixels = false;          // --pixels: a PNG's pixels, not the file
  bool adaptive = true;         // the adaptive stage (--no-adaptive: the model alone)
  bool adaptive_network = true; // the model is the stage's network (not at -0: the stage alone)
  bool smallest = false;  // -3: the smallest output, whatever the decoding speed (one lane per block, audio through the stage)
  unsigned threads = 0;         // 0 = all cores
  uint32_t chunk_size = 0;      // 0 = the model's default
  EngineOptions engine;         // from the environment (engine_options_from_environment)
};

// How a file went, as gzip counts it: an error makes the exit status 1; a
// warning (a file skipped: a directory, a symlink, a wrong suffix) 2 when
// there was no error.
enum class Outcome { ok, warning, error };

// A line of `lmzip -l`.
struct ListRow {
  uint64_t compressed = 0, original = 0, chunks = 0, stored = 0;
  std::string models, layout, name;
};

// Processes one input ("-" is stdin); -l adds its row to *rows. Prints its own errors and warnings.
Outcome file_process(const std::string& input, const Options& options, std::vector<ListRow>* rows);

// The -l table, its columns as wide as their widest cell, and a totals row
// for more than one file.
void list_print(const std::vector<ListRow>& rows);

// Progress line on stderr, drawn only when stderr is a terminal: at each
// update, and redrawn every second between them (a chunk may take long).
class Progress {
 public:
  Progress(bool enabled, std::string label, uint64_t total_bytes);
  ~Progress();
  void update(uint64_t bytes_in, uint64_t bytes_out);

 private:
  struct Ticker;
  void draw(bool force);

  uint64_t total_;
  double start_;
  std::unique_ptr<Ticker> ticker_;
};

// Removes the temporary output if the process is interrupted.
void signals_install();
void temp_file_register(const std::string& path);  // empty: none

}  // namespace lmzip::cli

// `lmzip model ...` (tools/lmzip/model_command.cpp); argv[0] is "model".
int model_command(int argc, char** argv);
// `lmzip eval` and `lmzip sample` (eval_command.cpp).
int eval_command(int argc, char** argv);
int sample_command(int argc, char** argv);
