// Residual filters: a fixed, exact predictor in front of a learned model.
//
// For image and audio data a model does better predicting the error of a
// classical predictor than the raw byte: the learned part then only has to
// shape a distribution around zero, not to do arithmetic on byte values. The
// filter maps each content byte x to a token t = (x - offset) mod 256, where
// the offset depends only on the bytes before x in the chunk, so the map is a
// bijection that the decoder undoes byte by byte. The model's distribution
// over tokens becomes one over bytes by rotation: f_byte[(t + offset) mod 256]
// = f_token[t] (same frequencies, same total: nothing to round).
//
// The filter also gives each byte a context tag, known before the byte, that
// the model receives with its input (docs/ARCHITECTURE.md, "Tokens"): which
// byte of a 16-bit sample comes next, or a pixel's channel and how busy its
// neighbourhood is. With a sliding attention window the network could not
// work these out for itself.
//
// Filters (docs/ARCHITECTURE.md, "Residual filters"):
//   med    images, `width` pixels per row, `channels` interleaved: the
//          LOCO-I median edge detector per channel (JPEG-LS).
//   polyN  audio, mono, 8-bit unsigned or 16-bit signed little-endian: the
//          fixed polynomial predictor of order N = 1..3 (FLAC's "fixed").
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "lmzip/error.h"
#include "lmzip/model.h"

namespace lmzip {

struct FilterSpec {
  enum class Kind : uint8_t { none, med, poly };
  Kind kind = Kind::none;
  int order = 0;   // poly: 1..3
  DataSpec data;   // the geometry the filter reads (image width/channels, audio bits)

  // "none", "med", "poly1".."poly3": the name in model files.
  std::string name() const;
  // Number of context tags: none 1; polyN 1 (8-bit) or 2 (16-bit: low byte,
  // high byte); med channels * kActivityLevels.
  uint32_t tags() const;
  bool operator==(const FilterSpec&) const = default;
};

inline constexpr uint32_t kMaxFilterWidth = 1u << 16;  // image width, pixels
// med: a pixel's activity |a - c| + |b - c| + |ne - b| (left, above, above
// left, above right) falls into one of these levels, split at these bounds.
inline constexpr uint32_t kActivityLevels = 4;
inline constexpr int kActivityBounds[kActivityLevels - 1] = {4, 12, 32};

// Parses a filter name for data of shape `data`; invalid_argument when the
// name is unknown or does not fit the data (med needs an image of width
// 1..kMaxFilterWidth and 1..4 channels, polyN mono audio of 8 or 16 bits).
Result<FilterSpec> filter_spec_parse(const std::string& name, const DataSpec& data);

// The offsets of one chunk, byte by byte.
class ResidualFilter {
 public:
  explicit ResidualFilter(const FilterSpec& spec);
  void reset();
  // Offset of the next byte: its token is (byte - offset) mod 256.
  uint8_t offset() const { return offset_; }
  // Context tag of the next byte, in [0, spec.tags()).
  uint32_t tag() const { return tag_; }
  // Advances past `byte` (the content byte, not the token); returns its token.
  uint8_t push(uint8_t byte);

 private:
  void compute_offset();

  FilterSpec spec_;
  uint64_t pos_ = 0;   // bytes pushed since reset
  uint8_t offset_ = 0;
  uint32_t tag_ = 0;
  // med: the last row_bytes + channels bytes, a ring of power-of-two size.
  std::vector<uint8_t> ring_;
  uint64_t ring_mask_ = 0, row_bytes_ = 0;
  // poly: previous samples, newest first; the low byte of a 16-bit sample in
  // progress and the prediction it was coded against.
  std::array<int32_t, 3> prev_{};
  int32_t pred_ = 0;
  uint8_t lo_ = 0;
};

// LOCO-I's median edge detector (JPEG-LS): a = left, b = above, c = above left.
int med_predict(int a, int b, int c);

// Tokens of a whole chunk: tokens[i] = (content[i] - offset_i) mod 256; with
// `tags`, also each position's context tag.
void filter_tokens(const FilterSpec& spec, std::span<const uint8_t> content, uint8_t* tokens,
                   uint8_t* tags = nullptr);
// The inverse, for tests: content from tokens.
void filter_untokens(const FilterSpec& spec, std::span<const uint8_t> tokens, uint8_t* content);

}  // namespace lmzip
