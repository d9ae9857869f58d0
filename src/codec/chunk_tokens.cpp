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

bool chunk_decode_tokens(Predictor& predictor, const TokenText& text, std::span<const uint8_t> payload,
                         std::span<uint8_t> content, bool exact_end) {
  const int a = predictor.alphabet_size();
  std::vector<uint32_t> freqs(static_cast<size_t>(a));
  std::vector<Symbol> ids;
  RangeDecoder decoder(payload, exact_end);
  predictor.reset();
  size_t filled = 0;
  while (filled < content.size()) {
    if (!ids.empty()) predictor.update(ids.back());
    const uint32_t total = predictor.predict(freqs.data());
    const Symbol id = symbol_decode(decoder, freqs.data(), total, a);
    if (decoder.overrun()) return false;
    const std::string_view t = text.text(id, ids.empty());
    // Every id of a valid coding spells at least one byte, but the first may
    // spell none (SPM drops the space it put in front: a chunk starting
    // with a space can start with the id of a lone space). So a chunk takes
    // at most its size plus one ids: decoding always ends.
    if ((t.empty() && !ids.empty()) || t.size() > content.size() - filled) return false;
    std::memcpy(content.data() + filled, t.data(), t.size());
    filled += t.size();
    ids.push_back(id);
  }
  if (!decoder.at_canonical_end()) return false;
  std::vector<Symbol> again;
  return text.tokens(content, again) && again == ids;
}

}  // namespace lmzip
