// Round trips through the library (edge sizes, random data with its size
// bound from docs/FORMAT.md, the text corpus in ../shared/data/text), and the
// 100 MB stdin/stdout stream through the program with its peak memory
// (suite SlowStream: labelled slow, not part of the quick run).
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <thread>

#include "format/shipped_models.h"
#include "test_util.h"

namespace lmzip::test {
namespace {

void expect_round_trip(const Bytes& in, uint32_t chunk_size, unsigned threads = 1) {
  const Bytes z = compress_bytes(in, chunk_size, threads);
  const Decoded d = decompress_bytes(z, threads);
  ASSERT_TRUE(d.status.ok()) << in.size() << " bytes: " << d.status.message();
  EXPECT_EQ(d.out, in);
}

TEST(RoundTrip, Empty) {
  for (uint32_t c : {1u, 1024u, 0u}) {
    const Bytes z = compress_bytes(Bytes{}, c);
    // Header (magic, version, descriptor: 6; order2 by its id and a 4-byte
    // identity prefix: 5; the chunk size's exponent: 1; checksum: 2) and
    // frame end (tag, size 0, checksum: 6), no chunks.
    EXPECT_EQ(z.size(), 14u + 6u);
    expect_round_trip(Bytes{}, c);
  }
}

TEST(RoundTrip, OneByte) {
  for (int v : {0, 97, 255}) {
    for (uint32_t c : {1u, 2u, 0u}) expect_round_trip(Bytes{static_cast<uint8_t>(v)}, c);
  }
}

TEST(RoundTrip, AllByteValues) {
  Bytes all(256);
  for (int i = 0; i < 256; ++i) all[i] = static_cast<uint8_t>(i);
  for (uint32_t c : {1u, 7u, 255u, 256u, 257u, 0u}) expect_round_trip(all, c);
  // Repeated, so that the model learns it and chunks are modelled.
  Bytes many;
  for (int k = 0; k < 64; ++k) many.insert(many.end(), all.begin(), all.end());
  expect_round_trip(many, 4096);
  // Runs of each value: long zero tails in the range coder.
  Bytes runs;
  for (int i = 0; i < 256; ++i) runs.insert(runs.end(), 300, static_cast<uint8_t>(i));
  expect_round_trip(runs, 1000, 2);
  expect_round_trip(Bytes(100000, 0), 65536);
}

size_t varint_size(uint64_t v) {
  size_t n = 1;
  while (v >= 0x80) v >>= 7, ++n;
  return n;
}

// A version 4 header with one model (docs/FORMAT.md): magic, version and
// descriptor; the model by id and identity prefix when shipped, else by name
// and identity; the chunk size (its exponent or a varint); the checksum.
size_t header_size(const std::string& model, uint32_t chunk_size) {
  const size_t entry = format::shipped_model_id(model) ? 1 + 4 : 2 + model.size() + 32;
  return 6 + entry + ((chunk_size & (chunk_size - 1)) == 0 ? 1 : varint_size(chunk_size)) + 2;
}
size_t end_size(uint64_t content) { return 1 + varint_size(content) + 4; }

// The bound of docs/FORMAT.md: the header, per chunk a stored record header
// (tag and checksum: 5 bytes, plus the varint of a partial chunk's size), and
// the frame end.
size_t size_bound(size_t n, uint32_t chunk_size) {
  size_t bound = header_size("order2", chunk_size) + end_size(n) + n;
  const size_t full = n / chunk_size, rest = n % chunk_size;
  bound += 5 * full;
  if (rest) bound += 5 + varint_size(rest);
  return bound;
}

TEST(RoundTrip, RandomMegabyteDoesNotGrow) {
  const Bytes in = random_bytes(1u << 20, 42);
  for (uint32_t c : {0u, 65536u, 100000u}) {
    const uint32_t chunk = c ? c : order2()->default_chunk_size();
    const Bytes z = compress_bytes(in, c, 2);
    EXPECT_LE(z.size(), size_bound(in.size(), chunk)) << "chunk size " << chunk;
    const Decoded d = decompress_bytes(z, 2);
    ASSERT_TRUE(d.status.ok()) << d.status.message();
    EXPECT_EQ(d.out, in);
    MemorySource src(z);
    auto listed = frame_list(src);
    ASSERT_TRUE(listed.ok());
    EXPECT_EQ((*listed)[0].raw_chunks, (*listed)[0].chunks) << "random chunks are stored";
  }
}

// A model slightly better than uniform: 'a' costs 7 bits, other bytes 8.
// With it, a chunk's payload can be made to end up just below its content
// size, where a modelled record (payload size varint included) would be
// larger than a stored one.
class NearlyUniformModel final : public Model {
 public:
  NearlyUniformModel() {
    info_.name = "nearly-uniform";
    info_.identity[0] = 1;
  }
  const ModelInfo& info() const override { return info_; }
  uint32_t default_chunk_size() const override { return 1000; }
  std::unique_ptr<Predictor> make_predictor() const override { return std::make_unique<P>(); }

