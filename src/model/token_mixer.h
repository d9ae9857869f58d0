// The token mixer: a media model's distribution, adapted to the chunk being coded.
//
// A media model's network is small and fixed, and no two images are alike:
// the mixer learns the chunk's own statistics while it is coded and combines
// them with the network's prediction, the way PAQ-style context mixing
// does (docs/ARCHITECTURE.md, "Token mixer"):
//   * a token (a residual of the filter) is coded as 8 binary decisions: the
//     bits of its zigzag code (0, -1, +1, -2, ..), most significant first, a
//     path through a tree of 255 nodes;
//   * at each node the inputs are the network's probability of a 1 (from its
//     256 frequencies), those of the chunk's value histogram and of two other
//     predictors, and those of adaptive counters, one per context (the
//     neighbours' gradients, their residuals, the other predictors'
//     disagreement, ..), all in the logistic domain;
//   * two logistic mixers, with weight vectors per node (deep nodes share)
//     and activity level, or per node and the network's confidence, combine
//     them, learn online which input to trust, and are averaged;
//   * the 255 node probabilities become integer frequencies by splitting a
//     fixed total down the tree, every leaf keeping at least 1.
// Everything is integer arithmetic with fixed update rules, and the state
// starts fresh with each chunk, so the encoder and the decoder, on any
// machine, compute the same frequencies. The starting weights trust the
// network alone: before the mixer has learned anything, the result is the
// network's distribution (rounded to 12-bit node probabilities).
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "lmzip/error.h"
#include "model/residual_filter.h"

namespace lmzip {

// The mixers a model file can name (GGUF key lmzip.mixer). Each name fixes
// the contexts and the learning rules: changing either makes a new name.
enum class MixerKind : uint8_t { none, image1 };

std::string mixer_name(MixerKind kind);
// "none", or a mixer that fits the filter ("image1" needs the med filter).
Result<MixerKind> mixer_parse(const std::string& name, const FilterSpec& filter);

inline constexpr uint32_t kMixTotal = 1u << 24;  // total of the mixed frequencies

class TokenMixer {
 public:
  // filter: the med filter of an image model (its width and channels).
  explicit TokenMixer(const FilterSpec& filter);

  void reset();
  // token_freq[0 .. 256): the network's frequencies of the next byte's tokens
  // (>= 1 each, any total). Replaced by the mixed frequencies, whose total is
  // kMixTotal. Does not advance.
  void mix(uint32_t* token_freq);
  // Advances past the next byte, whose token under the filter is `token`, and
  // learns from it. mix() must have been called for this position.
  void update(uint8_t token, uint8_t byte);
  // Whether mix() has been called since the last update() or reset().
  bool mixed() const { return mixed_; }

 private:
  static constexpr int kContexts = 7;
  // Inputs: kDistributions (network, value histogram, values seen, two other
  // predictions), then the contexts' counters, then the bias.
  static constexpr int kDistributions = 5;
  static constexpr int kInputs = kDistributions + kContexts + 1;
  static constexpr int kFirstContext = kDistributions;

  void contexts_compute();
  // Weight set 0 (by activity) or 1 (by the network's confidence) of a node.
  int32_t* weights_at(int set, int node);

  uint32_t channels_, width_;
  uint64_t row_bytes_;
  uint64_t pos_ = 0;
  // The last two rows (and a little): content bytes and their tokens.
  std::vector<uint8_t> bytes_, tokens_;
  uint64_t ring_mask_ = 0;

  // Adaptive counters: for context k, the slot chosen at this position holds
  // one probability (16-bit) and one visit count per tree node.
  std::array<uint32_t, kContexts> slots_{};  // slots per context
  std::array<uint32_t, kContexts> first_{};  // first counter of context k's table
  std::array<uint32_t, kContexts> base_{};   // this position's slot, as a counter index
  std::vector<uint16_t> prob_;
  std::vector<uint8_t> count_;
  // Mixer weights (16.16 fixed point), kInputs per (node group, activity
  // level), and a second set per (node group, the network's confidence).
  std::vector<int32_t> weights_, weights2_;
  uint32_t activity_ = 0;  // this position's activity level, 0..3
  uint32_t channel_ = 0;   // this position's channel
  uint8_t offset_ = 0;     // the filter's offset (prediction) at this position
  int centre_ = 0, centre2_ = 0;  // two other predictions, as residuals from the filter's
  // How often each value occurred in each channel so far: images often use
  // few of the 256 values (a quantised scan, a 5-step palette), which a
  // residual model cannot see.
  std::vector<uint32_t> histogram_;  // (channels, 256)

  // mix()'s inputs and outputs at every node, kept for update().
  bool mixed_ = false;
  std::array<std::array<int16_t, kInputs>, 256> inputs_{};
  std::array<uint8_t, 256> confidence_{};               // each node's confidence level
  std::array<std::array<int16_t, 256>, 2> mixer_st_{};   // each weight set's output, stretched
  std::array<uint16_t, 256> mixed_p_{};  // P(bit = 1) at each node, 12-bit
};

}  // namespace lmzip
