// lmzip-train: trains the byte transformer of docs/ARCHITECTURE.md on 2 CPU
// cores and exports it as GGUF. See docs/TRAINING.md for the recipe.
#include <CLI/CLI.hpp>

#include <chrono>
#include <ctime>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "train_blas.h"
#include "lmzip/codec.h"
#include "lmzip/printable.h"
#include "train_bpe.h"
#include "train_data.h"
#include "train_export.h"
#include "train_media.h"
#include "train_model.h"
#include "train_run.h"

using namespace lmzip;
using namespace lmzip::train;

namespace {

int fail(const Status& st) {
  // Messages quote files (model metadata, paths): never their control bytes.
  std::fprintf(stderr, "lmzip-train: error: %s: %s\n", error_code_name(st.code()), printable(st.message()).c_str());
  return 1;
}

struct Shape {
  std::string preset;
  int d = 0, layers = 4, heads = 0, ffn = 0, window = 256, tags = 1;
};

void add_shape_options(CLI::App* app, Shape& s) {
  app->add_option("--preset", s.preset, "model size: 200k (d64 h4), 800k (d128 h4), 3m (d256 h8); 4 layers, ffn 4d")
      ->check(CLI::IsMember({"200k", "800k", "3m"}));
  app->add_option("--d", s.d, "embedding width (overrides the preset)");
  app->add_option("--layers", s.layers, "blocks")->capture_default_str();
  app->add_option("--heads", s.heads, "attention heads (overrides the preset)");
  app->add_option("--ffn", s.ffn, "hidden width (default 4d)");
  app->add_option("--window", s.window, "sliding attention window W")->capture_default_str();
  app->add_option("--tags", s.tags, "context tags of the input ids (media models: what `tokens` reports)")
      ->capture_default_str();
}

Result<ModelConfig> shape_to_config(const Shape& s) {
  ModelConfig c;
  int d = 128, h = 4;
  if (s.preset == "200k") d = 64, h = 4;
  else if (s.preset == "800k") d = 128, h = 4;
  else if (s.preset == "3m") d = 256, h = 8;
  c.d = s.d > 0 ? s.d : d;
  c.heads = s.heads > 0 ? s.heads : h;
  c.layers = s.layers;
  c.ffn = s.ffn > 0 ? s.ffn : 4 * c.d;
  c.window = s.window;
  c.tags = s.tags;
  if (Status st = config_validate(c); !st) return st;
  return c;
}

// "NAME=PATH" or "PATH" (name = file name); PATH.tags, if there, holds the tags.
Result<EvalSet> load_dev(const std::string& spec, int chunk, int max_chunks) {
  EvalSet e;
  std::string path = spec;
  auto eq = spec.find('=');
  if (eq != std::string::npos) {
    e.name = spec.substr(0, eq);
    path = spec.substr(eq + 1);
  } else {
    e.name = std::filesystem::path(spec).filename().string();
    for (char& ch : e.name)
      if (ch == '.' || ch == ',') ch = '_';
  }
  auto bytes = file_read_all(path);
  if (!bytes) return bytes.status();
  if (bytes->empty()) return Status(ErrorCode::invalid_argument, "dev file " + path + " is empty");
  e.bytes = std::move(*bytes);
  if (std::filesystem::exists(path + ".tags")) {  // a token file's tags (`tokens`)
    auto tags = file_read_all(path + ".tags");
    if (!tags) return tags.status();
    e.tags = std::move(*tags);
  }
  e.chunk = chunk;
  e.max_chunks = max_chunks;
  return e;
}

void on_signal(int) { stop_requested().store(true); }

constexpr int kExitStoppedEarly = 75;  // EX_TEMPFAIL: resume later

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"lmzip-train: train and export lmzip's byte transformer (docs/TRAINING.md)"};
  app.set_version_flag("-V,--version", std::string("lmzip-train ") + version_string());
  app.require_subcommand(1);
  int threads = 2;
  app.add_option("--threads", threads,
                 "worker threads; each takes a share of the batch (BLAS runs single-threaded inside)")
      ->capture_default_str()
      ->check(CLI::Range(1, 64));

  // ---- train
  auto* train = app.add_subcommand("train", "train (or resume) a model");
  // Later values win, so a script's defaults can be overridden by appending.
  train->option_defaults()->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
  Shape tshape;
  add_shape_options(train, tshape);
  TrainOptions o;
  std::vector<std::string> data_specs, dev_specs;
  int dev_chunk = 2048, dev_chunks = 16;
  bool resume = false;
  std::string init_model;
  train->add_option("--data", data_specs, "training file PATH[:WEIGHT] (repeatable)")
      ->required()
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  train->add_option("--dev", dev_specs, "dev file [NAME=]PATH, scored in independent chunks (repeatable)")
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  train->add_option("--dev-chunk", dev_chunk, "dev chunk size in bytes")->capture_default_str()->check(CLI::Range(1, 1 << 20));
  train->add_option("--dev-chunks", dev_chunks, "evenly spaced chunks scored per evaluation (0 = all)")
      ->capture_default_str();
  train->add_option("--batch", o.batch, "windows per step")->capture_default_str();
  train->add_option("--ctx", o.ctx, "training window length in bytes")->capture_default_str();
  train->add_option("--lr", o.lr, "peak learning rate")->capture_default_str();
  train->add_option("--min-lr-frac", o.min_lr_frac, "cosine floor, fraction of --lr")->capture_default_str();
  train->add_option("--warmup", o.warmup, "linear warm-up steps")->capture_default_str();
  train->add_option("--steps", o.steps, "schedule length in steps")->capture_default_str();
  train->add_option("--stop-at", o.stop_at, "stop after this step (schedule unchanged)");
  train->add_option("--max-minutes", o.max_minutes, "stop after this much wall time, with a checkpoint (exit status 75)");
  train->add_option("--wd", o.weight_decay, "AdamW weight decay on matrices")->capture_default_str();
  train->add_option("--clip", o.clip, "global gradient-norm clip (0 = off)")->capture_default_str();
  train->add_option("--seed", o.seed, "initialisation and sampling seed")->capture_default_str();
  train->add_option("--eval-every", o.eval_every, "steps between dev evaluations")->capture_default_str();
  train->add_option("--eval-batch", o.eval_batch, "chunks per evaluation pass")->capture_default_str();
  train->add_option("--log-every", o.log_every, "steps between progress lines")->capture_default_str();
  train->add_option("--checkpoint", o.checkpoint, "checkpoint file (written periodically and at the end)");
  train->add_option("--ckpt-minutes", o.ckpt_minutes, "minutes between checkpoints")->capture_default_str();
  train->add_option("--log", o.log_csv, "CSV log file");
  train->add_option("--plot", o.plot_svg, "SVG learning curve, redrawn at each evaluation");
  train->add_flag("--resume", resume, "continue from --checkpoint if it exists");
  train->add_option("--init", init_model,
                    "start a new run from this model file's weights (GGUF; same shape, any window), not a random init");
  train->add_flag("--quiet", o.quiet, "no progress lines");
  std::string train_bpe;
  train->add_option("--bpe", train_bpe,
                    "the tokenization study: learn BPE tokens of these merges (`bpe`) instead of bytes; "
                    "measured with `eval --bpe`, never exported");

  // ---- export
  auto* exp = app.add_subcommand("export", "write a checkpoint's model as GGUF");
  std::string ckpt_in, out_path;
  ExportOptions eo;
  exp->add_option("--checkpoint", ckpt_in, "trainer checkpoint")->required();
  exp->add_option("--out", out_path, "GGUF file to write")->required();
  exp->add_flag("--f16", eo.f16, "store matrices as f16");
  exp->add_option("--name", eo.label.name, "general.name (the name in .lmz frames)")->capture_default_str();
  exp->add_option("--license", eo.label.license, "general.license")->capture_default_str();
  exp->add_option("--training-data", eo.label.training_data, "lmzip.training.data summary");
  int exp_window = 0;
  exp->add_option("--window", exp_window, "override the sliding window recorded in the file");
  uint32_t exp_context = ModelConfig{}.context_length;
  exp->add_option("--context-length", exp_context, "lmzipbt.context_length")->capture_default_str();
  std::string exp_media, exp_filter, exp_mixer = "none";
  exp->add_option("--media", exp_media, "media model: image-gray, image-rgb, audio8, audio16 (default: text)");
  exp->add_option("--filter", exp_filter, "residual filter (default: the media's; see `tokens`)");
  exp->add_option("--mixer", exp_mixer, "token mixer: none, or image1 for image models (docs/ARCHITECTURE.md)")
      ->capture_default_str();

  // ---- tokens
  auto* tok = app.add_subcommand("tokens", "image or audio files -> the token stream a media model learns");
  std::string tk_media, tk_filter, tk_out;
  std::vector<std::string> tk_files;
  tok->add_option("--media", tk_media, "image-gray (64x32 tiles, med), image-rgb (64x10 RGB tiles, med), "
                                       "audio8 (poly2), audio16 (poly2)")
      ->required();
  tok->add_option("--filter", tk_filter, "residual filter: none, med (images), poly1..poly3 (audio)");
  tok->add_option("--out", tk_out, "token file to write, and OUT.tags with each token's context tag")->required();
  tok->add_option("files", tk_files, "PNG/PNM images or WAV/FLAC recordings")->required();

  // ---- eval
  auto* ev = app.add_subcommand("eval", "bits/byte of a checkpoint on files, in independent chunks");
  std::string ev_ckpt;
  std::vector<std::string> ev_files;
  int ev_chunk = 2048, ev_max = 0, ev_batch = 4, ev_window = 0;
  ev->add_option("--checkpoint", ev_ckpt, "trainer checkpoint")->required();
  ev->add_option("files", ev_files, "files to score")->required();
  ev->add_option("--chunk", ev_chunk, "chunk size")->capture_default_str()->check(CLI::Range(1, 1 << 20));
  ev->add_option("--max-chunks", ev_max, "evenly spaced chunks (0 = all)")->capture_default_str();
  ev->add_option("--batch", ev_batch, "chunks per pass")->capture_default_str()->check(CLI::Range(1, 64));
  ev->add_option("--window", ev_window, "override the sliding window");
  std::string ev_bpe;
  ev->add_option("--bpe", ev_bpe, "the merges a token checkpoint was trained with (`train --bpe`)");
  bool ev_f16 = false;
  ev->add_flag("--f16", ev_f16, "score the model with matrices rounded to f16, as an f16 export stores them");

  // ---- bpe
  auto* bpe = app.add_subcommand("bpe", "learn byte-level BPE merges from text (the paper's Table 2)");
  int bpe_vocab = 1024;
  int64_t bpe_max = 8 << 20;
  std::string bpe_out;
  std::vector<std::string> bpe_files;
  bpe->add_option("--vocab", bpe_vocab, "tokens: 256 bytes + merges")->capture_default_str()->check(CLI::Range(256, 65536));
  bpe->add_option("--max-bytes", bpe_max, "learn from the first bytes of the files, concatenated (0 = all)")
      ->capture_default_str();
  bpe->add_option("--out", bpe_out, "merges file to write")->required();
  bpe->add_option("files", bpe_files, "training text")->required();

  // ---- bench
  auto* bench = app.add_subcommand("bench", "training throughput on random bytes");
  Shape bshape;
  add_shape_options(bench, bshape);
  int b_steps = 20, b_batch = 8, b_ctx = 256;
  bench->add_option("--steps", b_steps, "timed steps (after 2 warm-up steps)")->capture_default_str();
  bench->add_option("--batch", b_batch, "windows per step")->capture_default_str();
  bench->add_option("--ctx", b_ctx, "window length")->capture_default_str();

  // ---- plot
  auto* plot = app.add_subcommand("plot", "draw the learning curve of a CSV log as SVG");
  std::string p_csv, p_svg, p_title = "lmzip trainer";
  plot->add_option("--log", p_csv, "CSV log")->required();
  plot->add_option("--out", p_svg, "SVG file")->required();
  plot->add_option("--title", p_title, "title");

  CLI11_PARSE(app, argc, argv);
  // Data-parallel threads beat BLAS threads here: the small products and the
  // element-wise work between them both scale, and nothing waits on a pool.
  set_blas_threads(1);

  if (*train) {
    auto cfg = shape_to_config(tshape);
    if (!cfg) return fail(cfg.status());
    o.model = *cfg;
    o.workers = threads;
    if (!init_model.empty()) {
      auto m = import_gguf(init_model);
      if (!m) return fail(m.status());
      // The window may differ: it is a mask, not a weight (a longer one is learnt by fine-tuning).
      const ModelConfig& a = m->cfg;
      if (a.d != o.model.d || a.layers != o.model.layers || a.heads != o.model.heads || a.ffn != o.model.ffn ||
          a.tags != o.model.tags || a.rope_base != o.model.rope_base || a.eps != o.model.eps)
        return fail(Status(ErrorCode::invalid_argument, "--init " + init_model + " holds " +
                                                            config_describe(m->cfg) + ", the run asks for " +
                                                            config_describe(o.model)));
      o.init_params = std::move(m->params);
    }
    std::optional<BpeEncoder> enc;
    if (!train_bpe.empty()) {
      auto m = bpe_read(train_bpe);
      if (!m) return fail(m.status());
      enc.emplace(std::move(*m));
      o.vocab = enc->vocab();
      o.model.tags = uint32_t((o.vocab + 255) / 256);  // inputs: ids below BOS = 256 * tags
      if (!init_model.empty()) return fail(Status(ErrorCode::invalid_argument, "--init takes byte models only, not --bpe"));
    }
    DataLoader data;
    for (const auto& spec : data_specs) {
      auto s = parse_source_spec(spec);
      if (!s) return fail(s.status());
      if (!enc) {
        if (Status st = data.add_file(s->path, s->weight, o.ctx); !st) return fail(st);
        continue;
      }
      auto bytes = file_read_all(s->path);
      if (!bytes) return fail(bytes.status());
      const std::string name = std::filesystem::path(s->path).filename().string();
      if (Status st = bpe_add_source(*enc, data, name, *bytes, s->weight, o.ctx); !st) return fail(st);
    }
    std::vector<EvalSet> evals;
    for (const auto& spec : dev_specs) {
      auto e = load_dev(spec, dev_chunk, dev_chunks);
      if (!e) return fail(e.status());
      if (enc) bpe_chunk_ids(*enc, *e);
      evals.push_back(std::move(*e));
    }
    auto t = Trainer::create(o, std::move(data), std::move(evals), resume);
    if (!t) return fail(t.status());
    std::signal(SIGINT, on_signal);
    std::signal(SIGTERM, on_signal);
    std::printf("model %s | batch %d x %d %s | lr %.2e warmup %lld steps %lld | %d threads\n",
                config_describe(o.model).c_str(), o.batch, o.ctx, enc ? "tokens" : "bytes", o.lr,
                (long long)o.warmup, (long long)o.steps, threads);
    if (enc)
      std::printf("tokens: %d (%s), %zu parameters with the token embeddings and output\n", o.vocab,
                  train_bpe.c_str(), (*t)->model().num_params());
    std::printf("data: %s\n", (*t)->data().summary().c_str());
    if ((*t)->resumed())
      std::printf("resumed from %s at step %lld\n", o.checkpoint.c_str(), (long long)(*t)->steps_done());
    std::fflush(stdout);
    if (Status st = (*t)->run(); !st) return fail(st);
    // A run stopped early (signal or --max-minutes) exits with EX_TEMPFAIL so that
    // a script running several phases stops too instead of starting the next one.
    if ((*t)->steps_done() < (*t)->last_step()) {
      std::printf("stopped at step %lld of %lld: run the same command to resume\n",
                  (long long)(*t)->steps_done(), (long long)(*t)->last_step());
      return kExitStoppedEarly;
    }
    return 0;
  }

  if (*exp) {
    auto s = load_checkpoint(ckpt_in);
    if (!s) return fail(s.status());
    if (s->vocab != kVocabOut)
      return fail(Status(ErrorCode::invalid_argument, ckpt_in + " is a token model (train --bpe): lmzip runs byte "
                                                               "models; measure it with `eval --bpe`"));
    if (exp_window > 0) s->model.window = uint32_t(exp_window);
    s->model.context_length = exp_context;
    if (!exp_media.empty()) {
      auto preset = media_preset(exp_media, exp_filter);
      if (!preset) return fail(preset.status());
      s->model.filter = preset->filter;
      s->model.context_length = uint32_t(preset->chunk);
    }
    if (auto mixer = mixer_parse(exp_mixer, s->model.filter); mixer) s->model.mixer = *mixer;
    else return fail(mixer.status());
    if (eo.label.training_data.empty()) eo.label.training_data = "see docs/TRAINING.md";
    if (Status st = export_gguf(s->model, s->params, eo, out_path); !st) return fail(st);
    std::printf("wrote %s (%s, step %lld, %s)\n", out_path.c_str(), config_describe(s->model).c_str(),
                (long long)s->step, eo.f16 ? "f16" : "f32");
    return 0;
  }

  if (*ev) {
    auto s = load_checkpoint(ev_ckpt);
    if (!s) return fail(s.status());
    if (ev_window > 0) s->model.window = ev_window;
    const int vocab = s->vocab;
    std::optional<BpeEncoder> enc;
    if (!ev_bpe.empty()) {
      auto m = bpe_read(ev_bpe);
      if (!m) return fail(m.status());
      enc.emplace(std::move(*m));
    }
    if ((enc ? enc->vocab() : kVocabOut) != vocab)
      return fail(Status(ErrorCode::invalid_argument,
                         "checkpoint " + ev_ckpt + " predicts " + std::to_string(vocab) + " symbols; " +
                             (enc ? "the merges give " + std::to_string(enc->vocab()) : "bytes are 256 (--bpe?)")));
    if (ev_f16 && enc) return fail(Status(ErrorCode::invalid_argument, "--f16 is for byte models"));
    if (ev_f16) s->params = f16_rounded(s->model, s->params);
    std::vector<std::unique_ptr<train::Model<float>>> owned;
    std::vector<train::Model<float>*> ms;
    for (int i = 0; i < threads; ++i) {
      owned.push_back(std::make_unique<train::Model<float>>(s->model, vocab));
      owned.back()->params() = s->params;
      ms.push_back(owned.back().get());
    }
    for (const auto& f : ev_files) {
      auto e = load_dev(f, ev_chunk, ev_max);
      if (!e) return fail(e.status());
      if (enc) bpe_chunk_ids(*enc, *e);
      const auto t0 = std::chrono::steady_clock::now();
      double bpb = eval_bits_per_byte(ms, *e, ev_batch);
      double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      uint64_t n = 0;
      for (auto [off, len] : eval_chunks(*e)) n += uint64_t(len);
      std::string tokens;
      if (enc) {
        size_t k = 0;
        for (const auto& ids : e->chunk_ids) k += ids.size();
        tokens = ", " + std::to_string(k) + " tokens";
      }
      std::printf("%s: %.4f bits/byte = %.2f%% of raw (%llu bytes%s in %d-byte chunks, window %d, %.1f s)\n",
                  printable(f).c_str(), bpb, bpb / 8 * 100, (unsigned long long)n, tokens.c_str(), ev_chunk,
                  s->model.window, secs);
    }
    return 0;
  }

  if (*bpe) {
    std::vector<uint8_t> text;
    for (const auto& f : bpe_files) {
      auto b = file_read_all(f);
      if (!b) return fail(b.status());
      text.insert(text.end(), b->begin(), b->end());
      if (bpe_max > 0 && int64_t(text.size()) >= bpe_max) break;
    }
    if (bpe_max > 0 && int64_t(text.size()) > bpe_max) text.resize(size_t(bpe_max));
    const auto t0 = std::chrono::steady_clock::now();
    const BpeMerges m = bpe_train(text, bpe_vocab);
    if (Status st = bpe_write(m, bpe_out); !st) return fail(st);
    BpeEncoder enc(m);
    std::vector<int> ids;
    enc.encode(text, ids);
    std::printf("%s: %d tokens learned from %zu bytes in %.1f s; %.3f bytes per token on them\n", bpe_out.c_str(),
                m.vocab(), text.size(), std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(),
                ids.empty() ? 0.0 : double(text.size()) / double(ids.size()));
    return 0;
  }

  if (*tok) {
    auto preset = media_preset(tk_media, tk_filter);
    if (!preset) return fail(preset.status());
    auto tk = media_tokens(*preset, tk_files);
    if (!tk) return fail(tk.status());
    for (const auto& [path, bytes] : {std::pair{tk_out, &tk->tokens}, std::pair{tk_out + ".tags", &tk->tags}}) {
      std::FILE* f = std::fopen(path.c_str(), "wb");
      if (!f || std::fwrite(bytes->data(), 1, bytes->size(), f) != bytes->size() || std::fclose(f) != 0)
        return fail(Status(ErrorCode::io, "cannot write " + path));
    }
    std::printf("%s: %zu tokens (%zu chunks of %d, %s filter, %u tags); order-0 entropy per chunk %.3f bits/byte\n",
                tk_out.c_str(), tk->tokens.size(), tk->tokens.size() / size_t(preset->chunk), preset->chunk,
                preset->filter.name().c_str(), preset->filter.tags(), chunk_entropy_bits(tk->tokens, preset->chunk));
    return 0;
  }

  if (*bench) {
    auto cfg = shape_to_config(bshape);
    if (!cfg) return fail(cfg.status());
    TrainOptions bo;
    bo.model = *cfg;
    bo.batch = b_batch;
    bo.ctx = b_ctx;
    bo.steps = b_steps + 2;
    bo.warmup = 1;
    bo.quiet = true;
    bo.eval_every = 0;
    bo.workers = threads;
    DataLoader data;
    Rng r(7);
    std::vector<uint8_t> bytes(1 << 20);
    for (auto& b : bytes) b = uint8_t(r.next() >> 56);
    if (Status st = data.add_bytes("random", std::move(bytes), 1.0, b_ctx); !st) return fail(st);
    auto t = Trainer::create(bo, std::move(data), {}, false);
    if (!t) return fail(t.status());
    (*t)->step();
    (*t)->step();
    reset_gemm_flops();
    // CPU time too: on a shared machine wall time mostly measures the neighbours.
    auto cpu_now = [] {
      timespec ts;
      clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
      return double(ts.tv_sec) + 1e-9 * double(ts.tv_nsec);
    };
    const double c0 = cpu_now();
    const auto t0 = std::chrono::steady_clock::now();
    for (int i = 0; i < b_steps; ++i) (*t)->step();
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    const double cpu_secs = cpu_now() - c0;
    const double step_gemm_flops = double(gemm_flops());
    // Machine reference: a large sgemm on one BLAS thread, in CPU time, times
    // the thread count: what these cores do at best on this kind of work.
    const int n = 1536;
    std::vector<float> A(size_t(n) * n, 1.0f), B(size_t(n) * n, 0.5f), C(size_t(n) * n);
    set_blas_threads(1);
    gemm(false, false, n, n, n, 1.0f, A.data(), n, B.data(), n, 0.0f, C.data(), n);
    const double g0 = cpu_now();
    for (int i = 0; i < 3; ++i) gemm(false, false, n, n, n, 1.0f, A.data(), n, B.data(), n, 0.0f, C.data(), n);
    const double sgemm_core = 3.0 * 2.0 * n * n * double(n) / (cpu_now() - g0);
    const double idle_bytes_s = double(b_steps) * b_batch * b_ctx / cpu_secs * threads;
    const double flops_per_byte = 3.0 * forward_flops_per_byte(*cfg, b_ctx);
    std::printf("%s | batch %dx%d | %d threads\n", config_describe(*cfg).c_str(), b_batch, b_ctx, threads);
    std::printf("  wall: %.0f bytes/s (%.3f s/step; shared machine: depends on the neighbours)\n",
                double(b_steps) * b_batch * b_ctx / secs, secs / b_steps);
    std::printf("  cpu:  %.3f CPU-s/step -> %.0f bytes/s with %d idle cores; %.2f MFLOP/byte (fwd+bwd) -> "
                "%.1f GFLOP/s\n",
                cpu_secs / b_steps, idle_bytes_s, threads, flops_per_byte / 1e6, idle_bytes_s * flops_per_byte / 1e9);
    std::printf("  gemm share: %.1f GFLOP issued per step; reference sgemm %d^3: %.1f GFLOP/s per core -> "
                "model at %.0f%% of %d x sgemm\n",
                step_gemm_flops / b_steps / 1e9, n, sgemm_core / 1e9,
                100.0 * idle_bytes_s * flops_per_byte / (sgemm_core * threads), threads);
    return 0;
  }

  if (*plot) {
    if (Status st = plot_learning_curve(p_csv, p_svg, p_title); !st) return fail(st);
    return 0;
  }
  return 0;
}