 private:
  struct P final : Predictor {
    int alphabet_size() const override { return 256; }
    void reset(size_t) override {}
    void predict(uint32_t* freq, uint32_t* total) override {
      for (int s = 0; s < 256; ++s) freq[s] = 256;
      freq['a'] = 512;
      *total = 256 * 256 + 256;
    }
    void update(std::span<const Symbol>) override {}
  };
  ModelInfo info_;
};

// "No chunk grows by more than its record header": whatever the payload
// size, a chunk's record is never larger than storing the chunk would be.
TEST(RoundTrip, ModelledRecordNeverLargerThanStored) {
  auto model = std::make_shared<NearlyUniformModel>();
  for (uint32_t chunk : {1000u, 20000u}) {
    for (size_t k = 0; k <= 64; ++k) {
      Bytes in = random_bytes(chunk, k);
      for (auto& b : in) b = b == 'a' ? 'b' : b;
      for (size_t i = 0; i < k * chunk / 1000; ++i) in[i * 7 % chunk] = 'a';
      MemorySource src(in);
      MemorySink sink;
      CompressOptions o;
      o.model = model;
      o.chunk_size = chunk;
      ASSERT_TRUE(compress(src, sink, o).ok());
      // One chunk, stored: its tag (no checksum in a frame of one chunk).
      const size_t stored_size = header_size(model->name(), chunk) + 1 + chunk + end_size(chunk);
      EXPECT_LE(sink.bytes().size(), stored_size) << "chunk " << chunk << ", " << k << " 'a's per 1000";
      const Decoded d = decompress_bytes(sink.bytes(), 1, model_resolver_fixed(model));
      ASSERT_TRUE(d.status.ok()) << d.status.message();
      EXPECT_EQ(d.out, in);
    }
  }
}

TEST(RoundTrip, MixedSizesAndChunkBoundaries) {
  const Bytes text = text_like(70000, 3);
  for (size_t n : {1000u, 4095u, 4096u, 4097u, 8192u, 70000u}) {
    const Bytes in(text.begin(), text.begin() + static_cast<long>(n));
    expect_round_trip(in, 4096, 2);
  }
}

// Every file under ../shared/data/text, two threads. To keep the run under a
// minute, files above 16 MiB (gcide, 40 MB) are cut to their first 16 MiB;
// under the sanitizers every file is cut to 64 KiB.
TEST(RoundTrip, SharedTextData) {
  const std::filesystem::path root = std::filesystem::path(LMZIP_DATA_DIR) / "text";
  std::error_code ec;
  if (!std::filesystem::is_directory(root, ec)) GTEST_SKIP() << root << " is missing";
  std::vector<std::filesystem::path> files;
  for (const auto& e : std::filesystem::recursive_directory_iterator(root, ec))
    if (e.is_regular_file()) files.push_back(e.path());
  std::sort(files.begin(), files.end());
  ASSERT_FALSE(files.empty());
  const size_t cap = kSanitized ? (64u << 10) : (16u << 20);
  uint64_t total_in = 0, total_out = 0;
  const auto t0 = std::chrono::steady_clock::now();
  for (const auto& path : files) {
    Bytes in = read_bytes(path.string());
    const size_t file_size = in.size();
    if (in.size() > cap) in.resize(cap);
    const Bytes z = compress_bytes(in, 0, 2);
    const Decoded d = decompress_bytes(z, 2);
    ASSERT_TRUE(d.status.ok()) << path << ": " << d.status.message();
    EXPECT_TRUE(d.out == in) << path << " does not round-trip";
    if (in.size() > 10000) {
      EXPECT_LT(z.size(), in.size() * 7 / 10) << path << " hardly compresses";
    }
    std::printf("  %-40s %10zu -> %9zu (%.1f%%)%s\n", path.lexically_relative(root).c_str(), in.size(),
                z.size(), 100.0 * static_cast<double>(z.size()) / static_cast<double>(std::max<size_t>(1, in.size())),
                file_size > in.size() ? " (first part)" : "");
    total_in += in.size();
    total_out += z.size();
  }
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::printf("  %zu files, %llu -> %llu bytes, %.1f s for both ways\n", files.size(),
              static_cast<unsigned long long>(total_in), static_cast<unsigned long long>(total_out), secs);
}

// ---- the 100 MB stream ------------------------------------------------------------

// 100 MiB, deterministic, made block by block: text-like stretches, random
// stretches and runs, so both chunk modes and the model's extremes occur.
class StreamGenerator {
 public:
  static constexpr uint64_t kTotal = 100ull << 20;
  // Next block; empty at the end.
  Bytes next() {
    if (done_ >= kTotal) return {};
    Bytes b;
    const uint64_t kind = block_ % 8;
    const size_t n = 3u << 18;  // 768 KiB: blocks straddle the 1 MiB chunks
    if (kind == 3) b = random_bytes(n, block_);
    else if (kind == 6) b.assign(n, static_cast<uint8_t>(block_));
    else b = text_like(n, block_);
    ++block_;
    if (b.size() > kTotal - done_) b.resize(kTotal - done_);
    done_ += b.size();
    return b;
  }

