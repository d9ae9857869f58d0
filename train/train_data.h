// Training data: a weighted list of byte sources from which (B, T) windows are
// drawn, and dev sets scored in independent chunks (the paper's protocol).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "common/file_read.h"
#include "lmzip/error.h"
#include "train_rng.h"

namespace lmzip::train {

// "PATH" or "PATH:WEIGHT" (weight defaults to 1). The last ':' separates, so
// paths may contain ':' as long as a weight is given.
struct SourceSpec {
  std::string path;
  double weight = 1.0;
};
Result<SourceSpec> parse_source_spec(const std::string& spec);

class DataLoader {
 public:
  // Files shorter than one window are refused: they could never be sampled.
  // A token file PATH may come with PATH.tags: one context tag per byte
  // (`lmzip-train tokens` writes both); it is loaded with it.
  Status add_file(const std::string& path, double weight, int window);
  // tags: empty (all 0) or one per byte.
  Status add_bytes(const std::string& name, std::vector<uint8_t> bytes, double weight, int window,
                   std::vector<uint8_t> tags = {});

  // A source of token ids (the tokenization study: a BPE encoding of
  // `bytes` bytes of text) instead of bytes; ids < 256 * tag_count.
  Status add_ids(const std::string& name, std::vector<uint16_t> ids, uint64_t bytes, double weight, int window);

  // Each row: a window of T symbols w (bytes, or a token source's ids) from
  // a source picked by weight, at a uniformly random offset; targets = w,
  // inputs = [BOS, w[0..T-1)) with each input t >= 1 plus 256 * the tag of
  // position t; BOS = 256 * tag_count.
  void sample(Rng& rng, int B, int T, int* inputs, int* targets, int tag_count = 1) const;
  // Bytes per symbol, averaged over the sources by weight: 1 for bytes.
  double bytes_per_symbol() const;
  // Largest tag in any source (0 without tags).
  int max_tag() const;

  bool empty() const { return sources_.empty(); }
  uint64_t total_bytes() const;
  // "name (bytes, share%)" for each source: goes into the model's metadata.
  std::string summary() const;

 private:
  struct Source {
    std::string name;
    std::vector<uint8_t> bytes;
    double weight;
    std::vector<uint8_t> tags;  // empty or one per byte
    std::vector<uint16_t> ids;  // a token source: its symbols (bytes is then empty)
    uint64_t text_bytes = 0;    // bytes the ids spell
  };
  // Checks the weight and that one window fits, then keeps the source.
  Status add_source(Source src, int window);
  std::vector<Source> sources_;
  std::vector<double> cumulative_;
};

// A dev set: scored as independent chunks of `chunk` bytes, each starting at
// position 0 with BOS, like the compressor does.
struct EvalSet {
  std::string name;
  std::vector<uint8_t> bytes;
  int chunk = 2048;
  int max_chunks = 0;  // 0 = every chunk (the last may be short); else evenly spaced full chunks
  std::vector<uint8_t> tags;  // empty (all 0) or one per byte, like DataLoader's
  // The tokenization study: each chunk of eval_chunks(*this) as token ids
  // (empty: the model reads bytes). Bits still count per byte of the chunk.
  std::vector<std::vector<uint16_t>> chunk_ids;
};

// Chunk start offsets and lengths that an evaluation of `set` scores.
std::vector<std::pair<size_t, int>> eval_chunks(const EvalSet& set);

}  // namespace lmzip::train
