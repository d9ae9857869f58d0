#include "train_run.h"

#include <algorithm>
#include <chrono>
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "train_blas.h"

namespace lmzip::train {

namespace {

using Clock = std::chrono::steady_clock;
double seconds_since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

constexpr char kMagic[8] = {'L', 'M', 'Z', 'T', 'R', 'C', 'K', '1'};
constexpr uint32_t kCkptVersion = 2;  // 2: input tags (version 1 is still read)

uint64_t fnv1a(const uint8_t* p, size_t n, uint64_t h = 0xcbf29ce484222325ull) {
  for (size_t i = 0; i < n; ++i) {
    h ^= p[i];
    h *= 0x100000001b3ull;
  }
  return h;
}

class Writer {
 public:
  template <class T>
  void put(const T& v) {
    const auto* p = reinterpret_cast<const uint8_t*>(&v);
    buf.insert(buf.end(), p, p + sizeof(T));
  }
  void put_floats(const std::vector<float>& v) {
    const auto* p = reinterpret_cast<const uint8_t*>(v.data());
    buf.insert(buf.end(), p, p + v.size() * sizeof(float));
  }
  std::vector<uint8_t> buf;
};

class Reader {
 public:
  Reader(const uint8_t* p, size_t n) : p_(p), n_(n) {}
  template <class T>
  bool get(T& v) {
    if (n_ - pos_ < sizeof(T)) return false;
    std::memcpy(&v, p_ + pos_, sizeof(T));
    pos_ += sizeof(T);
    return true;
  }
  bool get_floats(std::vector<float>& v, uint64_t n) {
    if ((n_ - pos_) / sizeof(float) < n) return false;
    v.resize(n);
    std::memcpy(v.data(), p_ + pos_, n * sizeof(float));
    pos_ += n * sizeof(float);
    return true;
  }
  size_t pos() const { return pos_; }

