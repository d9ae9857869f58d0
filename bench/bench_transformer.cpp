// Transformer engine throughput on the paper's three shapes (4 layers,
// context 2048, d = 64/128/256, heads 4/4/8, f = 4d; random weights), and the
// fraction of this machine's single-core FP32 FMA peak it reaches. The peak is
// measured in the same run by an FMA-bound micro-kernel (the roofline).
//
//   build-engine/bench_transformer                      # all
//   build-engine/bench_transformer --benchmark_filter=Encode
//   LMZIP_KERNELS=avx2 build-engine/bench_transformer  # another kernel path
//
// Counters: bytes_per_second (input bytes modelled), GFLOPS (useful flops:
// matmuls + attention over the causal window; masked-out work not counted),
// pct_peak (GFLOPS / single-thread peak; for threads > 1, / (threads * peak)).
#include <benchmark/benchmark.h>
#include <immintrin.h>

#include <time.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <vector>

#include "kernels/kernels.h"
#include "roofline.h"
#include "transformer/transformer.h"
#include "common/thread_pool.h"

namespace lmzip {
namespace {

constexpr int kChunk = 2048;

struct Shape {
  uint32_t d, heads, window;
};
// The paper's three (full causal attention over the 2048-byte chunk), then the
// three with the 256-position sliding window of the shipped models.
constexpr Shape kShapes[] = {{64, 4, 2048}, {128, 4, 2048}, {256, 8, 2048},
                             {256, 8, 256},  {64, 4, 256},   {128, 4, 256}};
constexpr int kShapeCount = int(sizeof kShapes / sizeof kShapes[0]);

std::shared_ptr<const TransformerModel> shape_model(int s) {
  static std::shared_ptr<const TransformerModel> cache[kShapeCount];
  if (!cache[s]) {
    RandomModelOptions o;
    o.d = kShapes[s].d;
    o.heads = kShapes[s].heads;
    o.layers = 4;
    o.context_length = kChunk;
    o.window = kShapes[s].window;
    o.seed = 7;
    auto bytes = gguf::gguf_serialize(transformer_random_gguf(o));
    cache[s] = *transformer_model_parse(bytes, "bench");
  }
  return cache[s];
}

std::vector<uint32_t> chunk_bytes(size_t n, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<uint32_t> v(n);
  for (auto& x : v) x = uint32_t(32 + rng() % 95);
  return v;
}

// Useful flops to model positions [0, n) of one chunk.
double chunk_flops(const TransformerConfig& c, int n) {
  const double d = c.d, f = c.ffn;
  double per_pos = c.layers * 2.0 * (4 * d * d + 2 * d * f) + 2.0 * 256 * d;
  double att = 0;
  for (int t = 0; t < n; ++t) att += std::min<double>(t + 1, c.window);
  return per_pos * n + c.layers * 4.0 * d * att;  // q.k and e.v: 2 flops each per (key, dim)
}

// ---- roofline: bench/roofline.h ----------------------------------------------
using bench::peak_gflops;

void BM_Peak(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(peak_gflops());
  state.counters["peak_GFLOPS"] = peak_gflops();
}
BENCHMARK(BM_Peak)->Iterations(1)->Unit(benchmark::kMillisecond);

void report(benchmark::State& state, double flops, double bytes, int threads) {
  state.SetBytesProcessed(int64_t(bytes));
  state.counters["GFLOPS"] = benchmark::Counter(flops / 1e9, benchmark::Counter::kIsRate);
  state.counters["peak_GFLOPS"] = peak_gflops() * threads;
  state.counters["pct_peak"] =
      benchmark::Counter(flops / 1e9 / (peak_gflops() * threads) * 100.0, benchmark::Counter::kIsRate);
}

// Encoding: predict_batch over a whole 2048-byte chunk (one thread; the codec
// runs one chunk per thread).
void BM_Encode(benchmark::State& state) {
  auto m = shape_model(int(state.range(0)));
  auto p = m->make_predictor();
  auto chunk = chunk_bytes(kChunk, 1);
  std::vector<uint32_t> freqs(size_t(kChunk) * 256), totals(kChunk);
  for (auto _ : state) {
    p->reset();
    p->predict_batch(chunk, freqs.data(), totals.data());
  }
  report(state, chunk_flops(m->config(), kChunk) * double(state.iterations()),
         double(kChunk) * double(state.iterations()), 1);
  state.SetLabel(std::string("d=") + std::to_string(m->config().d) + " W=" +
                 std::to_string(m->config().window) + " " + kernels().name);
}
BENCHMARK(BM_Encode)->DenseRange(0, kShapeCount - 1)->Unit(benchmark::kMillisecond)->MinTime(1.0);

// Decoding, lanes: B chunks of 2048 bytes advanced together, `threads` threads.
void BM_DecodeLanes(benchmark::State& state) {
  auto m = shape_model(int(state.range(0)));
  const unsigned B = unsigned(state.range(1)), threads = unsigned(state.range(2));
  ThreadPool pool(threads);
  auto ls = m->make_predictor_lanes(B, &pool);
  std::vector<std::vector<uint32_t>> chunks;
  for (unsigned b = 0; b < B; ++b) chunks.push_back(chunk_bytes(kChunk, b));
  std::vector<uint32_t> freqs(size_t(B) * 256), totals(B), syms(B);
  for (auto _ : state) {
    ls->reset(B);
    for (int i = 0; i < kChunk; ++i) {
      ls->predict(freqs.data(), totals.data());
      for (unsigned b = 0; b < B; ++b) syms[b] = chunks[b][size_t(i)];
      ls->update(syms);
    }
  }
  const double it = double(state.iterations());
  report(state, chunk_flops(m->config(), kChunk) * B * it, double(kChunk) * B * it, int(threads));
  state.SetLabel(std::string("d=") + std::to_string(m->config().d) + " W=" +
                 std::to_string(m->config().window) + " B=" + std::to_string(B) +
                 " threads=" + std::to_string(threads));
}
BENCHMARK(BM_DecodeLanes)
    ->Args({0, 16, 1})->Args({1, 16, 1})
    ->Args({2, 16, 1})->Args({2, 32, 2})
    ->Args({3, 16, 1})->Args({3, 32, 1})->Args({3, 64, 1})
    ->Args({4, 16, 1})->Args({5, 16, 1})->Args({5, 32, 1})
    ->Unit(benchmark::kMillisecond)->Iterations(1);

// Decoding one chunk with one Predictor, step by step (the codec's per-chunk path).
void BM_DecodeStepwise(benchmark::State& state) {
  auto m = shape_model(int(state.range(0)));
  auto p = m->make_predictor();
  auto chunk = chunk_bytes(kChunk, 1);
  std::vector<uint32_t> freq(256);
  for (auto _ : state) {
    p->reset();
    for (int i = 0; i < kChunk; ++i) {
      p->predict(freq.data());
      p->update(chunk[size_t(i)]);
    }
  }
  report(state, chunk_flops(m->config(), kChunk) * double(state.iterations()),
         double(kChunk) * double(state.iterations()), 1);
  state.SetLabel(std::string("d=") + std::to_string(m->config().d) + " W=" +
                 std::to_string(m->config().window));
}
BENCHMARK(BM_DecodeStepwise)->DenseRange(0, kShapeCount - 1)->Unit(benchmark::kMillisecond)->Iterations(1);

}  // namespace
}  // namespace lmzip

int main(int argc, char** argv) {
  // The library reads no environment variable; its programs pass the path on.
  if (const char* env = std::getenv("LMZIP_KERNELS"); env && *env && !lmzip::kernels_select(env))
    std::fprintf(stderr, "bench_transformer: no %s kernels here, running %s\n", env, lmzip::kernels().name);
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
