// The adaptive stage alone (no network) next to xz -9e, measured in the same
// run: for each file, the ideal code size of the whole file as one block (the
// sum of -log2 p over its bits, in bytes) and xz's output size, with the CPU
// speed of both, then the totals. A measuring program, not a timed test.
//   build/bench_adaptive FILE...
#include <lzma.h>

#include <cmath>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "adaptive/adaptive_model.h"

namespace {

using Bytes = std::vector<uint8_t>;

double cpu_seconds() { return double(std::clock()) / CLOCKS_PER_SEC; }

// Ideal code length in bits of `data` coded by a fresh adaptive stage.
double adaptive_bits(lmzip::AdaptiveModel& m, const Bytes& data) {
  m.reset(uint32_t(data.size()), 1);
  double bits = 0;
  for (uint8_t c : data) {
    m.byte_begin(0, nullptr);
    for (int i = 7; i >= 0; --i) {
      const int bit = (c >> i) & 1;
      const double p1 = m.p1() / 65536.0;
      bits -= std::log2(bit ? p1 : 1.0 - p1);
      m.update(bit);
    }
  }
  return bits;
}

size_t xz_size(const Bytes& data) {
  std::vector<uint8_t> out(lzma_stream_buffer_bound(data.size()));
  size_t pos = 0;
  if (lzma_easy_buffer_encode(9 | LZMA_PRESET_EXTREME, LZMA_CHECK_CRC64, nullptr, data.data(), data.size(), out.data(),
                              &pos, out.size()) != LZMA_OK)
    return 0;
  return pos;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s FILE...\n", argv[0]);
    return 2;
  }
  lmzip::AdaptiveModel model(lmzip::kAdaptiveStageDefault);
  std::printf("%-36s %10s %10s %7s %10s %7s %9s %9s\n", "file", "bytes", "adaptive", "%", "xz-9e", "%", "cm MB/s",
              "xz MB/s");
  double tot_in = 0, tot_cm = 0, tot_xz = 0, tot_cm_s = 0, tot_xz_s = 0;
  for (int i = 1; i < argc; ++i) {
    std::ifstream f(argv[i], std::ios::binary);
    if (!f) {
      std::fprintf(stderr, "cannot read %s\n", argv[i]);
      return 1;
    }
    const Bytes data((std::istreambuf_iterator<char>(f)), {});
    double t0 = cpu_seconds();
    const double cm = adaptive_bits(model, data) / 8;
    const double cm_s = cpu_seconds() - t0;
    t0 = cpu_seconds();
    const double xz = double(xz_size(data));
    const double xz_s = cpu_seconds() - t0;
    const double n = double(data.size());
    std::string name = argv[i];
    if (name.size() > 36) name = name.substr(name.size() - 36);
    std::printf("%-36s %10.0f %10.0f %6.2f%% %10.0f %6.2f%% %9.2f %9.2f\n", name.c_str(), n, cm, 100 * cm / n, xz,
                100 * xz / n, n / 1e6 / cm_s, n / 1e6 / xz_s);
    std::fflush(stdout);
    tot_in += n;
    tot_cm += cm;
    tot_xz += xz;
    tot_cm_s += cm_s;
    tot_xz_s += xz_s;
  }
  std::printf("%-36s %10.0f %10.0f %6.2f%% %10.0f %6.2f%% %9.2f %9.2f\n", "total", tot_in, tot_cm,
              100 * tot_cm / tot_in, tot_xz, 100 * tot_xz / tot_in, tot_in / 1e6 / tot_cm_s, tot_in / 1e6 / tot_xz_s);
  std::printf("adaptive / xz -9e: %.3f   CPU seconds: adaptive %.2f, xz %.2f\n", tot_cm / tot_xz, tot_cm_s, tot_xz_s);
  return 0;
}
