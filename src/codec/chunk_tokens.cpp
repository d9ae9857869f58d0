#include <algorithm>
#include <cstring>

#include "codec/chunk_codec.h"
#include "codec/symbol_coding.h"
#include "lmzip/model.h"

namespace lmzip {

bool chunk_encode_tokens(Predictor& predictor, const TokenText& text, std::span<const uint8_t> content,
                         std::vector<uint8_t>& payload) {
  std::vector<Symbol> ids;
  if (content.empty() || !text.tokens(content, ids)) return false;
  // A segment's frequencies are (segment, vocabulary): 64 ids of a 128K
  // vocabulary hold 32 MiB.
  constexpr size_t kSegment = 64;
  const size_t a = size_t(predictor.alphabet_size());
  std::vector<uint32_t> freqs(std::min(kSegment, ids.size()) * a), totals(kSegment);
  predictor.reset();
  payload.clear();
  RangeEncoder encoder(payload);
  for (size_t base = 0; base < ids.size(); base += kSegment) {
    const size_t n = std::min(kSegment, ids.size() - base);
    predictor.predict_batch({ids.data() + base, n}, freqs.data(), totals.data());
    for (size_t i = 0; i < n; ++i) symbol_encode(encoder, freqs.data() + i * a, totals[i], ids[base + i]);
    if (payload.size() >= content.size()) return false;
  }
  encoder.finish();
  return payload.size() < content.size();
}

void chunk_decode_tokens(Predictor& predictor, const TokenText& text, std::span<ChunkLane> lanes, bool exact_end) {
  const size_t n = lanes.size(), a = size_t(predictor.alphabet_size());
  std::vector<uint32_t> freqs(n * a), totals(n);
  std::vector<RangeDecoder> decoders;
  decoders.reserve(n);
  for (const ChunkLane& l : lanes) decoders.emplace_back(l.payload, exact_end);
  std::vector<std::vector<Symbol>> ids(n);
  std::vector<size_t> filled(n, 0);
  std::vector<uint8_t> going(n, 1);  // 0 once a lane is full or has failed
  std::vector<Symbol> step(n, 0);    // each lane's last id; 0 for lanes that have ended
  for (ChunkLane& l : lanes) l.canonical = false;
  predictor.reset(n);
  size_t left = n;
  for (bool first = true; left > 0; first = false) {
    if (!first) predictor.update(step);
    predictor.predict(freqs.data(), totals.data());
    for (size_t b = 0; b < n; ++b) {
      if (!going[b]) {
        step[b] = 0;
        continue;
      }
      ChunkLane& l = lanes[b];
      const Symbol id = symbol_decode(decoders[b], freqs.data() + b * a, totals[b], int(a));
      const std::string_view t = text.text(id, ids[b].empty());
      // Every id of a valid coding spells at least one byte, but the first
      // may spell none (SPM drops the space it put in front: a chunk starting
      // with a space can start with the id of a lone space). So a chunk takes
      // at most its size plus one ids: decoding always ends.
      const bool bad = decoders[b].overrun() || (t.empty() && !ids[b].empty()) || t.size() > l.content.size() - filled[b];
      if (!bad) {
        std::memcpy(l.content.data() + filled[b], t.data(), t.size());
        filled[b] += t.size();
        ids[b].push_back(id);
      }
      step[b] = id;
      if (bad || filled[b] == l.content.size()) {
        going[b] = 0;
        --left;
        if (!bad && decoders[b].at_canonical_end()) {
          std::vector<Symbol> again;
          l.canonical = text.tokens(l.content, again) && again == ids[b];
        }
      }
    }
  }
}

}  // namespace lmzip
