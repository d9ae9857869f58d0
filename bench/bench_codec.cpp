// Ratio and speed of lmzip's order-2 level next to gzip -9 (zlib) and xz -9
// (liblzma), measured in the same run on the same data. Every codec's output is
// decoded and compared before its numbers count.
//   build/bench_codec [--benchmark_filter=...]   (LMZIP_BENCH_FILES=a:b overrides the data)
#include <benchmark/benchmark.h>
#include <lzma.h>
#include <zlib.h>

#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string>
#include <vector>

#include "lmzip/codec.h"

namespace {

using Bytes = std::vector<uint8_t>;

Bytes file_read(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) throw std::runtime_error("cannot read " + path);
  return Bytes(std::istreambuf_iterator<char>(f), {});
}

Bytes lmzip_encode(const Bytes& in, unsigned threads) {
  lmzip::MemorySource src(in);
  lmzip::MemorySink sink;
  lmzip::CompressOptions o;
  o.model = *lmzip::model_open("order2");
  o.threads = threads;
  if (!lmzip::compress(src, sink, o)) throw std::runtime_error("lmzip compress failed");
  return std::move(sink.bytes());
}
Bytes lmzip_decode(const Bytes& in, unsigned threads) {
  lmzip::MemorySource src(in);
  lmzip::MemorySink sink;
  lmzip::DecompressOptions o;
  o.threads = threads;
  if (!lmzip::decompress(src, sink, o)) throw std::runtime_error("lmzip decompress failed");
  return std::move(sink.bytes());
}

Bytes gzip_encode(const Bytes& in) {
  uLongf n = compressBound(in.size());
  Bytes out(n);
  if (compress2(out.data(), &n, in.data(), in.size(), 9) != Z_OK) throw std::runtime_error("zlib");
  out.resize(n);
  return out;
}
Bytes gzip_decode(const Bytes& in, size_t size) {
  Bytes out(size);
  uLongf n = size;
  if (uncompress(out.data(), &n, in.data(), in.size()) != Z_OK) throw std::runtime_error("zlib");
  out.resize(n);
  return out;
}

Bytes xz_encode(const Bytes& in) {
  Bytes out(lzma_stream_buffer_bound(in.size()));
  size_t pos = 0;
  if (lzma_easy_buffer_encode(9, LZMA_CHECK_CRC64, nullptr, in.data(), in.size(), out.data(), &pos,
                              out.size()) != LZMA_OK)
    throw std::runtime_error("lzma");
  out.resize(pos);
  return out;
}
Bytes xz_decode(const Bytes& in, size_t size) {
  Bytes out(size);
  uint64_t memlimit = UINT64_MAX;
  size_t in_pos = 0, out_pos = 0;
  if (lzma_stream_buffer_decode(&memlimit, 0, nullptr, in.data(), &in_pos, in.size(), out.data(),
                                &out_pos, out.size()) != LZMA_OK)
    throw std::runtime_error("lzma");
  return out;
}

enum class Codec { lmzip_order2, gzip9, xz9 };

Bytes encode(Codec c, const Bytes& in) {
  switch (c) {
    case Codec::lmzip_order2: return lmzip_encode(in, 1);
    case Codec::gzip9: return gzip_encode(in);
    case Codec::xz9: return xz_encode(in);
  }
  return {};
}
Bytes decode(Codec c, const Bytes& in, size_t size) {
  switch (c) {
    case Codec::lmzip_order2: return lmzip_decode(in, 1);
    case Codec::gzip9: return gzip_decode(in, size);
    case Codec::xz9: return xz_decode(in, size);
  }
  return {};
}

void bench_encode(benchmark::State& state, Codec c, std::string path) {
  const Bytes in = file_read(path);
  Bytes z;
  for (auto _ : state) z = encode(c, in);
  if (decode(c, z, in.size()) != in) state.SkipWithError("round trip failed");
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * in.size()));
  state.counters["ratio_%"] = 100.0 * static_cast<double>(z.size()) / static_cast<double>(in.size());
  state.counters["bytes_out"] = static_cast<double>(z.size());
}

void bench_decode(benchmark::State& state, Codec c, std::string path) {
  const Bytes in = file_read(path);
  const Bytes z = encode(c, in);
  Bytes out;
  for (auto _ : state) out = decode(c, z, in.size());
  if (out != in) state.SkipWithError("round trip failed");
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * in.size()));
}

void register_all() {
  std::vector<std::string> files = {std::string(LMZIP_DATA_DIR) + "/text/enwik/enwik6",
                                    std::string(LMZIP_DATA_DIR) + "/text/books/dickens.txt"};
  if (const char* env = std::getenv("LMZIP_BENCH_FILES")) {
    files.clear();
    std::string s = env;
    for (size_t a = 0, b; a <= s.size(); a = b + 1) {
      b = s.find(':', a);
      if (b == std::string::npos) b = s.size();
      if (b > a) files.push_back(s.substr(a, b - a));
    }
  }
  const std::pair<Codec, const char*> codecs[] = {
      {Codec::gzip9, "gzip-9"}, {Codec::xz9, "xz-9"}, {Codec::lmzip_order2, "lmzip-order2"}};
  for (const auto& f : files) {
    const std::string base = f.substr(f.find_last_of('/') + 1);
    for (const auto& [c, name] : codecs) {
      benchmark::RegisterBenchmark(("encode/" + std::string(name) + "/" + base).c_str(), bench_encode, c, f)
          ->Unit(benchmark::kMillisecond)->MinTime(0.5);
      benchmark::RegisterBenchmark(("decode/" + std::string(name) + "/" + base).c_str(), bench_decode, c, f)
          ->Unit(benchmark::kMillisecond)->MinTime(0.5);
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  register_all();
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
