// The transformer's forward pass over lanes x positions: `lanes` independent
// chunks, all at the same position, advance T positions per call. The
// encoder runs one lane a segment of positions at a time; the decoder one
// position of many lanes (in groups of kLockstepGroup, the lanes of the
// attention kernel, spread over a ThreadPool's workers) or of one lane.
// Every call runs the same per-layer steps on its rows (one row per lane and
// position); only the attention step depends on the KV cache's layout
// (kv_cache.h: one lane keeps f32 rows, many lanes binary16 groups).
//
// Results are bit-identical whatever the lanes, T, the thread count or the
// kernel path: each kernel computes every row with the same operations in
// the same order (kernels.h). Tested in tests/transformer_engine_test.cpp and
// tests/transformer_lanes_test.cpp. The Predictor over it is made by
// TransformerModel::make_predictor() / make_predictor_lanes().
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "common/thread_pool.h"
#include "transformer/kv_cache.h"
#include "transformer/transformer.h"

namespace lmzip {

class TransformerEngine {
 public:
  // Most positions per call (the encoder's segment): activations stay in L2.
  static constexpr int kSegmentRows = int(KvCache::kSlack);

  // Up to `max_lanes` lanes; groups of lanes run on `pool`'s workers when
  // given (the pool must outlive the engine), else on the calling thread.
  TransformerEngine(std::shared_ptr<const TransformerModel> model, size_t max_lanes, ThreadPool* pool = nullptr);

  size_t max_lanes() const { return max_lanes_; }
  // Starts `lanes` (1 .. max_lanes()) chunks at position 0, all active.
  void reset(size_t lanes);
  // From now on only lanes [0, active) advance (the others have ended).
  void retire(size_t active) { active_ = std::min(active_, active); }
  size_t active() const { return active_; }
  // Whether forward() takes T > 1 (one lane: the rows layout).
  bool takes_segments() const { return cache_.layout() == KvCache::Layout::rows; }
  int64_t position() const { return pos_; }

  // Rows of freqs a forward() of T positions writes: T with one lane, else
  // the active lanes rounded up to whole groups.
  size_t rows(int T) const;
  // Runs positions position() .. position()+T-1 of every active lane (T > 1
  // only with one lane; T <= kSegmentRows): inputs[b * T + t] is lane b's
  // input id at position() + t. Appends the keys and values to the cache;
  // with freqs, writes each row's frequencies to freqs (rows(T), 256) and
  // totals (rows(T)). Advances position() by T.
  void forward(const int* inputs, int T, uint32_t* freqs, uint32_t* totals);

 private:
  // Group scratch of the many-lane attention: q and output transposed (d, G).
  struct Group {
    std::vector<float> qg, og, scratch;
  };
  // Rows [r0, r0 + n) of this call through every layer (one worker).
  void forward_rows(size_t r0, int n, int T, bool want_freqs, uint32_t* freqs, uint32_t* totals, unsigned worker);
  // The attention step of layer l for those rows: their keys and values into
  // the cache, then att (n, d) from qkv (n, 3d).
  void attend(uint32_t l, size_t r0, int n, int T, const float* qkv, float* att);
  // Rotary angles of positions pos_ .. pos_+T-1: (T, hd), from the table or into tmp.
  const float* rope_rows(int T, float* tmp) const;

  std::shared_ptr<const TransformerModel> model_;
  const TransformerConfig& c_;
  size_t max_lanes_;
  ThreadPool* pool_;
  size_t active_ = 0;
  int64_t pos_ = 0;
  KvCache cache_;
  std::vector<int> inputs_;  // (rows) this call's input ids; padding lanes get bos
  // Activations, row r: (rows, d), (rows, 3d), (rows, d), (rows, f).
  std::vector<float> x_, h_, qkv_, att_, ff_, logits_;
  std::vector<float> rope_tmp_;  // (workers, kSegmentRows, hd)
  std::vector<float> scratch_;   // one lane's attention scratch
  std::vector<Group> groups_;
};

}  // namespace lmzip
