// Decoding many chunks at once: B independent chunks advance one position
// per step, "in lockstep". Per step the weights are read once for all B
// chunks (matrix-matrix work instead of B matrix-vector products) and the
// chunks are spread over threads in groups of kLockstepGroup (16), the lanes
// of the attention kernel.
//
// Results are bit-identical to one Predictor per chunk (TransformerModel::
// make_predictor()), whatever B, the thread count or the kernel path: tested
// in tests/transformer_lockstep_test.cpp. So a file encoded with predict_batch
// decodes with this engine.
//
// The codec reaches it through Model::make_lockstep_predictor() (the
// LockstepPredictor of include/lmzip/predictor.h: equal-length lanes, one
// thread each, the codec spreading lane groups over its workers); it returns
// null when lockstep would be slower than one chunk at a time (small models
// whose weights and KV cache fit in the last-level cache).
//
// Direct use (chunks of different lengths, threads inside the engine):
//   TransformerLockstep ls(model, threads);
//   ls.reset(B);                          // chunks 0..B-1 start at position 0
//   for (int64_t i = 0; i < longest; ++i) {
//     ls.retire(number of chunks longer than i);   // chunks sorted longest first
//     ls.predict(freqs, totals);          // freqs[b*256 ..], totals[b], b < active()
//     ... decode one symbol per active chunk with its range decoder ...
//     ls.update(symbols);                 // symbols[b], b < active()
//   }
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "lmzip/model.h"
#include "lmzip/predictor.h"
#include "transformer/transformer.h"

namespace lmzip {

class WorkerPool;

class TransformerLockstep {
 public:
  TransformerLockstep(std::shared_ptr<const TransformerModel> model, unsigned threads = 1);
  ~TransformerLockstep();
  TransformerLockstep(const TransformerLockstep&) = delete;
  TransformerLockstep& operator=(const TransformerLockstep&) = delete;

  // Starts `chunks` new chunks at position 0, all active.
  void reset(unsigned chunks);
  // From now on only chunks [0, active) advance (the others have ended);
  // active never grows until the next reset.
  void retire(unsigned active);
  unsigned chunks() const { return chunks_; }
  unsigned active() const { return active_; }
  int64_t position() const { return pos_; }

  // Next-symbol frequencies of every active chunk: freqs[b * 256 ..], totals[b].
  // Does not advance.
  void predict(uint32_t* freqs, uint32_t* totals);
  // Advances every active chunk b past symbols[b] (symbols.size() >= active()).
  void update(std::span<const Symbol> symbols);

 private:
  void forward(bool want_freqs);
  void forward_groups(unsigned g0, unsigned g1, bool want_freqs, float* rope_tmp);
  void cache_reserve();

  std::shared_ptr<const TransformerModel> model_;
  const TransformerConfig& c_;
  std::unique_ptr<WorkerPool> pool_;
  unsigned threads_;
  unsigned chunks_ = 0, active_ = 0;
  int64_t pos_ = 0;
  bool computed_ = false;
  std::vector<int> tokens_;  // (B) inputs at pos_
  // Activations for all chunks, row b = chunk b: (B, d), (B, 3d), (B, f), (B, 256).
  std::vector<float> x_, h_, qkv_, att_, ff_, logits_;
  std::vector<uint32_t> freqs_, totals_;
  // Per group: K and V caches per layer, slot-major (slot, d, G); q and
  // attention output transposed (d, G); attention scratch.
  struct Group {
    std::vector<std::vector<uint16_t>> k, v;  // binary16 (kernels.h)
    std::vector<float> qg, og, scratch;
  };
  std::vector<Group> groups_;
  std::vector<std::vector<float>> rope_tmp_;  // per worker
  int64_t cbase_ = 0, cap_ = 0;
};

// The lockstep engine for `model` if it is a transformer, else null.
std::unique_ptr<TransformerLockstep> transformer_lockstep_make(const std::shared_ptr<const Model>& model,
                                                               unsigned threads);

}  // namespace lmzip
