#include "baseline.h"

namespace lmzip::harness {

std::vector<std::unique_ptr<Baseline>> baseline_classical_all() {
  std::vector<std::unique_ptr<Baseline>> all;
  all.push_back(baseline_gzip());
  all.push_back(baseline_lzma(6, false));
  all.push_back(baseline_lzma(9, true));
  all.push_back(baseline_zstd());
  all.push_back(baseline_bzip2());
  all.push_back(baseline_brotli());
  all.push_back(baseline_png(true));
  all.push_back(baseline_png(false));
  all.push_back(baseline_flac());
  all.push_back(baseline_jxl());
  all.push_back(baseline_webp());
  return all;
}

}  // namespace lmzip::harness
