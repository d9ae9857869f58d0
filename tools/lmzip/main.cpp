// lmzip: a lossless compressor driven by a predictive model. Command line in
// the manner of gzip / zstd / xz; all work is done through the public API.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <cstring>
#include <memory>
#include <optional>
#include <vector>

#include "commands.h"
#include "environment.h"
#include "lmzip/printable.h"

namespace {

std::string level_help(int level) {
  if (level == 0)
    return "compress with the adaptive stage alone: the fastest level, no model file (with --no-adaptive: " +
           lmzip::model_level_name(0) + ", built in)";
  std::string s = "compress with " + lmzip::model_level_name(level) + " and the adaptive stage";
  if (level == 1) s += " (the fastest transformer)";
  if (level == lmzip::kModelLevelMax)
    s += " (the smallest output, audio samples through the stage too; the network then decodes one byte at a time: a few kB/s)";
  if (level == lmzip::kModelLevelDefault) s += " (the default)";
  return s;
}

// The model to compress with (or, if named, to decompress with), opened once
// for all files. Null with a message printed on failure.
std::shared_ptr<const lmzip::Model> model_choose(const std::string& named, int level, bool compress,
                                                 bool quiet, const lmzip::ModelDirs& dirs) {
  if (named.empty() && !compress) return nullptr;  // each file names its own
  const bool fallback = named.empty() && level < 0;
  const std::string name =
      !named.empty() ? named : lmzip::model_level_name(level >= 0 ? level : lmzip::kModelLevelDefault);
  auto m = lmzip::model_open(name, dirs);
  if (!m && fallback) {
    if (!quiet)
      std::fprintf(stderr, "lmzip: warning: the default model is unusable (%s); compressing with %s\n",
                   lmzip::printable(m.status().message()).c_str(), lmzip::model_level_name(0).c_str());
    m = lmzip::model_open(lmzip::model_level_name(0), dirs);
  }
  if (!m) {
    std::fprintf(stderr, "lmzip: %s\n", lmzip::printable(m.status().message()).c_str());
    return nullptr;
  }
  return *m;
}

// Takes the level options (-N: digits only) out of argv, as gzip, xz and zstd
// read them, so that CLI11 never takes one for a file name. Returns the last
// level given (-1: none), or -2 after printing a usage error for a level out
// of range. Stops at "--", after which everything is a file.
int levels_take(std::vector<char*>& args) {
  int level = -1;
  std::vector<char*> kept;
  bool files_only = false;
  for (char* a : args) {
    const std::string s = a;
    if (!files_only && s == "--") files_only = true;
    const bool digits = s.size() >= 2 && s[0] == '-' && s.find_first_not_of("0123456789", 1) == std::string::npos;
    if (files_only || !digits) {
      kept.push_back(a);
      continue;
    }
    const long n = s.size() > 4 ? 1000 : std::stol(s.substr(1));
    if (n > lmzip::kModelLevelMax) {
      std::fprintf(stderr, "lmzip: invalid level %s: levels are -0 to -%d (--fast, --best)\n", s.c_str(),
                   lmzip::kModelLevelMax);
      return -2;
    }
    level = int(n);
  }
  args = std::move(kept);
  return level;
}

// Every file under a directory (-r), in name order; symlinks are left to
// file_process, which skips them without -f.
void directory_expand(const std::string& dir, std::vector<std::string>& out) {
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(dir, ec)) names.push_back(e.path().string());
  if (ec) {
    out.push_back(dir);  // file_process reports it
    return;
  }
  std::sort(names.begin(), names.end());
  for (const auto& n : names) {
    if (std::filesystem::is_directory(std::filesystem::symlink_status(n, ec))) directory_expand(n, out);
    else out.push_back(n);
  }
}

}  // namespace

