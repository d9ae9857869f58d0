// A llama-shaped model of about 100M parameters with random weights (d 768,
// 10 layers, 12 heads, 4 kv heads, ffn 2048, vocabulary 32000), in Q8_0 and
// F16: tokens/s and bytes/s encoding (a chunk's tokens in segments, the
// encoder's way) and decoding (one token at a time with the KV cache), one
// chunk per thread as the codec runs them (-T), against this machine's limits
// measured in the same run: the FP32 FMA peak of one core and the memory
// bandwidth of a streaming read by as many threads. A decoding step reads every weight once, so
// bandwidth / weight bytes is its speed limit; encoding is bound by compute.
//
//   build/bench_llm                        # all
//   build/bench_llm --benchmark_filter=Q8  # one type
#include <benchmark/benchmark.h>
#include <immintrin.h>
#include <unistd.h>
#include <time.h>

#include <atomic>
#include <chrono>
#include <map>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <thread>
#include <vector>

#include "kernels/kernels.h"
#include "roofline.h"
#include "lmzip/llm.h"
#include "lmzip/model.h"

namespace lmzip {
namespace {

constexpr int kTokens = 256;  // a chunk of 512 to 1024 bytes of text, in tokens

struct Built {
  std::shared_ptr<const Model> model;
  double weight_bytes = 0;   // bytes a decoding step reads (the matrices as the engine holds them)
  double flops_per_token = 0;
  double bytes_per_token = 0;  // text bytes per token of this vocabulary on enwik6's first 64 KiB
};

std::map<std::string, Built>& cache() {
  static std::map<std::string, Built> c;
  return c;
}
void cache_drop(const std::string& type) { cache().erase(type); }

const Built& model_of(const std::string& type) {
  auto& cache = lmzip::cache();
  auto it = cache.find(type);
  if (it != cache.end()) return it->second;
  LlmRandomSpec s;
  s.d = 768, s.layers = 10, s.heads = 12, s.kv_heads = 4, s.ffn = 2048, s.vocab = 32000, s.type = type;
  const std::string path = std::filesystem::temp_directory_path() / ("lmzip-bench-llm-" + type + ".gguf");
  if (Status st = model_random_llm_write(s, path); !st) {
    std::fprintf(stderr, "bench_llm: %s\n", st.message().c_str());
    std::exit(1);
  }
  auto m = model_open(path);
  std::filesystem::remove(path);  // mapped: the pages stay until the model goes
  if (!m) {
    std::fprintf(stderr, "bench_llm: %s\n", m.status().message().c_str());
    std::exit(1);
  }
  Built b;
  b.model = *m;
  const double matmul_params = double((*m)->info().parameters) - double(s.d) * s.vocab;  // the embedding is a lookup
  b.flops_per_token = 2.0 * matmul_params;
  const double bytes_per_weight = type == "q8_0"                    ? 34.0 / 32
                                  : type == "q4_0"                  ? 18.0 / 32
                                  : type == "f16" || type == "bf16" ? 2.0
                                                                    : 4.0;
  b.weight_bytes = matmul_params * bytes_per_weight;  // as the engine holds them
  std::ifstream f(std::string(LMZIP_DATA_DIR) + "/text/enwik/enwik6", std::ios::binary);
  std::vector<uint8_t> text(64 << 10);
  f.read(reinterpret_cast<char*>(text.data()), std::streamsize(text.size()));
  text.resize(size_t(f.gcount()));
  std::vector<Symbol> ids;
  b.bytes_per_token = (*m)->token_text()->tokens(text, ids) ? double(text.size()) / double(ids.size()) : 0;
  return cache[type] = b;
}

std::vector<Symbol> chunk_ids(int n, uint64_t seed) {
  std::vector<Symbol> v(static_cast<size_t>(n));
  for (auto& x : v) x = Symbol(300 + (seed = seed * 6364136223846793005ull + 1442695040888963407ull) % 31000);
  return v;
}

using bench::peak_gflops;

// Streaming read bandwidth of `threads` cores together, GB/s (best of 5
// passes over 1 GiB, each thread reading its own part).
double bandwidth_gbs(unsigned threads) {
  static std::map<unsigned, double> measured;
  if (auto it = measured.find(threads); it != measured.end()) return it->second;
  std::vector<uint64_t> buf(size_t(1) << 27, 1);
  double best = 0;
  for (int rep = 0; rep < 5; ++rep) {
    const auto t0 = std::chrono::steady_clock::now();
    std::vector<std::thread> pool;
    for (unsigned t = 0; t < threads; ++t)
      pool.emplace_back([&, t] {
        const size_t begin = buf.size() / threads * t, end = buf.size() / threads * (t + 1);
        uint64_t s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        for (size_t i = begin; i + 3 < end; i += 4) s0 += buf[i], s1 += buf[i + 1], s2 += buf[i + 2], s3 += buf[i + 3];
        benchmark::DoNotOptimize(s0 + s1 + s2 + s3);
      });
    for (auto& th : pool) th.join();
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    best = std::max(best, double(buf.size()) * 8 / s / 1e9);
  }
  return measured[threads] = best;
}

void BM_Limits(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(peak_gflops() + bandwidth_gbs(1) + bandwidth_gbs(2));
  state.counters["peak_GFLOPS"] = peak_gflops();
  state.counters["read_GBps_1"] = bandwidth_gbs(1);
  state.counters["read_GBps_2"] = bandwidth_gbs(2);
}
BENCHMARK(BM_Limits)->Iterations(1)->Unit(benchmark::kMillisecond);

// decode: the share of the read bandwidth the weights take, each weight read
// serving `lanes` tokens.
void report(benchmark::State& state, const Built& b, double tokens, double seconds, unsigned threads, bool decode,
            double lanes = 1) {
  const double tps = tokens / seconds;
  state.counters["tokens_per_s"] = tps;
  state.counters["bytes_per_s"] = tps * b.bytes_per_token;
  state.counters["GFLOPS"] = tps * b.flops_per_token / 1e9;
  state.counters["pct_peak"] = 100.0 * tps * b.flops_per_token / 1e9 / (peak_gflops() * threads);
  if (decode) state.counters["pct_bandwidth"] = 100.0 * tps * b.weight_bytes / lanes / 1e9 / bandwidth_gbs(threads);
  // Resident memory now (not the high-water mark, which the bandwidth
  // measurement's buffer would set): the models built so far and their predictors.
  long pages = 0, resident = 0;
  if (FILE* f = std::fopen("/proc/self/statm", "r")) {
    if (std::fscanf(f, "%ld %ld", &pages, &resident) != 2) resident = 0;
    std::fclose(f);
  }
  state.counters["rss_MiB"] = double(resident) * double(sysconf(_SC_PAGESIZE)) / double(1 << 20);
}

// Each of `threads` threads codes its own chunk of kTokens tokens (the codec's
// -T): encoding with predict_batch, decoding step by step.
void run(benchmark::State& state, const std::string& type, bool decode) {
  const Built& b = model_of(type);
  static std::string built_last;  // one model resident at a time, so rss_MiB is this one's
  if (built_last != type) {
    if (!built_last.empty()) cache_drop(built_last);
    built_last = type;
  }
  const unsigned threads = unsigned(state.range(0));
  std::vector<std::unique_ptr<Predictor>> ps;
  for (unsigned t = 0; t < threads; ++t) ps.push_back(b.model->make_predictor());
  const size_t V = size_t(b.model->info().alphabet);
  double seconds = 0, tokens = 0;
  for (auto _ : state) {
    const auto t0 = std::chrono::steady_clock::now();
    std::vector<std::thread> pool;
    for (unsigned t = 0; t < threads; ++t) {
      pool.emplace_back([&, t] {
        const auto ids = chunk_ids(kTokens, t + 1);
        Predictor& p = *ps[t];
        p.reset();
        if (decode) {
          std::vector<uint32_t> f(V);
          for (int i = 0; i < kTokens; ++i) {
            p.predict(f.data());
            p.update(ids[size_t(i)]);
          }
        } else {
          std::vector<uint32_t> f(64 * V), totals(64);
          for (int i = 0; i < kTokens; i += 64) p.predict_batch({ids.data() + i, 64}, f.data(), totals.data());
        }
      });
    }
    for (auto& th : pool) th.join();
    seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    tokens += double(kTokens) * threads;
  }
  report(state, b, tokens, seconds, threads, decode);
  state.SetLabel(type + " " + std::to_string(b.model->info().parameters / 1000000) + "M params, " +
                 std::to_string(threads) + " thread(s), " + kernels().name);
}

// Decoding B chunks in lockstep on one thread (lmzip -d's lanes): each
// weight read serves B tokens.
void lockstep(benchmark::State& state, const std::string& type) {
  const Built& b = model_of(type);
  const size_t B = size_t(state.range(0)), V = size_t(b.model->info().alphabet);
  auto p = b.model->make_predictor_lanes(B);
  std::vector<std::vector<Symbol>> ids;
  for (size_t i = 0; i < B; ++i) ids.push_back(chunk_ids(kTokens, i + 1));
  std::vector<uint32_t> f(B * V), totals(B);
  std::vector<Symbol> step(B);
  double seconds = 0, tokens = 0;
  for (auto _ : state) {
    const auto t0 = std::chrono::steady_clock::now();
    p->reset(B);
    for (int i = 0; i < kTokens; ++i) {
      p->predict(f.data(), totals.data());
      for (size_t l = 0; l < B; ++l) step[l] = ids[l][size_t(i)];
      p->update(step);
    }
    seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    tokens += double(kTokens) * double(B);
  }
  report(state, b, tokens, seconds, 1, true, double(B));
  state.SetLabel(type + " lockstep B=" + std::to_string(B) + ", 1 thread, " + kernels().name);
}

void BM_EncodeQ8(benchmark::State& s) { run(s, "q8_0", false); }
void BM_DecodeLockstepQ8(benchmark::State& s) { lockstep(s, "q8_0"); }
void BM_DecodeLockstepF16(benchmark::State& s) { lockstep(s, "f16"); }
void BM_DecodeQ8(benchmark::State& s) { run(s, "q8_0", true); }
void BM_EncodeF16(benchmark::State& s) { run(s, "f16", false); }
void BM_DecodeF16(benchmark::State& s) { run(s, "f16", true); }
BENCHMARK(BM_EncodeQ8)->Arg(1)->Arg(2)->Iterations(1)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_DecodeQ8)->Arg(1)->Arg(2)->Iterations(1)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_DecodeLockstepQ8)->Arg(16)->Iterations(1)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_EncodeF16)->Arg(1)->Arg(2)->Iterations(1)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_DecodeF16)->Arg(1)->Arg(2)->Iterations(1)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_DecodeLockstepF16)->Arg(16)->Iterations(1)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace lmzip

BENCHMARK_MAIN();
