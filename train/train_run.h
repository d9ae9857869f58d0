// The training loop: AdamW with warm-up + cosine schedule and global-norm
// clipping, periodic dev evaluation, CSV log + SVG learning curve, and
// checkpoints that resume bit-exactly (same BLAS thread count).
#pragma once

#include <algorithm>
#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "lmzip/error.h"
#include "train_data.h"
#include "train_model.h"
#include "train_rng.h"

namespace lmzip::train {

struct TrainOptions {
  ModelConfig model;
  // Output symbols: 256 bytes, or a BPE vocabulary (the tokenization study;
  // such a model is measured, not exported). Inputs need 256 * model.tags >= vocab.
  int vocab = kVocabOut;
  int batch = 8;
  int ctx = 256;            // training window T (bytes per row)
  double lr = 3e-3;         // peak learning rate
  double min_lr_frac = 0.1; // cosine floor as a fraction of lr
  int64_t warmup = 200;
  int64_t steps = 10000;    // schedule length (the cosine reaches its floor here)
  int64_t stop_at = 0;      // stop after this step without changing the schedule (0 = steps)
  double max_minutes = 0;   // stop (with a checkpoint) after this much wall time, one step at least (0 = no limit)
  double weight_decay = 0.1;
  double beta1 = 0.9, beta2 = 0.95, adam_eps = 1e-8;
  double clip = 1.0;        // global gradient norm limit (0 = off)
  uint64_t seed = 1337;     // initialisation and batch sampling
  // Threads splitting each batch (data parallel, one model replica each, BLAS
  // single-threaded inside). Results depend on it only through summation
  // order; with the same value a resumed run is bit-exact.
  int workers = 1;

  int eval_every = 500;     // steps between dev evaluations (0 = never)
  int eval_batch = 4;       // chunks per forward pass during evaluation
  int log_every = 10;       // steps between progress lines / CSV rows
  // Parameters a fresh run starts from instead of a random init (`--init`):
  // fine-tuning keeps the shape, restarts the optimizer and the schedule.
  std::vector<float> init_params;
  std::string checkpoint;   // path; empty = no checkpoints
  double ckpt_minutes = 5;  // wall time between checkpoints
  std::string log_csv;      // empty = no CSV
  std::string plot_svg;     // empty = no plot
  bool quiet = false;
};

// What a checkpoint holds: enough to continue exactly where training stopped.
struct TrainState {
  ModelConfig model;
  int vocab = kVocabOut;        // output symbols: 256, or a token model's (from the parameter count)
  int batch = 0, ctx = 0;
  int64_t step = 0;             // optimizer steps done
  uint64_t bytes_seen = 0;
  double train_seconds = 0;     // wall time spent training, over all sessions
  std::array<uint64_t, 4> rng{};
  std::vector<float> params, m, v;
};

Status save_checkpoint(const TrainState& s, const std::string& path);
Result<TrainState> load_checkpoint(const std::string& path);

// Learning rate at optimizer step `step` (0-based).
double lr_at(const TrainOptions& o, int64_t step);

// Mean bits per byte of `set` under the model (independent chunks, BOS first).
// With several models (identical parameters) the chunks are split across
// threads, one model each.
double eval_bits_per_byte(const std::vector<Model<float>*>& models, const EvalSet& set, int batch);
inline double eval_bits_per_byte(Model<float>& model, const EvalSet& set, int batch) {
  return eval_bits_per_byte(std::vector<Model<float>*>{&model}, set, batch);
}

// Rewrites the SVG learning curve from a CSV log written by the trainer.
Status plot_learning_curve(const std::string& csv_path, const std::string& svg_path,
                           const std::string& title);

// Cooperative stop (set from a signal handler): the loop writes a checkpoint and returns.
std::atomic<bool>& stop_requested();

class Trainer {
 public:
  // Fresh model from opts.seed, or the checkpoint's state when `resume` and
  // opts.checkpoint exists (the model shape, batch and ctx must match).
  static Result<std::unique_ptr<Trainer>> create(const TrainOptions& opts, DataLoader data,
                                                 std::vector<EvalSet> evals, bool resume);

  // Trains until stop_at/steps, max_minutes or stop_requested().
  Status run();
  // One optimizer step; returns the batch's mean loss in nats.
  double step();
  // Evaluates every dev set; returns bits/byte per set.
  std::vector<double> evaluate();
  Status checkpoint_now();

  Model<float>& model() { return model_; }
  int64_t steps_done() const { return state_step_; }
  // The step run() trains to: stop_at when set (never past the schedule), else steps.
  int64_t last_step() const { return opts_.stop_at > 0 ? std::min(opts_.stop_at, opts_.steps) : opts_.steps; }
  bool resumed() const { return resumed_; }
  const DataLoader& data() const { return data_; }
  TrainState snapshot() const;

 private:
  Trainer(const TrainOptions& opts, DataLoader data, std::vector<EvalSet> evals);
  void restore(const TrainState& s);
  Status open_log();
  void log_row(double train_bpb, double gnorm, double lr, double bytes_per_s,
               const std::vector<double>& evals);

  TrainOptions opts_;
  DataLoader data_;
  std::vector<EvalSet> evals_;
  Model<float> model_;
  std::vector<std::unique_ptr<Model<float>>> replicas_;  // workers 1.. (worker 0 uses model_)
  std::vector<std::unique_ptr<Model<float>>> eval_models_;
  std::vector<float> m_, v_;
  std::vector<uint8_t> decay_;
  Rng rng_;
  int64_t state_step_ = 0;
  uint64_t bytes_seen_ = 0;
  double train_seconds_ = 0;
  double last_gnorm_ = 0;
  bool resumed_ = false;
  std::vector<int> inputs_, targets_;
};

}  // namespace lmzip::train
