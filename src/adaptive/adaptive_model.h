// The adaptive stage (issue 14): learns the block it is coding, bit by bit,
// and mixes what it learns with a network's prediction when there is one.
//
// A byte is coded as 8 binary decisions, most significant bit first. Before
// each byte the caller may hand over a network's 256-way distribution for
// it; the stage turns it into the probability of each node on the byte's
// path and uses it as one input among its own models of the block so far
// (hashed contexts of several orders, words, sparse and column contexts, a
// match model), mixed online and refined by SSE stages.
//
// Determinism: integer arithmetic only, one fixed order of operations, the
// same on every machine, compiler and SIMD path; a fresh or reset() stage
// gives exactly the same probabilities for the same bits. The algorithm and
// its table sizes are fixed by the stage number the frame names.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>

namespace lmzip {

// The stages (the frame's adaptive stage number, docs/FORMAT.md):
//   1  the first, experimental stage: tables of fixed size, one lane;
//   2  tables sized to the block, and with a network the block may be coded
//      in segments, one lane each, in lockstep (adaptive_lanes);
//   3  stage 2 with a third of its models (orders 0-4 and 6, the word, the
//      match), one mixer and two APMs: about twice as fast;
//   4  stage 2 (the same p1()), where a chunk's network may also be a token
//      model, read one byte at a time (docs/FORMAT.md, "Adaptive payload with
//      a token network"): a decoder without it must refuse such frames.
// Stage numbers are never reused: any change to what p1() returns for a
// stage makes a new one.
inline constexpr uint8_t kAdaptiveStage1 = 1;
inline constexpr uint8_t kAdaptiveStage2 = 2;
inline constexpr uint8_t kAdaptiveStage3 = 3;
inline constexpr uint8_t kAdaptiveStage4 = 4;
inline constexpr uint8_t kAdaptiveStageDefault = kAdaptiveStage2;  // what the encoder writes unless told
inline constexpr uint8_t kAdaptiveStageLast = kAdaptiveStage4;
bool adaptive_stage_known(uint8_t stage);

inline constexpr int kAdaptiveProbBits = 16;  // p1() is scaled to 2^16

// The lanes a block of `bytes` bytes is coded in, one per 2^lane_log2 bytes
// (at most kAdaptiveLanesMax; lane_log2 0: one lane), so that the decoder
// steps the network over many lanes at once; lane_log2 is 0 or
// kAdaptiveLaneLog2Min ..= kAdaptiveLaneLog2Max. Lane k codes segment k
// (adaptive::segment_start / segment_size in adaptive/history.h).
inline constexpr uint32_t kAdaptiveLanesMax = 64;
inline constexpr uint8_t kAdaptiveLaneLog2Min = 10, kAdaptiveLaneLog2Max = 26;
uint32_t adaptive_lanes(uint32_t bytes, uint8_t lane_log2);

class AdaptiveModel {
 public:
  // A known stage (adaptive_stage_known).
  explicit AdaptiveModel(uint8_t stage);
  ~AdaptiveModel();
  uint8_t stage() const;
  AdaptiveModel(const AdaptiveModel&) = delete;
  AdaptiveModel& operator=(const AdaptiveModel&) = delete;

  // Forgets everything and starts a block of `bytes` bytes coded in `lanes`
  // segments (1 ..= 64). The lanes' bytes come in lockstep: the first byte of
  // every lane (lane 0 first), then the second of every lane still going,
  // and so on; segments are longest first, so the last lanes end first.
  void reset(uint32_t bytes, uint32_t lanes);
  // Before the first bit of every byte: the byte's lane and the network's
  // frequencies for it (256 values, each >= 1, summing to at most 2^30), or
  // nullptr when the block is coded without a network.
  void byte_begin(uint32_t lane, const uint32_t* freq);
  // The same with the network's node probabilities along the byte's path
  // (adaptive::network_path), which the encoder can compute ahead.
  void byte_begin_path(uint32_t lane, const uint16_t* path);
  // Probability that the next bit is 1, scaled to 2^16: 1 ..= 65535. Does not
  // advance; calling it twice gives the same answer.
  uint32_t p1();
  // Learns the bit that came (0 or 1). After the 8th bit of a byte the next
  // call is byte_begin().
  void update(int bit);

  // Bytes of state (tables included): what one coding thread holds.
  size_t memory_bytes() const;

 private:
  struct State;
  std::unique_ptr<State> s_;
};

}  // namespace lmzip