int main(int argc, char** argv) {
  using lmzip::cli::Mode;
  lmzip::cli::kernels_from_environment();
  if (argc >= 2 && std::strcmp(argv[1], "model") == 0) return model_command(argc - 1, argv + 1);
  if (argc >= 2 && std::strcmp(argv[1], "eval") == 0) return eval_command(argc - 1, argv + 1);
  if (argc >= 2 && std::strcmp(argv[1], "sample") == 0) return sample_command(argc - 1, argv + 1);

  lmzip::cli::Options o;
  o.engine = lmzip::cli::engine_options_from_environment();
  std::vector<std::string> files;
  bool decompress = false, test = false, list = false, version = false, recursive = false;
  std::vector<char*> args(argv, argv + argc);
  int level = levels_take(args);
  if (level == -2) return 1;
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
  app.add_flag("--rm", o.remove, "remove input files after success, also with -o (not with -c)");
  app.add_flag("-r,--recursive", recursive, "go into directories: every file in them, at any depth");
  app.add_flag("-f,--force", o.force, "overwrite existing outputs; read/write terminals");
  app.add_option("-o,--output", o.output, "write the result to this file (one input only)");
  app.add_flag("-t,--test", test, "test the integrity of compressed files");
  app.add_flag("-l,--list", list, "list sizes, ratio, model and chunk count of compressed files");
  app.add_option("-T,--threads", o.threads, "worker threads (0 = all cores, the default)");
  // The levels are taken out of argv before parsing (levels_take); listed here for --help.
  for (int i = 0; i <= lmzip::kModelLevelMax; ++i)
    app.add_flag_callback("-" + std::to_string(i), [&level, i] { level = i; }, level_help(i));
  app.add_flag_callback("--fast", [&level] { level = 0; }, "the fastest level, -0");
  app.add_flag_callback("--best", [&level] { level = lmzip::kModelLevelMax; },
                        "the smallest output, -" + std::to_string(lmzip::kModelLevelMax));
  app.add_option("-m,--model", o.model,
                 "model name or .gguf file, instead of a level. When decompressing, the file's "
                 "model is found by name (in the installed models, PREFIX/share/lmzip/models, then "
                 "$LMZIP_MODEL_PATH, then the source tree's models/) unless this names one.");
  app.add_option("--chunk-size", o.chunk_size,
                 "bytes per independently coded chunk (default: 1 MiB, 512 KiB at -0; with --no-adaptive the model's context length, "
                 "for a pretrained LLM two bytes per position of its context, 256 .. 8192)")
      ->check(CLI::Range(1u, lmzip::kMaxChunkSize));
  app.add_flag("--adaptive,!--no-adaptive", o.adaptive,
               "--adaptive (the default): plain bytes go through the adaptive stage, which learns each file "
               "while coding it, with the level's model as one of its inputs (a pretrained LLM's tokens read byte by byte). "
               "--no-adaptive: the model alone on chunks of its context length, "
               "the protocol of 'Language Modeling Is Compression'");
  bool no_layout = false;
  app.add_flag("--no-layout", no_layout,
               "compress every file as plain bytes: no WAV / PGM / PPM / BMP detection, no image or audio model");
  app.add_flag("--pixels", o.pixels,
               "PNG files: store the pixels, not the file. Decompression then writes a PNG with exactly "
               "these pixels but NOT the original file (other compression, no metadata chunks). Only "
               "8-bit gray, 8-bit RGB and palette PNGs without transparency (others are refused), and only "
               "with an image model installed (else the file is compressed byte-exact). Without "
               "--pixels a PNG is compressed byte-exact like any file.");
  app.add_flag("-v,--verbose", o.verbose, "report ratio and speed per file, and the layout and models used");
  app.add_flag("-q,--quiet", o.quiet, "no warnings, no progress line");
  app.add_flag("-V,--version", version, "print the version and exit");
  app.add_option("FILE", files, "files to process");
  app.footer("File types: WAV (8/16-bit PCM), binary PGM / PPM and BMP (8-bit) files are recognised and their\n"
             "samples coded with an installed image or audio model (lmzip-image-gray, lmzip-image-rgb,\n"
             "lmzip-audio8, lmzip-audio16), headers and padding with the chosen model; they still\n"
             "decompress byte for byte. Other files, or without such a model, are plain bytes.\n"
             "Also: lmzip model info FILE   (describe a model file)\n"
             "      lmzip model convert MODEL.bin TOKENIZER.bin -o OUT.gguf   (a llama2.c checkpoint to GGUF)\n"
             "      lmzip eval [-m MODEL] FILE...   (bits per byte: the paper's protocol and through the codec)\n"
             "      lmzip sample [-m MODEL] [--prompt FILE] [-n BYTES] [--seed S]   (draw bytes from a model)\n"
             "Exit status: 0 on success, 1 if any file failed or on a usage error, 2 if files were only\n"
             "skipped with a warning (a directory without -r, a symbolic link or a special file without -f,\n"
             "a wrong suffix).");
  try {
    app.parse(int(args.size()), args.data());
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::fprintf(stderr, "lmzip: %s\nTry 'lmzip --help' for more information.\n", e.what());
    return 1;
  }
  if (version) {
    std::printf("lmzip %s\n", lmzip::version_string());
    return 0;
  }
  if (decompress + test + list > 1) {
    std::fprintf(stderr, "lmzip: choose only one of -d, -t, -l\nTry 'lmzip --help' for more information.\n");
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
  if (level >= 0 && !o.model.empty()) {
    std::fprintf(stderr, "lmzip: give a level (-%d) or a model (-m), not both\n", level);
    return 1;
  }
  o.model_dirs = lmzip::cli::model_dirs_from_environment();
  if (o.mode == Mode::compress || !o.model.empty()) {
    o.loaded = model_choose(o.model, level, o.mode == Mode::compress, o.quiet, o.model_dirs);
    if (!o.loaded) return 1;
  }
  o.layouts = !no_layout;
  o.adaptive_network = !(level == 0 || (o.loaded && o.loaded->name() == lmzip::model_level_name(0)));
  o.smallest = level == lmzip::kModelLevelMax;
  if (o.mode == Mode::compress && o.layouts) {
    // The shipped media models, where installed (missing ones are skipped),
    // opened for the first input that looks like an image or a WAV file.
    auto opened = std::make_shared<std::optional<std::vector<std::shared_ptr<const lmzip::Model>>>>();
    o.media_open = [opened, dirs = o.model_dirs] {
      if (!*opened) {
        opened->emplace();
        for (const char* name : {"lmzip-image-gray", "lmzip-image-rgb", "lmzip-audio8", "lmzip-audio16"}) {
          auto m = lmzip::model_open(name, dirs);
          if (m && (*m)->info().data.kind != lmzip::Media::bytes) (*opened)->push_back(*m);
        }
      }
      return **opened;
    };
  }
  if (recursive) {
    std::vector<std::string> expanded;
    std::error_code ec;
    for (const auto& f : files) {
      if (f != "-" && std::filesystem::is_directory(std::filesystem::symlink_status(f, ec))) {
        std::vector<std::string> inside;
        directory_expand(f, inside);
        // Compressing takes what is not compressed yet, decompressing what is.
        for (auto& n : inside)
          if (o.mode == Mode::compress ? !n.ends_with(".lmz") : n.ends_with(".lmz")) expanded.push_back(std::move(n));
      } else {
        expanded.push_back(f);
      }
    }
    files = std::move(expanded);
  }
  lmzip::cli::signals_install();
  std::vector<lmzip::cli::ListRow> rows;
  bool error = false, warning = false;
  for (const auto& f : files) {
    const auto outcome = lmzip::cli::file_process(f, o, &rows);
    error |= outcome == lmzip::cli::Outcome::error;
    warning |= outcome == lmzip::cli::Outcome::warning;
  }
  if (o.mode == Mode::list && !rows.empty()) lmzip::cli::list_print(rows);
  return error ? 1 : warning ? 2 : 0;
}
