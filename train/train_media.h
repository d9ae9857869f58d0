// Image and audio training data as lmzip's media models see it: files are
// decoded, cut into chunks of the model's geometry (the codec's tiles and
// sample runs), and each chunk is turned into residual-filter tokens
// (src/model/residual_filter.h). The trainer then learns tokens like any
// bytes; the exported model carries the filter and the data spec, so the
// engine applies the same filter in front of it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "lmzip/error.h"
#include "model/residual_filter.h"

namespace lmzip::train {

struct MediaPreset {
  std::string name;  // image-gray, image-rgb, audio8, audio16
  FilterSpec filter; // filter.data: what the model predicts
  int chunk = 2048;  // bytes per chunk (a whole tile: width * rows * channels)
};

// `filter` empty: the preset's default (med for images, poly2 for audio).
Result<MediaPreset> media_preset(const std::string& name, const std::string& filter);

// Every whole chunk of every file, as tokens, concatenated (chunk after chunk:
// a multiple of preset.chunk bytes), and each token's context tag (the
// filter's tag of that position). Images: gray mean (image-gray) or RGB,
// tiles preset width wide and chunk / (width * channels) rows, partial tiles
// dropped; audio: mono mix-down, 8-bit (sample >> 8) + 128 or 16-bit
// little-endian, partial chunks dropped. Files that cannot be read are errors.
struct MediaTokens {
  std::vector<uint8_t> tokens, tags;
};
Result<MediaTokens> media_tokens(const MediaPreset& preset, const std::vector<std::string>& files);

// Order-0 entropy of `bytes` in bits per byte, computed per chunk and averaged:
// a quick gauge of a filter (what a per-chunk adaptive order-0 coder would get).
double chunk_entropy_bits(const std::vector<uint8_t>& bytes, int chunk);

}  // namespace lmzip::train
