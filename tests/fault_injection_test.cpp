// I/O faults injected at every call (issue 15, the reliability campaign): a
// sink that fails its k-th write (a full disk, EIO) and a source that fails
// its k-th read, for every k a compression or decompression makes, plain,
// adaptive and with a layout, on 1 and 2 threads. The call must return the
// injected error (never crash, never report success), and what reached the
// sink before the fault must be a prefix of the full output.
#include <gtest/gtest.h>

#include <cstdio>

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

}  // namespace
}  // namespace lmzip::test
