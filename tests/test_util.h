// Helpers shared by the robustness, CLI and golden-file tests: temporary
// directories, running the lmzip program through a shell, deterministic test
// data, in-memory compress / decompress, and a small independent writer and
// parser of the .lmz layout (docs/FORMAT.md) used to forge frames.
#pragma once

#include <dirent.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <xxhash.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <mutex>
#include <random>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "lmzip/codec.h"
#include "lmzip/io.h"
#include "lmzip/model.h"
#include "pooled_model.h"

#if defined(__SANITIZE_ADDRESS__)
#define LMZIP_TEST_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define LMZIP_TEST_SANITIZED 1
#endif
#endif
#ifndef LMZIP_TEST_SANITIZED
#define LMZIP_TEST_SANITIZED 0
#endif

namespace lmzip::test {

using Bytes = std::vector<uint8_t>;

// True in a build with AddressSanitizer: tests then use smaller inputs and
// skip memory measurements (the sanitizer's shadow memory distorts them).
inline constexpr bool kSanitized = LMZIP_TEST_SANITIZED != 0;

// ---- files -------------------------------------------------------------------

inline Bytes to_bytes(std::string_view s) { return Bytes(s.begin(), s.end()); }
inline std::string to_string(const Bytes& b) { return std::string(b.begin(), b.end()); }

inline Bytes read_bytes(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  return Bytes(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
}
inline std::string read_text(const std::string& path) { return to_string(read_bytes(path)); }

inline void write_bytes(const std::string& path, std::span<const uint8_t> data) {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  f.write(reinterpret_cast<const char*>(data.data()), static_cast<std::streamsize>(data.size()));
}
inline void write_text(const std::string& path, std::string_view s) {
  write_bytes(path, {reinterpret_cast<const uint8_t*>(s.data()), s.size()});
}

inline bool path_exists(const std::string& path) {
  struct stat st {};
  return lstat(path.c_str(), &st) == 0;
}

// Names in `dir`, sorted, without . and ..
inline std::vector<std::string> dir_names(const std::string& dir) {
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(dir, ec))
    names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

// Leftover temporary outputs (the CLI writes OUT.tmpXXXXXX, then renames).
inline std::vector<std::string> temp_leftovers(const std::string& dir) {
  std::vector<std::string> found;
  for (const auto& n : dir_names(dir))
    if (n.find(".tmp") != std::string::npos) found.push_back(n);
  return found;
}

// A fresh directory under $TMPDIR (or /tmp), removed with everything in it.
class TempDir {
 public:
  TempDir() {
    const char* base = std::getenv("TMPDIR");
    std::string tmpl = std::string(base && *base ? base : "/tmp") + "/lmzip_test_XXXXXX";
    if (!mkdtemp(tmpl.data())) std::abort();
    root_ = tmpl;
    std::filesystem::create_directory(root_ + "/work");
    std::filesystem::create_directory(root_ + "/meta");
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(root_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  // Where a test's files live (listing it shows only what the test made).
  std::string path() const { return root_ + "/work"; }
  std::string file(const std::string& name) const { return path() + "/" + name; }
  // Outside path(): captured output and the like.
  std::string meta(const std::string& name) const { return root_ + "/meta/" + name; }
  std::string root() const { return root_; }

 private:
  std::string root_;
};

// ---- running programs ----------------------------------------------------------

struct RunResult {
  int code = -1;  // exit status; 128 + N when killed by signal N
  std::string out, err;
};

// Quotes for /bin/sh.
inline std::string sh_quote(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

#ifdef LMZIP_CLI_PATH  // defined for the test binary (CMakeLists.txt), not for the fuzzers
// The lmzip program under test, quoted for the shell.
inline std::string lmzip_cli() { return sh_quote(LMZIP_CLI_PATH); }
#endif

// Runs `command` with /bin/sh in dir.path(), stdin from /dev/null unless the
// command redirects it; captures stdout and stderr.
inline RunResult shell(const TempDir& dir, const std::string& command) {
  const std::string out = dir.meta("stdout"), err = dir.meta("stderr");
  const std::string full = "cd " + sh_quote(dir.path()) + " && ( " + command + " ) </dev/null >" +
                           sh_quote(out) + " 2>" + sh_quote(err);
  const int status = std::system(full.c_str());
  RunResult r;
  if (status == -1) return r;
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  r.out = read_text(out);
  r.err = read_text(err);
  return r;
}

inline std::ostream& operator<<(std::ostream& os, const RunResult& r) {
  return os << "exit " << r.code << "\n--- stdout ---\n" << r.out << "--- stderr ---\n" << r.err;
}

// Peak RSS in KiB from a file written by `/usr/bin/time -o FILE -f %M` (GNU
// time puts "Command exited with non-zero status N" on a line before it);
// -1 if there is none.
inline long time_rss_kib(const std::string& path) {
  const std::string s = read_text(path);
  size_t end = s.find_last_not_of("\n");
  if (end == std::string::npos) return -1;
  const size_t start = s.rfind('\n', end);
  return std::atol(s.c_str() + (start == std::string::npos ? 0 : start + 1));
}

// ---- test data -----------------------------------------------------------------

inline Bytes random_bytes(size_t n, uint64_t seed) {
  std::mt19937_64 rng(seed);
  Bytes b(n);
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    const uint64_t v = rng();
    for (int k = 0; k < 8; ++k) b[i + k] = static_cast<uint8_t>(v >> (8 * k));
  }
  for (; i < n; ++i) b[i] = static_cast<uint8_t>(rng());
  return b;
}

// English-like text: words from a small vocabulary, punctuation, line breaks.
inline Bytes text_like(size_t n, uint64_t seed) {
  static const char* const kWords[] = {
      "the", "of", "and", "a", "to", "in", "is", "you", "that", "it", "he", "was", "for", "on",
      "are", "as", "with", "his", "they", "at", "be", "this", "have", "from", "or", "one", "had",
      "by", "word", "but", "not", "what", "all", "were", "we", "when", "your", "can", "said",
      "there", "use", "an", "each", "which", "she", "do", "how", "their", "if", "will", "up",
      "other", "about", "out", "many", "then", "them", "these", "so", "some", "her", "would",
      "make", "like", "him", "into", "time", "has", "look", "two", "more", "write", "go", "see",
      "number", "no", "way", "could", "people", "my", "than", "first", "water", "been", "call",
      "who", "oil", "its", "now", "find", "long", "down", "day", "did", "get", "come", "made",
      "compression", "arithmetic", "model", "chunk", "frame", "decoder", "London", "Dickens"};
  constexpr size_t kCount = sizeof kWords / sizeof kWords[0];
  std::mt19937_64 rng(seed);
  Bytes b;
  b.reserve(n + 16);
  size_t line = 0;
  bool capital = true;
  while (b.size() < n) {
    // Zipf-ish: low indices are much more frequent.
    const double u = std::uniform_real_distribution<double>(0, 1)(rng);
    const size_t w = static_cast<size_t>(u * u * u * kCount) % kCount;
    std::string word = kWords[w];
    if (capital) word[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(word[0])));
    capital = false;
    b.insert(b.end(), word.begin(), word.end());
    line += word.size() + 1;
    const uint64_t r = rng() % 100;
    if (r < 8) {
      b.push_back('.');
      capital = true;
    } else if (r < 14) {
      b.push_back(',');
    }
    if (line > 70) {
      b.push_back('\n');
      line = 0;
    } else {
      b.push_back(' ');
    }
  }
  b.resize(n);
  return b;
}

// ---- the library in memory -------------------------------------------------------

// The shipped models of this source tree (the programs add $LMZIP_MODEL_PATH).
inline ModelDirs test_model_dirs() {
#ifdef LMZIP_SOURCE_DIR
  return {std::string(LMZIP_SOURCE_DIR) + "/models"};
#else
  return {};  // the fuzzers: built-in models only
#endif
}

inline std::shared_ptr<const Model> order2() {
  auto m = model_open("order2");
  if (!m) std::abort();
  return *m;
}

inline std::shared_ptr<const Model> pooled_order2() {
  static const auto model = std::make_shared<PooledModel>(order2());
  return model;
}

// The installed models' resolver, but a found order2 comes back pooled (see PooledModel).
inline ModelResolver pooled_default_resolver() {
  return [installed = model_resolver_installed(test_model_dirs())](
             const std::string& name, const IdentityPrefix& id) -> Result<std::shared_ptr<const Model>> {
    auto m = installed(name, id);
    if (!m) return m;
    if ((*m)->name() == "order2") return pooled_order2();
    return m;
  };
}

inline Bytes compress_bytes(std::span<const uint8_t> data, uint32_t chunk_size = 0,
                            unsigned threads = 1, std::shared_ptr<const Model> model = nullptr) {
  MemorySource src(data);
  MemorySink sink;
  CompressOptions o;
  o.model = model ? std::move(model) : pooled_order2();
  o.chunk_size = chunk_size;
  o.threads = threads;
  const Status st = compress(src, sink, o);
  if (!st) {
    std::fprintf(stderr, "compress failed: %s\n", st.message().c_str());
    std::abort();
  }
  return std::move(sink.bytes());
}

struct Decoded {
  Status status;
  Bytes out;  // whatever reached the sink, also on failure
};

inline Decoded decompress_bytes(std::span<const uint8_t> data, unsigned threads = 1,
                                ModelResolver resolve = pooled_default_resolver()) {
  MemorySource src(data);
  MemorySink sink;
  DecompressOptions o;
  o.resolve = std::move(resolve);
  o.threads = threads;
  Decoded d;
  d.status = decompress(src, sink, o);
  d.out = std::move(sink.bytes());
  return d;
}

inline bool is_prefix(const Bytes& prefix, const Bytes& whole) {
  return prefix.size() <= whole.size() && std::equal(prefix.begin(), prefix.end(), whole.begin());
}

// ---- an independent writer / parser of the frame layout ----------------------------

inline uint64_t xxh64(std::span<const uint8_t> d) { return XXH64(d.data(), d.size(), 0); }
inline uint32_t xxh32low(std::span<const uint8_t> d) { return static_cast<uint32_t>(xxh64(d)); }

inline void put_le(Bytes& out, uint64_t v, int bytes) {
  for (int i = 0; i < bytes; ++i) out.push_back(static_cast<uint8_t>(v >> (8 * i)));
}
inline uint64_t get_le(const Bytes& b, size_t at, int bytes) {
  uint64_t v = 0;
  for (int i = bytes - 1; i >= 0; --i) v = (v << 8) | b.at(at + static_cast<size_t>(i));
  return v;
}
inline void set_le(Bytes& b, size_t at, uint64_t v, int bytes) {
  for (int i = 0; i < bytes; ++i) b.at(at + static_cast<size_t>(i)) = static_cast<uint8_t>(v >> (8 * i));
}
inline void put_varint(Bytes& out, uint64_t v) {
  while (v >= 0x80) {
    out.push_back(static_cast<uint8_t>(v | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<uint8_t>(v));
}

struct HeaderFields {
  std::string name = "order2";
  Sha256 identity{};
  uint32_t chunk_size = 1024;
  uint8_t version = 1;
  uint8_t flags = 0;
  int name_length = -1;  // -1: name.size()
};

// Header bytes; the checksum is correct unless bad_checksum.
inline Bytes header_bytes(const HeaderFields& h, bool bad_checksum = false) {
  Bytes b;
  b.reserve(7 + h.name.size() + h.identity.size() + 8);  // also keeps GCC 12's -Warray-bounds quiet
  for (uint8_t x : {uint8_t(0x89), uint8_t('L'), uint8_t('M'), uint8_t('Z'), h.version, h.flags,
                    static_cast<uint8_t>(h.name_length < 0 ? h.name.size() : static_cast<size_t>(h.name_length))})
    b.push_back(x);
  b.insert(b.end(), h.name.begin(), h.name.end());
  b.insert(b.end(), h.identity.begin(), h.identity.end());
  put_le(b, h.chunk_size, 4);
  put_le(b, xxh32low(b) ^ (bad_checksum ? 1u : 0u), 4);
  return b;
}

inline Bytes frame_end_bytes(uint64_t size, uint64_t checksum) {
  Bytes b = {0};
  put_le(b, size, 8);
  put_le(b, checksum, 8);
  return b;
}

// Where things are in a well-formed frame sequence (versions 1 and 4).
struct RecordLayout {
  size_t offset = 0;           // of the tag
  uint8_t tag = 0;
  size_t size_offset = 0;      // of the partial size varint (0 if none)
  size_t payload_size_offset = 0;  // of the payload size varint (0 if none)
  size_t checksum_offset = 0;  // where the checksum is (v4 one-chunk frame: would be; none there)
  size_t payload_offset = 0;
  uint32_t content_size = 0;
  uint32_t payload_size = 0;
};
struct FrameLayout {
  size_t offset = 0;  // of the magic
  uint8_t version = 0;
  uint8_t descriptor = 0;          // v4
  std::vector<size_t> model_at;    // v4: each model table entry's id byte
  size_t name_length = 0;          // of the first model (v4: 0 for a shipped one)
  size_t identity_offset = 0;      // of the first model's identity (v4 shipped: its prefix)
  size_t chunk_size_offset = 0, header_checksum_offset = 0;
  size_t stage_offset = 0, layout_offset = 0;  // v4: 0 when absent
  size_t header_checksum_bytes = 4;  // v4: 2
  size_t header_end = 0;
  uint32_t chunk_size = 0;
  bool one_chunk = false;          // v4: no chunk checksum
  std::vector<RecordLayout> records;
  size_t end_offset = 0;  // of the end tag
  size_t end_checksum_offset = 0;
  size_t frame_end = 0;   // one past the end checksum
};

inline uint64_t get_varint(const Bytes& b, size_t& at) {
  uint64_t v = 0;
  for (int shift = 0;; shift += 7) {
    const uint8_t x = b.at(at++);
    v |= static_cast<uint64_t>(x & 0x7F) << shift;
    if (!(x & 0x80)) return v;
  }
}

// The chunk records of a well-formed frame from `at` (the first record) to
// its end tag; returns the end tag's offset, also in *end_offset.
inline size_t records_parse(const Bytes& b, size_t at, uint32_t chunk_size, std::vector<RecordLayout>* records,
                            size_t* end_offset, bool checksums = true) {
  for (;;) {
    const uint8_t tag = b.at(at);
    if (tag == 0) return *end_offset = at;
    RecordLayout r;
    r.offset = at++;
    r.tag = tag;
    r.content_size = chunk_size;
    if (tag & 4) {
      r.size_offset = at;
      r.content_size = static_cast<uint32_t>(get_varint(b, at));
    }
    r.payload_size = r.content_size;
    if ((tag & 3) == 2 || (tag & 3) == 3) {
      r.payload_size_offset = at;
      r.payload_size = static_cast<uint32_t>(get_varint(b, at));
    }
    r.checksum_offset = at;
    if (checksums) at += 4;
    r.payload_offset = at;
    at += r.payload_size;
    records->push_back(r);
  }
}

// A version 4 header at f->offset (docs/FORMAT.md).
inline void header_v4_parse(const Bytes& b, FrameLayout* f) {
  const size_t at = f->offset;
  f->descriptor = b.at(at + 5);
  size_t p = at + 6;
  for (size_t i = 0; i <= (f->descriptor & 7u); ++i) {
    f->model_at.push_back(p);
    const bool named = b.at(p) == 0;
    const size_t n = named ? b.at(p + 1) : 0;
    if (i == 0) {
      f->name_length = n;
      f->identity_offset = named ? p + 2 + n : p + 1;
    }
    p += named ? 2 + n + 32 : 1 + 4;
  }
  f->chunk_size_offset = p;
  if (f->descriptor & 0x40) f->chunk_size = 1u << b.at(p++);
  else f->chunk_size = static_cast<uint32_t>(get_varint(b, p));
  if (f->descriptor & 0x08) f->stage_offset = p++;
  if (f->descriptor & 0x10) {
    f->layout_offset = p;
    const uint8_t kind = b.at(p);
    p += 1 + 26 + (kind >= 2 ? 17 : 0);
  }
  f->header_checksum_offset = p;
  f->header_checksum_bytes = 2;
  f->header_end = p + 2;
  f->one_chunk = f->descriptor & 0x20;
}

// Parses frames of versions 1 and 4 that are known to be well formed (throws
// std::out_of_range otherwise).
inline std::vector<FrameLayout> layout_parse(const Bytes& b) {
  std::vector<FrameLayout> frames;
  size_t at = 0;
  while (at < b.size()) {
    FrameLayout f;
    f.offset = at;
    f.version = b.at(at + 4);
    if (f.version == 4) {
      header_v4_parse(b, &f);
    } else {
      f.name_length = b.at(at + 6);
      f.identity_offset = at + 7 + f.name_length;
      f.chunk_size_offset = f.identity_offset + 32;
      f.header_checksum_offset = f.chunk_size_offset + 4;
      f.header_end = f.header_checksum_offset + 4;
      f.chunk_size = static_cast<uint32_t>(get_le(b, f.chunk_size_offset, 4));
    }
    at = records_parse(b, f.header_end, f.chunk_size, &f.records, &f.end_offset, !f.one_chunk);
    if (f.version == 4) {
      size_t p = f.end_offset + 1;
      get_varint(b, p);
      f.end_checksum_offset = p;
      f.frame_end = p + 4;
    } else {
      f.end_checksum_offset = f.end_offset + 9;
      f.frame_end = f.end_offset + 17;
    }
    at = f.frame_end;
    frames.push_back(f);
  }
  return frames;
}

// Version 4 edits that change the header's length: each returns the frame
// (the first one of `b`) with the header checksum recomputed.
// Model table entry `slot` written in full: name and whole identity.
inline Bytes model_entry_named(const Bytes& b, size_t slot, const std::string& name, const Sha256& identity);
// The chunk size field set to `c`: its exponent when c is a power of two below 2^32, else a varint.
inline Bytes chunk_size_forged(const Bytes& b, uint64_t c);

// Recomputes the header checksum of the frame at `f` after an edit.
inline void header_checksum_fix(Bytes& b, const FrameLayout& f) {
  const Bytes covered(b.begin() + static_cast<long>(f.offset),
                      b.begin() + static_cast<long>(f.header_checksum_offset));
  set_le(b, f.header_checksum_offset, xxh64(covered), static_cast<int>(f.header_checksum_bytes));
}

inline Bytes model_entry_named(const Bytes& b, size_t slot, const std::string& name, const Sha256& identity) {
  const FrameLayout f = layout_parse(b)[0];
  const size_t at = f.model_at.at(slot);
  const size_t old_end = b.at(at) == 0 ? at + 2 + b.at(at + 1) + 32 : at + 5;
  Bytes entry = {0, static_cast<uint8_t>(name.size())};
  entry.insert(entry.end(), name.begin(), name.end());
  entry.insert(entry.end(), identity.begin(), identity.end());
  Bytes out(b.begin(), b.begin() + static_cast<long>(at));
  out.insert(out.end(), entry.begin(), entry.end());
  out.insert(out.end(), b.begin() + static_cast<long>(old_end), b.end());
  header_checksum_fix(out, layout_parse(out)[0]);
  return out;
}

inline Bytes chunk_size_forged(const Bytes& b, uint64_t c) {
  const FrameLayout f = layout_parse(b)[0];
  Bytes field;
  const bool exponent = c != 0 && c < (1ull << 32) && (c & (c - 1)) == 0;
  if (exponent) field.push_back(static_cast<uint8_t>(__builtin_ctzll(c)));
  else put_varint(field, c);
  size_t old_end = f.chunk_size_offset;
  if (f.descriptor & 0x40) ++old_end;
  else get_varint(b, old_end);
  Bytes out(b.begin(), b.begin() + static_cast<long>(f.chunk_size_offset));
  out[f.offset + 5] = static_cast<uint8_t>((out[f.offset + 5] & ~0x40) | (exponent ? 0x40 : 0));
  out.insert(out.end(), field.begin(), field.end());
  out.insert(out.end(), b.begin() + static_cast<long>(old_end), b.end());
  FrameLayout g = f;
  g.header_checksum_offset = f.header_checksum_offset - old_end + f.chunk_size_offset + field.size();
  header_checksum_fix(out, g);
  return out;
}

}  // namespace lmzip::test
