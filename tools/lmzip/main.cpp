// lmzip: a lossless compressor driven by a predictive model. Command line in
// the manner of gzip / zstd / xz; all work is done through the public API.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <cstring>

#include "commands.h"

namespace {

std::string models_help() {
  std::string s;
  for (const auto& n : lmzip::model_builtin_names()) s += (s.empty() ? "" : ", ") + n;
  return s;
}

}  // namespace

int main(int argc, char** argv) {
  using lmzip::cli::Mode;
  if (argc >= 2 && std::strcmp(argv[1], "model") == 0) return model_command(argc - 1, argv + 1);

  lmzip::cli::Options o;
  std::vector<std::string> files;
  bool decompress = false, test = false, list = false, version = false;
  CLI::App app{
      "lmzip: lossless compression with a predictive model driving an arithmetic coder.\n"
      "With no FILE, or when FILE is -, reads standard input and writes standard output.\n"
      "FILE is replaced by FILE.lmz (and back with -d) unless -k or -c is given."};
  app.name("lmzip");
  app.add_flag("-d,--decompress", decompress, "decompress");
  bool compress_flag = false;
  app.add_flag("-z,--compress", compress_flag, "compress (the default)");
  app.add_flag("-c,--stdout", o.to_stdout, "write to standard output, keep input files");
  app.add_flag("-k,--keep", o.keep, "keep (don't delete) input files");
  app.add_flag("-f,--force", o.force, "overwrite existing outputs; read/write terminals");
  app.add_option("-o,--output", o.output, "write the result to this file (one input only)");
  app.add_flag("-t,--test", test, "test the integrity of compressed files");
  app.add_flag("-l,--list", list, "list sizes, ratio, model and chunk count of compressed files");
  app.add_option("-T,--threads", o.threads, "worker threads (0 = all cores, the default)");
  app.add_option("-m,--model", o.model,
                 "model name or .gguf file (default: " + lmzip::model_builtin_names().front() +
                     "; built-in: " + models_help() + "). When decompressing, the file's model "
                     "is found by name unless this names one.");
  app.add_option("--chunk-size", o.chunk_size,
                 "bytes per independently coded chunk (default: the model's)")
      ->check(CLI::Range(1u, lmzip::kMaxChunkSize));
  app.add_flag("-v,--verbose", o.verbose, "report ratio and speed per file");
  app.add_flag("-q,--quiet", o.quiet, "no warnings, no progress line");
  app.add_flag("-V,--version", version, "print the version and exit");
  app.add_option("FILE", files, "files to process");
  app.footer("Also: lmzip model info FILE   (describe a model file)\n"
             "Exit status: 0 on success, 1 if any file failed.");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  if (version) {
    std::printf("lmzip %s\n", lmzip::version_string());
    return 0;
  }
  if (decompress + test + list > 1) {
    std::fprintf(stderr, "lmzip: choose only one of -d, -t, -l\n");
    return 1;
  }
  o.mode = list ? Mode::list : test ? Mode::test : decompress ? Mode::decompress : Mode::compress;
  if (files.empty()) files.push_back("-");
  if (!o.output.empty() && files.size() > 1) {
    std::fprintf(stderr, "lmzip: -o takes one input file\n");
    return 1;
  }
  if (!o.output.empty() && o.to_stdout) {
    std::fprintf(stderr, "lmzip: -o and -c cannot be combined\n");
    return 1;
  }
  lmzip::cli::signals_install();
  if (o.mode == Mode::list) lmzip::cli::list_header_print();
  bool ok = true;
  for (const auto& f : files) ok &= lmzip::cli::file_process(f, o);
  return ok ? 0 : 1;
}
