// I/O faults injected at every call (issue 15, the reliability campaign): a
// sink that fails its k-th write (a full disk, EIO) and a source that fails
// its k-th read, for every k a compression or decompression makes, plain,
// adaptive and with a layout, on 1 and 2 threads. The call must return the
// injected error (never crash, never report success), and what reached the
// sink before the fault must be a prefix of the full output.
#include <gtest/gtest.h>

#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <thread>

#include "media_test_models.h"
#include "test_util.h"

namespace lmzip::test {
namespace {

constexpr const char* kInjected = "injected fault";

class FailingSink final : public ByteSink {
 public:
  explicit FailingSink(int fail_at) : fail_at_(fail_at) {}
  Status write(std::span<const uint8_t> data) override {
    if (calls_++ == fail_at_) return Status(ErrorCode::io, kInjected);
    return inner_.write(data);
  }
  int calls() const { return calls_; }
  Bytes& bytes() { return inner_.bytes(); }

 private:
  int fail_at_;
  int calls_ = 0;
  MemorySink inner_;
};

class FailingSource final : public ByteSource {
 public:
  FailingSource(std::span<const uint8_t> data, int fail_at) : inner_(data), fail_at_(fail_at) {}
  Status read(std::span<uint8_t> buf, size_t* got) override {
    if (calls_++ == fail_at_) {
      *got = 0;
      return Status(ErrorCode::io, kInjected);
    }
    return inner_.read(buf, got);
  }
  int calls() const { return calls_; }

 private:
  MemorySource inner_;
  int fail_at_;
  int calls_ = 0;
};

enum class Job { compress, decompress };

// Runs the job with a fault at write `write_fault` and read `read_fault` (-1: none).
Status run(Job job, const Bytes& input, const CompressOptions& co, unsigned threads, int write_fault, int read_fault,
           Bytes* out, int* writes, int* reads) {
  FailingSource src(input, read_fault);
  FailingSink sink(write_fault);
  Status st;
  if (job == Job::compress) {
    CompressOptions o = co;
    o.threads = threads;
    st = compress(src, sink, o);
  } else {
    DecompressOptions o;
    o.resolve = media_test_resolver();
    o.threads = threads;
    st = decompress(src, sink, o);
  }
  *out = std::move(sink.bytes());
  *writes = sink.calls();
  *reads = src.calls();
  return st;
}

void every_fault(Job job, const Bytes& input, const CompressOptions& co, const char* what) {
  for (unsigned threads : {1u, 2u}) {
    SCOPED_TRACE(std::string(what) + (job == Job::compress ? ", compress" : ", decompress") + ", threads " +
                 std::to_string(threads));
    Bytes full;
    int writes = 0, reads = 0;
    ASSERT_TRUE(run(job, input, co, threads, -1, -1, &full, &writes, &reads).ok());
    ASSERT_GT(writes, 0);
    std::printf("  %s, %s, %u threads: %d writes and %d reads, each failed in turn\n", what,
                job == Job::compress ? "compress" : "decompress", threads, writes, reads);
    for (int k = 0; k < writes + reads; ++k) {
      const bool write_fault = k < writes;
      Bytes out;
      int w = 0, r = 0;
      const Status st =
          run(job, input, co, threads, write_fault ? k : -1, write_fault ? -1 : k - writes, &out, &w, &r);
      EXPECT_EQ(st.code(), ErrorCode::io) << (write_fault ? "write " : "read ") << k;
      EXPECT_NE(st.message().find(kInjected), std::string::npos) << st.message();
      EXPECT_TRUE(out.size() <= full.size() && std::equal(out.begin(), out.end(), full.begin()))
          << "not a prefix of the output, fault at " << (write_fault ? "write " : "read ") << k;
    }
  }
}

TEST(FaultInjection, EveryWriteAndReadOfACompression) {
  CompressOptions plain = media_options();
  plain.chunk_size = 4096;
  every_fault(Job::compress, text_like(20000, 1), plain, "plain");
  CompressOptions adaptive = plain;
  adaptive.adaptive = true;
  every_fault(Job::compress, text_like(20000, 2), adaptive, "adaptive");
  every_fault(Job::compress, make_wav(2, 16, 3000), media_options(), "wav");
}

TEST(FaultInjection, EveryWriteAndReadOfADecompression) {
  CompressOptions plain = media_options();
  plain.chunk_size = 4096;
  const Bytes text = text_like(20000, 3);
  every_fault(Job::decompress, compress_media_with(text, plain).lmz, plain, "plain");
  CompressOptions adaptive = plain;
  adaptive.adaptive = true;
  every_fault(Job::decompress, compress_media_with(text, adaptive).lmz, adaptive, "adaptive");
  every_fault(Job::decompress, compress_media(make_wav(2, 16, 3000)).lmz, media_options(), "wav");
}

// A source that hands out 1 to 7 bytes a call, as a pipe may.
class TrickleSource final : public ByteSource {
 public:
  explicit TrickleSource(std::span<const uint8_t> data) : inner_(data) {}
  Status read(std::span<uint8_t> buf, size_t* got) override {
    const size_t n = std::min<size_t>(buf.size(), 1 + calls_++ % 7);
    return inner_.read(buf.first(n), got);
  }