 private:
  uint64_t block_ = 0, done_ = 0;
};

// `lmzip -c | lmzip -dc` over stdin/stdout with 100 MiB written in and read
// back concurrently by this process; the output is compared by XXH64 (and
// byte for byte). Peak RSS of each program comes from /usr/bin/time when
// present, else from getrusage(RUSAGE_CHILDREN) (the largest descendant).
TEST(SlowStream, HundredMegabytesThroughStdinStdout) {
  if (kSanitized) GTEST_SKIP() << "memory is not measurable under the sanitizers";
  TempDir dir;
  const bool have_time = access("/usr/bin/time", X_OK) == 0;
  const std::string timer1 = have_time ? "/usr/bin/time -o " + sh_quote(dir.meta("rss1")) + " -f %M " : "";
  const std::string timer2 = have_time ? "/usr/bin/time -o " + sh_quote(dir.meta("rss2")) + " -f %M " : "";
  const std::string pipeline = timer1 + lmzip_cli() + " -0 -T 2 -c -v 2>" + sh_quote(dir.meta("err1")) + " | " +
                               timer2 + lmzip_cli() + " -T 2 -dc -v 2>" + sh_quote(dir.meta("err2"));
  int to_child[2], from_child[2];
  ASSERT_EQ(pipe(to_child), 0);
  ASSERT_EQ(pipe(from_child), 0);
  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    dup2(to_child[0], 0);
    dup2(from_child[1], 1);
    for (int fd : {to_child[0], to_child[1], from_child[0], from_child[1]}) close(fd);
    execl("/bin/sh", "sh", "-c", pipeline.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  close(to_child[0]);
  close(from_child[1]);
  signal(SIGPIPE, SIG_IGN);

  XXH64_state_t* sent_sum = XXH64_createState();
  XXH64_reset(sent_sum, 0);
  const auto t0 = std::chrono::steady_clock::now();
  std::thread writer([&] {
    StreamGenerator gen;
    for (Bytes b = gen.next(); !b.empty(); b = gen.next()) {
      XXH64_update(sent_sum, b.data(), b.size());
      for (size_t off = 0; off < b.size();) {
        const ssize_t w = write(to_child[1], b.data() + off, b.size() - off);
        if (w <= 0) {
          close(to_child[1]);
          return;
        }
        off += static_cast<size_t>(w);
      }
    }
    close(to_child[1]);
  });

  // Reader: checksum, and compare against a second copy of the generator.
  XXH64_state_t* got_sum = XXH64_createState();
  XXH64_reset(got_sum, 0);
  StreamGenerator expect;
  Bytes want;
  size_t want_pos = 0;
  uint64_t received = 0, first_mismatch = UINT64_MAX;
  std::vector<uint8_t> buf(1 << 16);
  for (;;) {
    const ssize_t r = read(from_child[0], buf.data(), buf.size());
    if (r <= 0) break;
    XXH64_update(got_sum, buf.data(), static_cast<size_t>(r));
    for (ssize_t i = 0; i < r && first_mismatch == UINT64_MAX; ++i) {
      if (want_pos == want.size()) {
        want = expect.next();
        want_pos = 0;
      }
      if (want.empty() || want[want_pos++] != buf[static_cast<size_t>(i)]) first_mismatch = received + static_cast<uint64_t>(i);
    }
    received += static_cast<uint64_t>(r);
  }
  close(from_child[0]);
  writer.join();
  int status = 0;
  waitpid(pid, &status, 0);
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  struct rusage ru {};
  getrusage(RUSAGE_CHILDREN, &ru);

  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
      << "pipeline status " << status << "\n" << read_text(dir.meta("err1")) << read_text(dir.meta("err2"));
  EXPECT_EQ(received, StreamGenerator::kTotal);
  EXPECT_EQ(first_mismatch, UINT64_MAX) << "first differing byte at " << first_mismatch;
  EXPECT_EQ(XXH64_digest(got_sum), XXH64_digest(sent_sum));
  XXH64_freeState(sent_sum);
  XXH64_freeState(got_sum);

  const long rss1 = have_time ? time_rss_kib(dir.meta("rss1")) : ru.ru_maxrss;
  const long rss2 = have_time ? time_rss_kib(dir.meta("rss2")) : ru.ru_maxrss;
  std::printf("  100 MiB through lmzip -c | lmzip -dc (-T 2) in %.1f s\n", secs);
  std::printf("  peak RSS: compress %.1f MiB, decompress %.1f MiB (%s)\n", rss1 / 1024.0, rss2 / 1024.0,
              have_time ? "/usr/bin/time" : "getrusage, largest child");
  std::printf("  compress:   %s", read_text(dir.meta("err1")).c_str());
  std::printf("  decompress: %s", read_text(dir.meta("err2")).c_str());
  constexpr long kBoundKiB = 400 << 10;
  EXPECT_GT(rss1, 0);
  EXPECT_LT(rss1, kBoundKiB) << "compressing a stream must take bounded memory";
  EXPECT_LT(rss2, kBoundKiB) << "decompressing a stream must take bounded memory";
}

}  // namespace
}  // namespace lmzip::test