 private:
  const uint8_t* p_;
  size_t n_, pos_ = 0;
};

std::string fmt_duration(double s) {
  if (!std::isfinite(s) || s < 0) return "?";
  char b[32];
  long t = long(s + 0.5);
  if (t >= 3600) std::snprintf(b, sizeof b, "%ldh%02ldm", t / 3600, (t / 60) % 60);
  else if (t >= 60) std::snprintf(b, sizeof b, "%ldm%02lds", t / 60, t % 60);
  else std::snprintf(b, sizeof b, "%lds", t);
  return b;
}

}  // namespace

std::atomic<bool>& stop_requested() {
  static std::atomic<bool> flag{false};
  return flag;
}

// ---- checkpoints -----------------------------------------------------------------

Status save_checkpoint(const TrainState& s, const std::string& path) {
  const uint64_t n = s.params.size();
  if (s.m.size() != n || s.v.size() != n)
    return Status(ErrorCode::internal, "checkpoint state has mismatched array sizes");
  Writer w;
  w.buf.insert(w.buf.end(), kMagic, kMagic + 8);
  w.put(kCkptVersion);
  w.put(int32_t(s.model.d));
  w.put(int32_t(s.model.layers));
  w.put(int32_t(s.model.heads));
  w.put(int32_t(s.model.ffn));
  w.put(int32_t(s.model.window));
  w.put(int32_t(s.model.tags));
  w.put(s.model.rope_base);
  w.put(s.model.eps);
  w.put(int32_t(s.batch));
  w.put(int32_t(s.ctx));
  w.put(int64_t(s.step));
  w.put(uint64_t(s.bytes_seen));
  w.put(double(s.train_seconds));
  for (uint64_t x : s.rng) w.put(x);
  w.put(n);
  w.put_floats(s.params);
  w.put_floats(s.m);
  w.put_floats(s.v);
  w.put(fnv1a(w.buf.data(), w.buf.size()));

  // Written beside the target and renamed over it, so a run killed mid-write
  // leaves the previous checkpoint intact.
  const std::string tmp = path + ".tmp";
  std::FILE* f = std::fopen(tmp.c_str(), "wb");
  if (!f) return Status(ErrorCode::io, "cannot create " + tmp + ": " + std::strerror(errno));
  bool ok = std::fwrite(w.buf.data(), 1, w.buf.size(), f) == w.buf.size();
  ok = (std::fflush(f) == 0) && ok;
  ok = (std::fclose(f) == 0) && ok;
  if (!ok) {
    std::remove(tmp.c_str());
    return Status(ErrorCode::io, "write failed on " + tmp);
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) return Status(ErrorCode::io, "cannot rename " + tmp + " to " + path + ": " + ec.message());
  return Status::success();
}

Result<TrainState> load_checkpoint(const std::string& path) {
  auto bytes = file_read_all(path);
  if (!bytes) return bytes.status();
  const auto& b = *bytes;
  auto corrupt = [&](const std::string& why) {
    return Status(ErrorCode::corrupt, "checkpoint " + path + ": " + why);
  };
  if (b.size() < 8 + 8 || std::memcmp(b.data(), kMagic, 8) != 0) return corrupt("not a trainer checkpoint");
  uint64_t stored;
  std::memcpy(&stored, b.data() + b.size() - 8, 8);
  if (fnv1a(b.data(), b.size() - 8) != stored) return corrupt("checksum mismatch (truncated or damaged)");
  Reader r(b.data() + 8, b.size() - 16);
  TrainState s;
  uint32_t version;
  int32_t d, L, H, F, W, P = 1, batch, ctx;
  int64_t step;
  uint64_t n;
  if (!r.get(version)) return corrupt("truncated header");
  // Version 1 had no input tags field (always 1).
  if (version != kCkptVersion && version != 1) return corrupt("unsupported version " + std::to_string(version));
  if (!(r.get(d) && r.get(L) && r.get(H) && r.get(F) && r.get(W) && (version == 1 || r.get(P)) &&
        r.get(s.model.rope_base) &&
        r.get(s.model.eps) && r.get(batch) && r.get(ctx) && r.get(step) && r.get(s.bytes_seen) &&
        r.get(s.train_seconds)))
    return corrupt("truncated header");
  for (auto& x : s.rng)
    if (!r.get(x)) return corrupt("truncated header");
  if (!r.get(n)) return corrupt("truncated header");
  s.model.d = d;
  s.model.layers = L;
  s.model.heads = H;
  s.model.ffn = F;
  s.model.window = W;
  s.model.tags = P;
  s.batch = batch;
  s.ctx = ctx;
  s.step = step;
  if (Status st = config_validate(s.model); !st) return corrupt("bad model shape: " + st.message());
  // A token model (the tokenization study) has vocab - 256 more output rows, vocab <= 256 * tags.
  const uint64_t extra = n >= s.model.parameters() ? n - s.model.parameters() : 1;
  if (extra % s.model.d != 0 || extra / s.model.d > uint64_t(s.model.bos() - kVocabOut))
    return corrupt("parameter count does not match the model shape");
  s.vocab = kVocabOut + int(extra / s.model.d);
  if (!(r.get_floats(s.params, n) && r.get_floats(s.m, n) && r.get_floats(s.v, n)))
    return corrupt("truncated tensors");
  if (r.pos() != b.size() - 16) return corrupt("trailing bytes");
  return s;
}

// ---- schedule, evaluation ------------------------------------------------------------

double lr_at(const TrainOptions& o, int64_t step) {
  if (o.warmup > 0 && step < o.warmup) return o.lr * double(step + 1) / double(o.warmup);
  const double lo = o.lr * o.min_lr_frac;
  const int64_t span = std::max<int64_t>(1, o.steps - o.warmup);
  const double progress = std::clamp(double(step - o.warmup) / double(span), 0.0, 1.0);
  return lo + 0.5 * (o.lr - lo) * (1.0 + std::cos(M_PI * progress));
}

double eval_bits_per_byte(const std::vector<Model<float>*>& models, const EvalSet& set, int batch) {
  const auto chunks = eval_chunks(set);
  if (chunks.empty() || models.empty()) return 0.0;
  batch = std::max(1, batch);
  // A chunk's symbols: its bytes, or its token ids (the tokenization study).
  const bool tokens = !set.chunk_ids.empty();
  auto length = [&](size_t i) { return tokens ? int(set.chunk_ids[i].size()) : chunks[i].second; };
  // Group consecutive chunks of equal length into (B, T) passes.
  std::vector<std::pair<size_t, size_t>> groups;  // [first, last) chunk indices
  for (size_t i = 0; i < chunks.size();) {
    size_t j = i;
    while (j < chunks.size() && j - i < size_t(batch) && length(j) == length(i)) ++j;
    groups.push_back({i, j});
    i = j;
  }
  const size_t nw = std::min(models.size(), groups.size());
  std::vector<double> nats(nw, 0.0);
  auto work = [&](size_t w) {
    const ModelConfig& cfg = models[w]->config();
    std::vector<int> in, tg;
    for (size_t g = w; g < groups.size(); g += nw) {
      const auto [i, j] = groups[g];
      const int T = length(i), B = int(j - i);
      if (T == 0) continue;
      in.resize(size_t(B) * T);
      tg.resize(size_t(B) * T);
      for (int b = 0; b < B; ++b) {
        if (tokens) {
          const std::vector<uint16_t>& ids = set.chunk_ids[i + b];
          for (int t = 0; t < T; ++t) {
            tg[size_t(b) * T + t] = ids[size_t(t)];
            in[size_t(b) * T + t] = t == 0 ? cfg.bos() : ids[size_t(t) - 1];
          }
          continue;
        }
        const uint8_t* src = set.bytes.data() + chunks[i + b].first;
        const uint8_t* tags = set.tags.empty() ? nullptr : set.tags.data() + chunks[i + b].first;
        for (int t = 0; t < T; ++t) {
          tg[size_t(b) * T + t] = src[t];
          in[size_t(b) * T + t] = t == 0 ? cfg.bos() : src[t - 1] + 256 * (tags ? tags[t] : 0);
        }
      }
      nats[w] += models[w]->forward(in.data(), tg.data(), B, T, /*keep=*/false) * double(B) * T;
    }
  };
  std::vector<std::thread> pool;
  for (size_t w = 1; w < nw; ++w) pool.emplace_back(work, w);
  work(0);
  for (auto& th : pool) th.join();
  double total = 0;
  uint64_t bytes = 0;
  for (double v : nats) total += v;
  for (const auto& c : chunks) bytes += uint64_t(c.second);
  return total / std::log(2.0) / double(bytes);
}

// ---- learning-curve plot ---------------------------------------------------------------

Status plot_learning_curve(const std::string& csv_path, const std::string& svg_path,
                           const std::string& title) {
  std::ifstream in(csv_path);
  if (!in) return Status(ErrorCode::io, "cannot open " + csv_path);
  std::string line;
  if (!std::getline(in, line)) return Status(ErrorCode::invalid_argument, csv_path + " is empty");
  std::vector<std::string> cols;
  {
    std::stringstream ss(line);
    std::string c;
    while (std::getline(ss, c, ',')) cols.push_back(c);
  }
  auto col = [&](const std::string& name) {
    return int(std::find(cols.begin(), cols.end(), name) - cols.begin());
  };
  const int xcol = col("bytes");
  if (xcol >= int(cols.size())) return Status(ErrorCode::invalid_argument, csv_path + " has no bytes column");
  std::vector<int> ycols;
  for (size_t k = 0; k < cols.size(); ++k)
    if (cols[k].size() > 4 && cols[k].compare(cols[k].size() - 4, 4, "_bpb") == 0) ycols.push_back(int(k));
  std::vector<std::vector<std::pair<double, double>>> series(ycols.size());
  while (std::getline(in, line)) {
    std::vector<std::string> f;
    std::stringstream ss(line);
    std::string c;
    while (std::getline(ss, c, ',')) f.push_back(c);
    if (int(f.size()) <= xcol) continue;
    double x = std::atof(f[xcol].c_str()) / 1e6;
    for (size_t k = 0; k < ycols.size(); ++k)
      if (ycols[k] < int(f.size()) && !f[ycols[k]].empty()) {
        double y = std::atof(f[ycols[k]].c_str());
        if (std::isfinite(y)) series[k].push_back({x, y});
      }
  }
  double xmax = 1e-9, ymin = 1e9, ymax = -1e9;
  for (auto& s : series)
    for (auto [x, y] : s) {
      xmax = std::max(xmax, x);
      ymin = std::min(ymin, y);
      ymax = std::max(ymax, y);
    }
  if (ymin > ymax) {
    ymin = 0;
    ymax = 8;
  }
  // The first steps sit near 8 bits/byte and would flatten everything else.
  ymin = std::floor(ymin * 4) / 4;
  ymax = std::min(ymax, ymin + 3.0);
  ymax = std::ceil(ymax * 4) / 4;
  if (ymax <= ymin) ymax = ymin + 1;

  const double W = 800, H = 500, ml = 60, mr = 20, mt = 40, mb = 50;
  auto px = [&](double x) { return ml + (W - ml - mr) * x / xmax; };
  auto py = [&](double y) {
    y = std::clamp(y, ymin, ymax);
    return mt + (H - mt - mb) * (1 - (y - ymin) / (ymax - ymin));
  };
  std::ostringstream o;
  o << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << W << "\" height=\"" << H
    << "\" font-family=\"sans-serif\" font-size=\"12\">\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n";
  o << "<text x=\"" << W / 2 << "\" y=\"22\" text-anchor=\"middle\" font-size=\"15\">" << title << "</text>\n";
  // Grid and ticks.
  const double ystep = (ymax - ymin) > 1.5 ? 0.5 : 0.25;
  for (double y = std::ceil(ymin / ystep - 1e-9) * ystep; y <= ymax + 1e-9; y += ystep) {
    o << "<line x1=\"" << ml << "\" x2=\"" << W - mr << "\" y1=\"" << py(y) << "\" y2=\"" << py(y)
      << "\" stroke=\"#ddd\"/>\n<text x=\"" << ml - 6 << "\" y=\"" << py(y) + 4
      << "\" text-anchor=\"end\">" << y << "</text>\n";
  }
  const double raw = xmax / 8;
  const double mag = std::pow(10, std::floor(std::log10(raw)));
  const double xstep = raw / mag < 2 ? mag : raw / mag < 5 ? 2 * mag : 5 * mag;
  for (double x = 0; x <= xmax + 1e-9; x += xstep) {
    o << "<line x1=\"" << px(x) << "\" x2=\"" << px(x) << "\" y1=\"" << mt << "\" y2=\"" << H - mb
      << "\" stroke=\"#eee\"/>\n<text x=\"" << px(x) << "\" y=\"" << H - mb + 16
      << "\" text-anchor=\"middle\">" << x << "</text>\n";
  }
  o << "<text x=\"" << W / 2 << "\" y=\"" << H - 12 << "\" text-anchor=\"middle\">training bytes seen (MB)</text>\n";
  o << "<text x=\"16\" y=\"" << H / 2 << "\" text-anchor=\"middle\" transform=\"rotate(-90 16 " << H / 2
    << ")\">bits per byte</text>\n";
  o << "<rect x=\"" << ml << "\" y=\"" << mt << "\" width=\"" << W - ml - mr << "\" height=\"" << H - mt - mb
    << "\" fill=\"none\" stroke=\"#333\"/>\n";
  const char* colours[] = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b"};
  for (size_t k = 0; k < series.size(); ++k) {
    const char* colour = colours[k % 6];
    o << "<polyline fill=\"none\" stroke=\"" << colour << "\" stroke-width=\"" << (k == 0 ? 1 : 2)
      << "\" points=\"";
    for (auto [x, y] : series[k]) o << px(x) << ',' << py(y) << ' ';
    o << "\"/>\n";
    o << "<text x=\"" << W - mr - 8 << "\" y=\"" << mt + 18 + 16 * k << "\" text-anchor=\"end\" fill=\""
      << colour << "\">" << cols[ycols[k]];
    if (!series[k].empty()) o << " (last " << series[k].back().second << ")";
    o << "</text>\n";
  }
  o << "</svg>\n";
  std::ofstream out(svg_path);
  out << o.str();
  if (!out) return Status(ErrorCode::io, "cannot write " + svg_path);
  return Status::success();
}

// ---- trainer ---------------------------------------------------------------------------

Trainer::Trainer(const TrainOptions& opts, DataLoader data, std::vector<EvalSet> evals)
    : opts_(opts),
      data_(std::move(data)),
      evals_(std::move(evals)),
      model_(opts.model, opts.vocab),
      rng_(opts.seed) {
  const int workers = std::clamp(opts.workers, 1, std::max(1, opts.batch));
  for (int w = 0; w < workers; ++w) {
    if (w > 0) replicas_.push_back(std::make_unique<Model<float>>(opts.model, opts.vocab));
    eval_models_.push_back(std::make_unique<Model<float>>(opts.model, opts.vocab));
  }
}

Result<std::unique_ptr<Trainer>> Trainer::create(const TrainOptions& opts, DataLoader data,
                                                 std::vector<EvalSet> evals, bool resume) {
  if (Status st = config_validate(opts.model); !st) return st;
  auto bad = [](const std::string& m) { return Status(ErrorCode::invalid_argument, m); };
  if (opts.batch < 1 || opts.ctx < 1) return bad("batch and ctx must be >= 1");
  // Activations grow with batch x ctx (and attention with ctx x window): keep
  // requests that would exhaust memory an error rather than an abort.
  if (opts.ctx > (1 << 16) || int64_t(opts.batch) * opts.ctx > (int64_t(1) << 20))
    return bad("batch x ctx too large (ctx <= 65536, batch x ctx <= 2^20 bytes per step)");
  if (opts.eval_batch < 1 || opts.eval_batch > 1024) return bad("eval batch must be in [1, 1024]");
  if (opts.steps < 1) return bad("steps must be >= 1");
  if (!(opts.lr > 0)) return bad("learning rate must be > 0");
  if (data.empty()) return bad("no training data");
  if (opts.vocab < kVocabOut || opts.vocab > opts.model.bos())
    return bad("vocabulary " + std::to_string(opts.vocab) + ": must be in [256, 256 * tags = " +
               std::to_string(opts.model.bos()) + "]");
  if (data.max_tag() >= int(opts.model.tags))
    return bad("training data has tag " + std::to_string(data.max_tag()) + ", the model " +
               std::to_string(opts.model.tags) + " tags (--tags)");
  for (const auto& e : evals) {
    if (e.chunk < 1 || e.bytes.empty()) return bad("dev set " + e.name + " is empty or has chunk < 1");
    if (!e.tags.empty() && e.tags.size() != e.bytes.size()) return bad("dev set " + e.name + ": tag count");
    for (uint8_t t : e.tags)
      if (t >= opts.model.tags) return bad("dev set " + e.name + " has a tag >= the model's tag count");
    if (e.chunk > (1 << 20)) return bad("dev chunk size must be <= 2^20");
    if (!e.chunk_ids.empty() && e.chunk_ids.size() != eval_chunks(e).size())
      return bad("dev set " + e.name + ": token ids for " + std::to_string(e.chunk_ids.size()) + " of " +
                 std::to_string(eval_chunks(e).size()) + " chunks");
    if ((opts.vocab != kVocabOut) != !e.chunk_ids.empty())
      return bad("dev set " + e.name + (e.chunk_ids.empty() ? " is bytes, the model reads tokens" : " is tokens, the model reads bytes"));
  }
  std::unique_ptr<Trainer> t(new Trainer(opts, std::move(data), std::move(evals)));
  const size_t n = t->model_.num_params();
  t->m_.assign(n, 0.0f);
  t->v_.assign(n, 0.0f);
  t->decay_ = decay_mask(opts.model, opts.vocab);
  t->inputs_.resize(size_t(opts.batch) * opts.ctx);
  t->targets_.resize(size_t(opts.batch) * opts.ctx);
  if (resume && !opts.checkpoint.empty() && std::filesystem::exists(opts.checkpoint)) {
    auto s = load_checkpoint(opts.checkpoint);
    if (!s) return s.status();
    const ModelConfig& a = s->model;
    const ModelConfig& b = opts.model;
    if (a.d != b.d || a.layers != b.layers || a.heads != b.heads || a.ffn != b.ffn ||
        a.window != b.window || a.rope_base != b.rope_base || a.eps != b.eps || a.tags != b.tags)
      return bad("checkpoint " + opts.checkpoint + " holds a different model (" + config_describe(a) +
                 ") than requested (" + config_describe(b) + ")");
    if (s->vocab != opts.vocab)
      return bad("checkpoint " + opts.checkpoint + " predicts " + std::to_string(s->vocab) + " symbols, the run " +
                 std::to_string(opts.vocab));
    if (s->batch != opts.batch || s->ctx != opts.ctx)
      return bad("checkpoint was trained with batch " + std::to_string(s->batch) + " ctx " +
                 std::to_string(s->ctx) + "; resume with the same values");
    t->restore(*s);
  } else if (!opts.init_params.empty()) {
    if (opts.init_params.size() != n) return bad("initial parameters do not match the model's shape");
    t->model_.params() = opts.init_params;
  } else {
    t->model_.init(opts.seed);
  }
  return t;
}

void Trainer::restore(const TrainState& s) {
  model_.params() = s.params;
  m_ = s.m;
  v_ = s.v;
  state_step_ = s.step;
  bytes_seen_ = s.bytes_seen;
  train_seconds_ = s.train_seconds;
  rng_.set_state(s.rng);
  resumed_ = true;
}

TrainState Trainer::snapshot() const {
  TrainState s;
  s.model = opts_.model;
  s.vocab = opts_.vocab;
  s.batch = opts_.batch;
  s.ctx = opts_.ctx;
  s.step = state_step_;
  s.bytes_seen = bytes_seen_;
  s.train_seconds = train_seconds_;
  s.rng = rng_.state();
  s.params = model_.params();
  s.m = m_;
  s.v = v_;
  return s;
}

Status Trainer::checkpoint_now() {
  if (opts_.checkpoint.empty()) return Status::success();
  std::error_code ec;
  auto dir = std::filesystem::path(opts_.checkpoint).parent_path();
  if (!dir.empty()) std::filesystem::create_directories(dir, ec);
  return save_checkpoint(snapshot(), opts_.checkpoint);
}

double Trainer::step() {
  const int B = opts_.batch, T = opts_.ctx;
  data_.sample(rng_, B, T, inputs_.data(), targets_.data(), opts_.model.tags);
  // Worker w takes rows [w B / n, (w+1) B / n); its mean-loss gradient is
  // weighted by its share of rows, so the sum is the whole batch's gradient.
  const int n = 1 + int(replicas_.size());
  std::vector<double> losses(n);
  auto work = [&](int w) {
    Model<float>& m = w == 0 ? model_ : *replicas_[w - 1];
    const int r0 = w * B / n, r1 = (w + 1) * B / n;
    if (w > 0) m.params() = model_.params();
    m.zero_grad();
    losses[w] = m.forward(inputs_.data() + size_t(r0) * T, targets_.data() + size_t(r0) * T, r1 - r0, T);
    m.backward();
  };
  std::vector<std::thread> pool;
  for (int w = 1; w < n; ++w) pool.emplace_back(work, w);
  work(0);
  for (auto& th : pool) th.join();
  double loss = 0;
  for (int w = 0; w < n; ++w) loss += losses[w] * double((w + 1) * B / n - w * B / n) / B;
  if (n > 1) {
    std::vector<float>& g0 = model_.grads();
    const float s0 = float(double(B / n) / B);
    for (auto& x : g0) x *= s0;
    for (int w = 1; w < n; ++w) {
      const float sw = float(double((w + 1) * B / n - w * B / n) / B);
      const std::vector<float>& gw = replicas_[w - 1]->grads();
      for (size_t i = 0; i < g0.size(); ++i) g0[i] += sw * gw[i];
    }
  }

  std::vector<float>& p = model_.params();
  const std::vector<float>& g = model_.grads();
  const size_t np = p.size();
  double ss = 0;
  for (size_t i = 0; i < np; ++i) ss += double(g[i]) * double(g[i]);
  last_gnorm_ = std::sqrt(ss);
  const float gscale =
      (opts_.clip > 0 && last_gnorm_ > opts_.clip) ? float(opts_.clip / last_gnorm_) : 1.0f;
  const double lr = lr_at(opts_, state_step_);
  const double t = double(state_step_ + 1);
  const float b1 = float(opts_.beta1), b2 = float(opts_.beta2);
  const float bc1 = float(1.0 / (1.0 - std::pow(opts_.beta1, t)));
  const float bc2 = float(1.0 / (1.0 - std::pow(opts_.beta2, t)));
  const float flr = float(lr), wd = float(opts_.weight_decay), eps = float(opts_.adam_eps);
  for (size_t i = 0; i < np; ++i) {
    const float gi = g[i] * gscale;
    const float mi = b1 * m_[i] + (1.0f - b1) * gi;
    const float vi = b2 * v_[i] + (1.0f - b2) * gi * gi;
    m_[i] = mi;
    v_[i] = vi;
    const float upd = (mi * bc1) / (std::sqrt(vi * bc2) + eps) + (decay_[i] ? wd * p[i] : 0.0f);
    p[i] -= flr * upd;
  }
  ++state_step_;
  bytes_seen_ += uint64_t(std::llround(double(B) * T * data_.bytes_per_symbol()));
  return loss;
}

std::vector<double> Trainer::evaluate() {
  std::vector<Model<float>*> ms;
  for (auto& m : eval_models_) {
    m->params() = model_.params();
    ms.push_back(m.get());
  }
  std::vector<double> out;
  for (const auto& e : evals_) out.push_back(eval_bits_per_byte(ms, e, opts_.eval_batch));
  return out;
}

Status Trainer::open_log() {
  if (opts_.log_csv.empty()) return Status::success();
  std::error_code ec;
  auto dir = std::filesystem::path(opts_.log_csv).parent_path();
  if (!dir.empty()) std::filesystem::create_directories(dir, ec);
  std::string header = "step,bytes,hours,lr,grad_norm,bytes_per_s,train_bpb";
  for (const auto& e : evals_) header += "," + e.name + "_bpb";
  std::vector<std::string> keep;
  if (resumed_ && std::filesystem::exists(opts_.log_csv)) {
    // Rows written after the checkpoint we resume from describe steps that
    // are about to be redone: drop them so the log has one row per step.
    std::ifstream in(opts_.log_csv);
    std::string line;
    bool first = true;
    while (std::getline(in, line)) {
      if (first) {
        first = false;
        continue;
      }
      if (line.empty()) continue;
      if (std::strtoll(line.c_str(), nullptr, 10) <= state_step_) keep.push_back(line);
    }
  }
  std::ofstream out(opts_.log_csv, std::ios::trunc);
  out << header << '\n';
  for (const auto& l : keep) out << l << '\n';
  if (!out) return Status(ErrorCode::io, "cannot write " + opts_.log_csv);
  return Status::success();
}

void Trainer::log_row(double train_bpb, double gnorm, double lr, double bytes_per_s,
                      const std::vector<double>& evals) {
  if (opts_.log_csv.empty()) return;
  std::FILE* f = std::fopen(opts_.log_csv.c_str(), "a");
  if (!f) return;
  std::fprintf(f, "%" PRId64 ",%" PRIu64 ",%.4f,%.6g,%.4f,%.1f,", state_step_, bytes_seen_,
               train_seconds_ / 3600.0, lr, gnorm, bytes_per_s);
  if (std::isfinite(train_bpb)) std::fprintf(f, "%.5f", train_bpb);
  for (size_t k = 0; k < evals_.size(); ++k) {
    std::fputc(',', f);
    if (k < evals.size()) std::fprintf(f, "%.5f", evals[k]);
  }
  std::fputc('\n', f);
  std::fclose(f);
}

Status Trainer::run() {
  if (Status st = open_log(); !st) return st;
  const int64_t stop = last_step();
  const double symbols_per_step = double(opts_.batch) * opts_.ctx;
  const double bytes_per_step = symbols_per_step * data_.bytes_per_symbol();
  const double model_flops_per_step =
      3.0 * forward_flops_per_byte(opts_.model, opts_.ctx, opts_.vocab) * symbols_per_step;
  const auto session_start = Clock::now();
  const int64_t first_step = state_step_;
  auto last_ckpt = Clock::now();
  auto say = [&](const std::string& s) {
    if (!opts_.quiet) {
      std::fputs(s.c_str(), stdout);
      std::fflush(stdout);
    }
  };
  auto plot = [&] {
    if (!opts_.plot_svg.empty() && !opts_.log_csv.empty())
      (void)plot_learning_curve(opts_.log_csv, opts_.plot_svg,
                                "lmzip trainer: " + config_describe(opts_.model));
  };
  auto eval_line = [&](const std::vector<double>& ev) {
    std::string s;
    char b[96];
    for (size_t k = 0; k < ev.size(); ++k) {
      std::snprintf(b, sizeof b, " | %s %.4f bpb (%.2f%%)", evals_[k].name.c_str(), ev[k], ev[k] / 8 * 100);
      s += b;
    }
    return s;
  };

  if (state_step_ == 0 && opts_.eval_every > 0 && !evals_.empty()) {
    auto ev = evaluate();
    say("step 0" + eval_line(ev) + "\n");
    log_row(NAN, 0, lr_at(opts_, 0), 0, ev);
  }

  double loss_sum = 0;
  int loss_n = 0;
  double step_time = 0;     // seconds in step() since the last progress line
  uint64_t flops0 = gemm_flops();
  double recent_step_s = 0; // smoothed seconds per step, for the ETA
  Status result = Status::success();
  while (state_step_ < stop) {
    if (stop_requested().load()) {
      say("stop requested: writing checkpoint\n");
      break;
    }
    // Every session takes at least one step, so a limit shorter than the set-up
    // still makes progress (and a resumed run can never stall at zero steps).
    if (opts_.max_minutes > 0 && state_step_ > first_step &&
        seconds_since(session_start) >= opts_.max_minutes * 60) {
      say("time limit reached: writing checkpoint\n");
      break;
    }
    const auto t0 = Clock::now();
    const double loss = step();
    const double dt = seconds_since(t0);
    train_seconds_ += dt;
    step_time += dt;
    if (!std::isfinite(loss)) {
      result = Status(ErrorCode::internal, "loss became non-finite at step " + std::to_string(state_step_) +
                                               "; lower the learning rate (last checkpoint kept)");
      return result;  // do not overwrite a good checkpoint with a diverged model
    }
    loss_sum += loss;
    ++loss_n;
    const bool do_eval = opts_.eval_every > 0 && !evals_.empty() &&
                         (state_step_ % opts_.eval_every == 0 || state_step_ == stop);
    if (state_step_ % std::max(1, opts_.log_every) == 0 || do_eval || state_step_ == stop) {
      const double bps = step_time > 0 ? loss_n * bytes_per_step / step_time : 0;
      const double gflops = step_time > 0 ? double(gemm_flops() - flops0) / step_time / 1e9 : 0;
      const double mflops = step_time > 0 ? loss_n * model_flops_per_step / step_time / 1e9 : 0;
      const double sps = step_time / std::max(1, loss_n);
      recent_step_s = recent_step_s == 0 ? sps : 0.8 * recent_step_s + 0.2 * sps;
      const double train_bpb = loss_sum / loss_n / std::log(2.0) / data_.bytes_per_symbol();
      std::vector<double> ev;
      const auto te = Clock::now();
      if (do_eval) ev = evaluate();
      const double eval_s = seconds_since(te);
      train_seconds_ += eval_s;
      char b[320];
      std::snprintf(b, sizeof b,
                    "step %" PRId64 "/%" PRId64 " | loss %.4f bpb | lr %.2e | |g| %.3f | %.0f B/s | %.1f GFLOP/s "
                    "(model %.1f) | %.1f MB seen | trained %s | ETA %s",
                    state_step_, stop, train_bpb, lr_at(opts_, state_step_ - 1), last_gnorm_, bps, gflops,
                    mflops, bytes_seen_ / 1e6, fmt_duration(train_seconds_).c_str(),
                    fmt_duration(recent_step_s * double(stop - state_step_)).c_str());
      say(std::string(b) + eval_line(ev) + (do_eval ? " (eval " + fmt_duration(eval_s) + ")" : "") + "\n");
      log_row(train_bpb, last_gnorm_, lr_at(opts_, state_step_ - 1), bps, ev);
      loss_sum = 0;
      loss_n = 0;
      step_time = 0;
      flops0 = gemm_flops();
      if (do_eval) plot();
    }
    if (!opts_.checkpoint.empty() && seconds_since(last_ckpt) >= opts_.ckpt_minutes * 60) {
      if (Status st = checkpoint_now(); !st) return st;
      say("checkpoint " + opts_.checkpoint + " at step " + std::to_string(state_step_) + "\n");
      last_ckpt = Clock::now();
      plot();
    }
  }
  if (Status st = checkpoint_now(); !st) return st;
  if (!opts_.checkpoint.empty())
    say("checkpoint " + opts_.checkpoint + " at step " + std::to_string(state_step_) + "\n");
  plot();
  return result;
}

}  // namespace lmzip::train