 private:
  MemorySource inner_;
  size_t calls_ = 0;
};

TEST(FaultInjection, ShortReadsChangeNothing) {
  CompressOptions adaptive = media_options();
  adaptive.adaptive = true;
  for (const auto& [input, co] : {std::pair{text_like(20000, 4), media_options()}, std::pair{text_like(9000, 5), adaptive},
                                  std::pair{make_wav(2, 16, 3000), media_options()}}) {
    const Bytes lmz = compress_media_with(input, co).lmz;
    TrickleSource src(input);
    MemorySink sink;
    ASSERT_TRUE(compress(src, sink, co));
    EXPECT_EQ(sink.bytes(), lmz);
    TrickleSource lmz_src(lmz);
    MemorySink out;
    DecompressOptions o;
    o.resolve = media_test_resolver();
    ASSERT_TRUE(decompress(lmz_src, out, o));
    EXPECT_EQ(out.bytes(), input);
  }
}

std::atomic<int> interrupts{0};
void on_interrupt(int) { interrupts.fetch_add(1); }

// A signal whose handler does not restart system calls interrupts the reads
// and writes of a pipe (EINTR): FileSource and FileSink try again.
TEST(FaultInjection, InterruptedReadsAndWritesAreRetried) {
  struct sigaction action {}, old {};
  action.sa_handler = on_interrupt;
  sigemptyset(&action.sa_mask);
  action.sa_flags = 0;  // no SA_RESTART
  ASSERT_EQ(sigaction(SIGUSR1, &action, &old), 0);
  const auto old_pipe = signal(SIGPIPE, SIG_IGN);
  const Bytes data = random_bytes(1 << 20, 9);
  interrupts = 0;
  // On a busy machine one transfer may end before many signals land: repeat
  // it (each must be exact) until enough interrupts have been taken.
  for (int attempt = 0; attempt < 50 && interrupts.load() <= 10; ++attempt) {
    int fds[2];
    ASSERT_EQ(pipe(fds), 0);
    std::FILE* r = fdopen(fds[0], "rb");
    std::FILE* w = fdopen(fds[1], "wb");
    setvbuf(w, nullptr, _IONBF, 0);  // every write a system call
    Status write_status, read_status;
    Bytes got(data.size() + 1);
    size_t n = 0;
    std::atomic<bool> done{false};
    // The writer fills the pipe faster than the reader empties it (blocking,
    // interrupted); the reader waits on an empty pipe between pieces (blocking,
    // interrupted).
    std::thread writer([&] {
      FileSink sink(w, "the pipe");
      for (size_t at = 0; at < data.size() && write_status; at += 65536)
        write_status = sink.write({data.data() + at, 65536});
      std::fclose(w);
    });
    std::thread reader([&] {
      FileSource src(r, "the pipe");
      read_status = read_full(src, got, &n);
      std::fclose(r);  // a reader that gave up stops the writer too (EPIPE)
      done = true;
    });
    while (!done) {
      pthread_kill(writer.native_handle(), SIGUSR1);
      pthread_kill(reader.native_handle(), SIGUSR1);
      std::this_thread::sleep_for(std::chrono::microseconds(200));
    }
    writer.join();
    reader.join();
    EXPECT_TRUE(write_status) << write_status.message();
    EXPECT_TRUE(read_status) << read_status.message();
    got.resize(n);
    EXPECT_EQ(got, data);
  }
  sigaction(SIGUSR1, &old, nullptr);
  signal(SIGPIPE, old_pipe);
  EXPECT_GT(interrupts.load(), 10);
}

}  // namespace
}  // namespace lmzip::test
