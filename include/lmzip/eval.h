// Compression as a measure of a model (the paper's protocol) and a model as a
// generator: what `lmzip eval` and `lmzip sample` do.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "lmzip/error.h"
#include "lmzip/model.h"

namespace lmzip {

// The ideal code length of data under a model in the paper's protocol: the
// data cut into chunks of chunk_size bytes (0: the model's default), each
// predicted from a reset model, bits = the sum over symbols of
// -log2(f(symbol) / total). A token model's symbols are its tokens
// (TokenText::tokens); a chunk no ids spell counts 8 bits a byte, as the
// codec stores it. The range coder comes within a few bytes per chunk of it.
// An image or audio model measures the samples of `data`, a file of a kind
// the codec lays out (PNG, PNM, BMP; WAV), cut as the codec cuts them: tiles
// of the model's width, one audio channel per chunk; `bytes` counts the
// samples, `bits` everything the model codes for them (the padding of a
// narrow last tile included). A file of another kind or shape is an error.
struct EvalResult {
  uint64_t bytes = 0;
  uint64_t symbols = 0;  // bytes, or tokens of a token model
  uint64_t chunks = 0;
  double bits = 0;
  // With positions asked for (the paper's in-context learning): by byte
  // offset inside a chunk, the bits spent there summed over chunks, and how
  // many chunks reach that offset. A token's bits count at the offset of
  // its first byte; chunks no ids spell are left out.
  std::vector<double> position_bits;
  std::vector<uint64_t> position_chunks;
  double bits_per_byte() const { return bytes ? bits / double(bytes) : 0.0; }
  double bits_per_symbol() const { return symbols ? bits / double(symbols) : 0.0; }
};
Result<EvalResult> model_eval(const Model& model, std::span<const uint8_t> data, uint32_t chunk_size,
                              bool positions = false);

// `bytes` bytes drawn from the model after `prompt` (the model reset first):
// an image or audio model's are samples in its chunk order (a tile's rows,
// top-down; audio as the file stores it), prompt and sample within one chunk.
// each symbol drawn from the model's integer frequencies with a generator
// seeded by `seed`, so a seed gives the same bytes on every machine. A token
// model draws tokens (the prompt as its tokens) and the output is cut at
// `bytes`.
Result<std::vector<uint8_t>> model_sample(const Model& model, std::span<const uint8_t> prompt, size_t bytes,
                                          uint64_t seed);

}  // namespace lmzip
