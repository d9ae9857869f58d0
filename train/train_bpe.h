// Byte-level BPE learned from training text: the tokenizers of the paper's
// Table 2 (byte models against token models of several vocabulary sizes).
// Token ids 0..255 are the bytes; id 256 + i joins merges[i]'s two tokens.
// Merges never cross a piece boundary (bpe_pieces), so a token is a piece
// or part of one, as in GPT-2's byte-level BPE.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "lmzip/error.h"
#include "train_data.h"

namespace lmzip::train {

struct BpeMerges {
  std::vector<std::pair<int, int>> merges;  // in the order learned: earlier merges apply first
  int vocab() const { return 256 + int(merges.size()); }
};

// Cuts text into pieces that merges stay inside: a run of letters, digits and
// bytes >= 0x80 (UTF-8) with at most one space before it, a run of other
// spaces, or a run of one punctuation byte repeated. Returns the end offset
// of each piece.
std::vector<size_t> bpe_pieces(std::span<const uint8_t> text);

// Learns merges until the vocabulary has `vocab` tokens (>= 256), or until
// no pair occurs twice. Deterministic: of the most frequent pairs, the one
// with the smallest (left, right) ids.
BpeMerges bpe_train(std::span<const uint8_t> text, int vocab);

// Tokenises with learned merges; keeps a cache of the pieces it has seen.
class BpeEncoder {
 public:
  explicit BpeEncoder(BpeMerges m);
  int vocab() const { return m_.vocab(); }
  // Appends the ids of `text`: each piece from its bytes, applying the
  // lowest-ranked merge present until none applies. The ids' bytes, in
  // order, are `text`.
  void encode(std::span<const uint8_t> text, std::vector<int>& ids);
  // The bytes of token id < vocab().
  const std::string& token_bytes(int id) const { return bytes_[size_t(id)]; }

 private:
  BpeMerges m_;
  std::unordered_map<uint64_t, int> rank_;  // (left, right) -> merge index
  std::vector<std::string> bytes_;          // (vocab)
  std::unordered_map<std::string, std::vector<int>> cache_;
};

// The training side of the study: a file's ids as a token source (ids must
// fit 16 bits), and each chunk of a dev set as ids (EvalSet::chunk_ids).
Status bpe_add_source(BpeEncoder& enc, DataLoader& data, const std::string& name, std::span<const uint8_t> bytes,
                      double weight, int window);
void bpe_chunk_ids(BpeEncoder& enc, EvalSet& set);

// A text file: "lmzip-bpe 1", then one merge per line, "LEFT RIGHT".
Status bpe_write(const BpeMerges& m, const std::string& path);
Result<BpeMerges> bpe_read(const std::string& path);

}  // namespace lmzip::train
