#include "train_data.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "train_layers.h"

namespace lmzip::train {

Result<SourceSpec> parse_source_spec(const std::string& spec) {
  SourceSpec s;
  s.path = spec;
  auto colon = spec.rfind(':');
  if (colon != std::string::npos) {
    std::string w = spec.substr(colon + 1);
    char* end = nullptr;
    errno = 0;
    double v = std::strtod(w.c_str(), &end);
    if (!w.empty() && end && *end == '\0' && errno == 0) {
      if (!(v > 0) || !std::isfinite(v))
        return Status(ErrorCode::invalid_argument, "data weight must be a positive number: " + spec);
      s.path = spec.substr(0, colon);
      s.weight = v;
    }
  }
  if (s.path.empty()) return Status(ErrorCode::invalid_argument, "empty data path in '" + spec + "'");
  return s;
}

Status DataLoader::add_file(const std::string& path, double weight, int window) {
  auto bytes = file_read_all(path);
  if (!bytes) return bytes.status();
  std::vector<uint8_t> tags;
  if (std::filesystem::exists(path + ".tags")) {
    auto t = file_read_all(path + ".tags");
    if (!t) return t.status();
    tags = std::move(*t);
  }
  return add_bytes(std::filesystem::path(path).filename().string(), std::move(*bytes), weight, window,
                   std::move(tags));
}

Status DataLoader::add_bytes(const std::string& name, std::vector<uint8_t> bytes, double weight,
                             int window, std::vector<uint8_t> tags) {
  if (!tags.empty() && tags.size() != bytes.size())
    return Status(ErrorCode::invalid_argument, name + ": " + std::to_string(tags.size()) + " tags for " +
                                                   std::to_string(bytes.size()) + " bytes");
  return add_source({name, std::move(bytes), weight, std::move(tags), {}, 0}, window);
}

Status DataLoader::add_ids(const std::string& name, std::vector<uint16_t> ids, uint64_t bytes, double weight,
                           int window) {
  return add_source({name, {}, weight, {}, std::move(ids), bytes}, window);
}

Status DataLoader::add_source(Source src, int window) {
  if (!(src.weight > 0) || !std::isfinite(src.weight))
    return Status(ErrorCode::invalid_argument, "weight of " + src.name + " must be positive");
  const size_t n = src.ids.empty() ? src.bytes.size() : src.ids.size();
  const char* unit = src.ids.empty() ? "byte" : "token";
  if (window < 1 || n < size_t(window))
    return Status(ErrorCode::invalid_argument, src.name + " has " + std::to_string(n) + " " + unit +
                                                   "s, fewer than one " + std::to_string(window) + "-" + unit +
                                                   " training window");
  cumulative_.push_back((cumulative_.empty() ? 0.0 : cumulative_.back()) + src.weight);
  sources_.push_back(std::move(src));
  return Status::success();
}

uint64_t DataLoader::total_bytes() const {
  uint64_t n = 0;
  for (const auto& s : sources_) n += s.ids.empty() ? s.bytes.size() : s.text_bytes;
  return n;
}

double DataLoader::bytes_per_symbol() const {
  double w = 0, b = 0;
  for (const auto& s : sources_) {
    w += s.weight;
    b += s.weight * (s.ids.empty() ? 1.0 : double(s.text_bytes) / double(s.ids.size()));
  }
  return w > 0 ? b / w : 1.0;
}

std::string DataLoader::summary() const {
  std::string out;
  const double total = cumulative_.empty() ? 1.0 : cumulative_.back();
  for (const auto& s : sources_) {
    if (!out.empty()) out += ", ";
    char share[32];
    std::snprintf(share, sizeof share, "%.1f%%", 100.0 * s.weight / total);
    out += s.name + " (" + std::to_string(s.ids.empty() ? s.bytes.size() : s.text_bytes) + " B" +
           (s.ids.empty() ? "" : ", " + std::to_string(s.ids.size()) + " tokens") + ", " + share + ")";
  }
  return out;
}

int DataLoader::max_tag() const {
  int m = 0;
  for (const auto& s : sources_)
    for (uint8_t t : s.tags) m = std::max(m, int(t));
  return m;
}

void DataLoader::sample(Rng& rng, int B, int T, int* inputs, int* targets, int tag_count) const {
  if (sources_.empty()) return;
  for (int b = 0; b < B; ++b) {
    double u = rng.uniform() * cumulative_.back();
    size_t k = size_t(std::upper_bound(cumulative_.begin(), cumulative_.end(), u) - cumulative_.begin());
    if (k >= sources_.size()) k = sources_.size() - 1;
    const Source& src = sources_[k];
    const size_t n = src.ids.empty() ? src.bytes.size() : src.ids.size();
    auto symbol = [&](size_t i) { return src.ids.empty() ? int(src.bytes[i]) : int(src.ids[i]); };
    // Windows shorter than T (only if T exceeds the window the source was
    // checked against) are padded by repeating the file; never read past it.
    const size_t avail = n >= size_t(T) ? n - T + 1 : 1;
    const size_t off = size_t(rng.below(avail));
    int* in = inputs + size_t(b) * T;
    int* tg = targets + size_t(b) * T;
    for (int t = 0; t < T; ++t) {
      tg[t] = symbol((off + t) % n);
      in[t] = t == 0 ? 256 * tag_count : tg[t - 1] + 256 * (src.tags.empty() ? 0 : int(src.tags[(off + t) % n]));
    }
  }
}

std::vector<std::pair<size_t, int>> eval_chunks(const EvalSet& set) {
  std::vector<std::pair<size_t, int>> out;
  if (set.chunk < 1 || set.bytes.empty()) return out;
  const size_t n = set.bytes.size(), c = size_t(set.chunk);
  const size_t full = n / c;
  if (set.max_chunks <= 0 || size_t(set.max_chunks) >= (n + c - 1) / c) {
    for (size_t off = 0; off < n; off += c) out.push_back({off, int(std::min(c, n - off))});
    return out;
  }
  const size_t k = std::min(size_t(set.max_chunks), full);
  for (size_t i = 0; i < k; ++i) out.push_back({(i * full / k) * c, int(c)});
  return out;
}

}  // namespace lmzip::train
