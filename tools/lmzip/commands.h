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

// Processes one input ("-" is stdin). Prints its own error; returns false on failure.
bool file_process(const std::string& input, const Options& options);

// Prints the -l table header, then one line per file via file_process().
void list_header_print();

// Progress line on stderr, drawn only when stderr is a terminal.
class Progress {
 public:
  Progress(bool enabled, std::string label, uint64_t total_bytes);
  ~Progress();
  void update(uint64_t bytes_in, uint64_t bytes_out);

 private:
  bool enabled_;
  std::string label_;
  uint64_t total_;
  double start_, last_ = 0;
  bool drawn_ = false;
};

// Removes the temporary output if the process is interrupted.
void signals_install();
void temp_file_register(const std::string& path);  // empty: none

}  // namespace lmzip::cli

// `lmzip model ...` (tools/lmzip/model_command.cpp); argv[0] is "model".
int model_command(int argc, char** argv);
