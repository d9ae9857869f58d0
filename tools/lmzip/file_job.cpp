// One input file through compress / decompress / test / list, with gzip's
// rules: output to FILE.lmz (or FILE without .lmz) with the input's mode,
// owner and times, never overwrite without -f, write to a temporary file
// renamed only on success, remove the input only after that succeeded and
// only without -k / -c / -o (or with --rm); skip symlinks, directories and
// special files with a warning unless -f.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <memory>
#include <thread>

#include "commands.h"
#include "lmzip/printable.h"

namespace lmzip::cli {
namespace {

constexpr const char* kSuffix = ".lmz";

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

bool ends_with_png(const std::string& s) {
  if (s.size() < 4) return false;
  std::string ext = s.substr(s.size() - 4);
  for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return ext == ".png";
}

void error_print(const std::string& name, const std::string& message) {
  std::fprintf(stderr, "lmzip: %s: %s\n", printable(name).c_str(), printable(message).c_str());
}

class NullSink final : public ByteSink {
 public:
  Status write(std::span<const uint8_t>) override { return {}; }
};

struct FileCloser {
  void operator()(std::FILE* f) const { if (f) std::fclose(f); }
};
using FilePtr = std::unique_ptr<std::FILE, FileCloser>;

unsigned threads_effective(const Options& o) {
  if (o.threads) return o.threads;
  return std::max(1u, std::thread::hardware_concurrency());
}

// Runs the selected operation from `in` to `out`.
constexpr uint32_t kFastChunkBytes = 512u << 10;

Status run(const Options& o, ByteSource& in, ByteSink& out, uint64_t size_hint,
           const std::string& label, CompressStats* stats) {
  Progress progress(!o.quiet, label, size_hint);
  auto on_progress = [&](uint64_t a, uint64_t b) { progress.update(a, b); };
  if (o.mode == Mode::compress) {
    CompressOptions co;
    co.model = o.loaded;
    co.media_models_open = o.media_open;
    co.layouts = o.layouts;
    co.png_pixels = o.pixels;
    co.threads = threads_effective(o);
    co.chunk_size = o.chunk_size;
    co.adaptive = o.adaptive;
    co.adaptive_network = o.adaptive_network;
    if (o.adaptive && !o.adaptive_network) {
      // -0, the fast mode: the fast stage, and chunks of 512 KiB so that a
      // file of 1 MB keeps two cores busy (a chunk is coded on one core).
      co.adaptive_stage = lmzip::kAdaptiveStageFast;
      if (o.chunk_size == 0) co.chunk_size = kFastChunkBytes;
    }
    // -3: the smallest output. Lanes let the decoder step the network over many
    // segments at once but cost a few percent of output (docs/ARCHITECTURE.md);
    // the stage takes about 1% off audio but decodes it a byte at a time.
    if (o.smallest) {
      co.adaptive_lane_log2 = 0;
      co.adaptive_samples = true;
    }
    co.progress = on_progress;
    return compress(in, out, co, stats);
  }
  DecompressOptions dopt;
  dopt.threads = threads_effective(o);
  dopt.engine = o.engine;
  dopt.progress = on_progress;
  if (o.loaded) {
    // --model names the model of the frames' byte chunks; the other models of
    // a frame's table (image, audio) are found as usual.
    auto fixed = model_resolver_fixed(o.loaded);
    dopt.resolve = [fixed, installed = model_resolver_installed(o.model_dirs), loaded = o.loaded](
                       const std::string& name, const IdentityPrefix& id) -> Result<std::shared_ptr<const Model>> {
      if (name == loaded->name() || id.matches(loaded->identity())) return fixed(name, id);
      return installed(name, id);
    };
  } else {
    dopt.resolve = model_resolver_installed(o.model_dirs);
  }
  return decompress(in, out, dopt, stats);
}

std::string ratio_text(uint64_t original, uint64_t compressed) {
  char buf[64];
  if (original == 0) return "n/a";
  std::snprintf(buf, sizeof buf, "%.2f%%", 100.0 * static_cast<double>(compressed) / static_cast<double>(original));
  return buf;
}

Outcome list_one(const std::string& name, std::FILE* f, std::vector<ListRow>* rows) {
  FileSource src(f, name);
  auto frames = frame_list(src);
  if (!frames) {
    error_print(name, frames.status().message());
    return Outcome::error;
  }
  ListRow row;
  for (const auto& fr : *frames)
    row.original += fr.original_size, row.compressed += fr.compressed_size, row.chunks += fr.chunks,
        row.stored += fr.raw_chunks;
  // The first frame's models (joined by '+') and layout; more frames are summed.
  const auto& fr0 = frames->front();
  for (const auto& m : fr0.models) row.models += (row.models.empty() ? "" : "+") + printable(m.name);
  row.layout = fr0.layout;
  row.name = printable(name);
  rows->push_back(std::move(row));
  return Outcome::ok;
}

}  // namespace

void list_print(const std::vector<ListRow>& rows) {
  std::vector<std::vector<std::string>> cells = {{"compressed", "original", "ratio", "chunks", "stored", "model", "layout", "name"}};
  ListRow total;
  for (const ListRow& r : rows) {
    cells.push_back({std::to_string(r.compressed), std::to_string(r.original), ratio_text(r.original, r.compressed),
                     std::to_string(r.chunks), std::to_string(r.stored), r.models, r.layout, r.name});
    total.compressed += r.compressed, total.original += r.original, total.chunks += r.chunks, total.stored += r.stored;
  }
  if (rows.size() > 1)
    cells.push_back({std::to_string(total.compressed), std::to_string(total.original),
                     ratio_text(total.original, total.compressed), std::to_string(total.chunks),
                     std::to_string(total.stored), "", "", "(totals, " + std::to_string(rows.size()) + " files)"});
  std::vector<size_t> width(cells[0].size(), 0);
  for (const auto& line : cells)
    for (size_t c = 0; c < line.size(); ++c) width[c] = std::max(width[c], line[c].size());
  for (const auto& line : cells) {
    std::string out;
    for (size_t c = 0; c < line.size(); ++c) {
      const bool numeric = c < 5, last = c + 1 == line.size();
      const size_t pad = width[c] - line[c].size();
      if (numeric) out += std::string(pad, ' ') + line[c] + "  ";
      else out += last ? line[c] : line[c] + std::string(pad, ' ') + "  ";
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    std::printf("%s\n", out.c_str());
  }
}

namespace {

// The output takes the input's permission bits, owner (where permitted) and
// times, as gzip's does.
void attributes_copy(int fd, const struct stat& from) {
  // Another user's file: only root may give the output its owner; the group
  // alone may still be allowed. Failing both is not an error.
  if (fchown(fd, from.st_uid, from.st_gid) != 0 && fchown(fd, static_cast<uid_t>(-1), from.st_gid) != 0) errno = 0;
  fchmod(fd, from.st_mode & 07777);  // after fchown, which may clear set-id bits
  const struct timespec times[2] = {from.st_atim, from.st_mtim};
  futimens(fd, times);
}

void warning_print(const Options& o, const std::string& name, const std::string& message) {
  if (!o.quiet) std::fprintf(stderr, "lmzip: %s: %s\n", printable(name).c_str(), printable(message).c_str());
}

}  // namespace

Outcome file_process(const std::string& input, const Options& o, std::vector<ListRow>* rows) {
  const bool from_stdin = input == "-";
  const std::string name = from_stdin ? "(stdin)" : input;

  // Open and check the input. Skipped inputs are warnings, as in gzip.
  FilePtr in_file;
  struct stat in_stat {};
  if (from_stdin) {
    if (o.mode != Mode::compress && isatty(STDIN_FILENO) && !o.force) {
      error_print(name, "compressed data not read from a terminal (use -f to force)");
      return Outcome::error;
    }
    in_file.reset(fdopen(dup(STDIN_FILENO), "rb"));
  } else {
    struct stat link_stat {};
    if (lstat(input.c_str(), &link_stat) != 0 || stat(input.c_str(), &in_stat) != 0) {
      error_print(name, std::strerror(errno));
      return Outcome::error;
    }
    const bool reads_only = o.mode == Mode::test || o.mode == Mode::list || o.to_stdout;
    if (S_ISLNK(link_stat.st_mode) && !o.force && !reads_only) {
      warning_print(o, name, "is a symbolic link -- ignored (use -f to follow it)");
      return Outcome::warning;
    }
    if (S_ISDIR(in_stat.st_mode)) {
      warning_print(o, name, "is a directory -- ignored (use -r to go into it)");
      return Outcome::warning;
    }
    if (!S_ISREG(in_stat.st_mode) && !reads_only && !o.force) {
      warning_print(o, name, "is not a regular file -- ignored (use -f to read it)");
      return Outcome::warning;
    }
    if (o.mode == Mode::decompress && !o.to_stdout && o.output.empty() && !ends_with(input, kSuffix)) {
      warning_print(o, name, "unknown suffix (expected .lmz) -- ignored");
      return Outcome::warning;
    }
    if (o.mode == Mode::compress && !o.to_stdout && o.output.empty() && ends_with(input, kSuffix) && !o.force) {
      warning_print(o, name, "already has .lmz suffix -- unchanged");
      return Outcome::warning;
    }
    in_file.reset(std::fopen(input.c_str(), "rb"));
  }
  if (!in_file) {
    error_print(name, std::strerror(errno));
    return Outcome::error;
  }
  if (o.mode == Mode::list) return list_one(name, in_file.get(), rows);

  FileSource source(in_file.get(), name);
  const uint64_t size_hint = S_ISREG(in_stat.st_mode) ? static_cast<uint64_t>(in_stat.st_size) : 0;
  const auto t0 = std::chrono::steady_clock::now();
  CompressStats stats;

  if (o.mode == Mode::test) {
    NullSink sink;
    Status st = run(o, source, sink, size_hint, name, &stats);
    if (!st) {
      error_print(name, st.message());
      return Outcome::error;
    }
    if (o.verbose) std::fprintf(stderr, "%s: OK\n", printable(name).c_str());
    return Outcome::ok;
  }

  // Choose the output.
  const bool to_stdout = o.to_stdout || (from_stdin && o.output.empty());
  std::string out_path;
  if (!to_stdout) {
    out_path = !o.output.empty() ? o.output
               : o.mode == Mode::compress ? input + kSuffix
                                          : input.substr(0, input.size() - std::strlen(kSuffix));
    // The output may name the input through another spelling, a symlink or a
    // hard link: with -f it would be replaced, then "the input" removed, and
    // nothing would be left. Compare the files themselves, before anything is written.
    struct stat out_stat {}, opened {};
    if (stat(out_path.c_str(), &out_stat) == 0 && fstat(fileno(in_file.get()), &opened) == 0 &&
        out_stat.st_dev == opened.st_dev && out_stat.st_ino == opened.st_ino) {
      error_print(out_path, "is the input file; not overwritten");
      return Outcome::error;
    }
    if (access(out_path.c_str(), F_OK) == 0 && !o.force) {
      error_print(out_path, "already exists; not overwritten (use -f to force)");
      return Outcome::error;
    }
  } else if (o.mode == Mode::compress && isatty(STDOUT_FILENO) && !o.force) {
    error_print(name, "compressed data not written to a terminal (use -f to force)");
    return Outcome::error;
  }

  std::string temp_path;
  FilePtr out_file;
  if (to_stdout) {
    out_file.reset(fdopen(dup(STDOUT_FILENO), "wb"));
  } else {
    temp_path = out_path + ".tmpXXXXXX";
    const int fd = mkstemp(temp_path.data());
    if (fd < 0) {
      error_print(out_path, std::string("cannot create output: ") + std::strerror(errno));
      return Outcome::error;
    }
    temp_file_register(temp_path);
    out_file.reset(fdopen(fd, "wb"));
  }
  if (!out_file) {
    error_print(name, std::strerror(errno));
    return Outcome::error;
  }

  FileSink sink(out_file.get(), to_stdout ? "(stdout)" : out_path);
  Status st = run(o, source, sink, size_hint, name, &stats);
  if (st) st = sink.flush();
  if (st && !to_stdout && fsync(fileno(out_file.get())) != 0)
    st = Status(ErrorCode::io, "cannot write " + out_path + ": " + std::strerror(errno));
  if (st && !to_stdout && S_ISREG(in_stat.st_mode)) attributes_copy(fileno(out_file.get()), in_stat);
  std::FILE* raw_out = out_file.release();
  if (std::fclose(raw_out) != 0 && st)
    st = Status(ErrorCode::io, "cannot write " + (to_stdout ? std::string("(stdout)") : out_path) + ": " + std::strerror(errno));
  if (st && !to_stdout && std::rename(temp_path.c_str(), out_path.c_str()) != 0)
    st = Status(ErrorCode::io, "cannot rename output to " + out_path + ": " + std::strerror(errno));
  if (!temp_path.empty()) {
    if (!st) unlink(temp_path.c_str());
    temp_file_register("");
  }
  if (!st) {
    error_print(name, st.message());
    return Outcome::error;
  }

  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (o.mode == Mode::compress && o.pixels && stats.layout != "png-pixels" && !o.quiet && ends_with_png(input))
    std::fprintf(stderr,
                 "lmzip: warning: %s: its pixels were not stored (no image model for them installed, "
                 "or a picture narrower than half the model's tile); the file was compressed byte-exact\n",
                 printable(name).c_str());
  if (o.verbose && o.mode == Mode::compress) {
    if (stats.samples_model.empty())
      std::fprintf(stderr, "%s: layout bytes, model %s\n", printable(name).c_str(), printable(o.loaded->name()).c_str());
    else
      std::fprintf(stderr, "%s: layout %s, samples modelled by %s, the rest by %s\n", printable(name).c_str(),
                   stats.layout.c_str(), stats.samples_model.c_str(), printable(o.loaded->name()).c_str());
  }
  if (o.verbose) {
    const uint64_t original = o.mode == Mode::compress ? stats.bytes_in : stats.bytes_out;
    const uint64_t compressed = o.mode == Mode::compress ? stats.bytes_out : stats.bytes_in;
    const double rate = static_cast<double>(original) / std::max(secs, 1e-9);
    char speed[32];
    std::snprintf(speed, sizeof speed, rate >= 1e6 ? "%.2f MB/s" : "%.1f kB/s", rate >= 1e6 ? rate / 1e6 : rate / 1e3);
    std::fprintf(stderr, "%s: %s (%llu => %llu bytes), %s%s%s\n", printable(name).c_str(),
                 ratio_text(original, compressed).c_str(),
                 static_cast<unsigned long long>(o.mode == Mode::compress ? original : compressed),
                 static_cast<unsigned long long>(o.mode == Mode::compress ? compressed : original),
                 speed, to_stdout ? "" : " -> ", to_stdout ? "" : out_path.c_str());
  }
  // The input goes only once its output is in place: by default when the
  // output is FILE.lmz (or FILE), with --rm also after -o, never with -k or -c.
  if (!from_stdin && !to_stdout && (o.remove || (!o.keep && o.output.empty()))) {
    in_file.reset();
    if (unlink(input.c_str()) != 0) {
      error_print(name, std::string("cannot remove input: ") + std::strerror(errno));
      return Outcome::error;
    }
  }
  return Outcome::ok;
}

}  // namespace lmzip::cli
