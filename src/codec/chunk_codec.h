// One chunk through the model and the range coder. Chunks are independent:
// the predictor is reset at the start of each.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "lmzip/predictor.h"

namespace lmzip {

class AdaptiveModel;
class TokenText;

// How many chunks the encoder and decoder hold in flight: enough to keep every
// thread busy, few enough to bound memory.
inline size_t chunks_in_flight(unsigned threads, uint32_t chunk_size) {
  const size_t by_memory = std::min<size_t>(256, (16u << 20) / chunk_size);
  return std::max<size_t>(2 * size_t{threads}, by_memory);
}

// Appends the coded chunk to `payload`, with an exact end (RangeEncoder). Returns
// false (payload contents then unspecified) as soon as the code is no smaller
// than the content: the caller stores such a chunk raw.
bool chunk_encode(Predictor& predictor, std::span<const uint8_t> content,
                  std::vector<uint8_t>& payload);

// Decodes lanes.size() chunks (1 .. predictor.max_lanes()) together, one
// predictor lane each, lanes ordered longest first; each decodes exactly its
// content.size() bytes. Any payload decodes to something; corrupt payloads
// are caught by the chunk checksum, and by the result: canonical is false
// when the payload is not exactly the encoder's coding of what it decoded to
// (RangeDecoder::at_canonical_end), which a decoder must reject. With
// exact_end (the payloads' ends, RangeEncoder), a lane that would read past
// its payload stops there, not canonical, and decoding stops once no lane is
// left going: a record that claims more bytes than its payload codes costs
// little. The frequencies, hence the output, do not depend on the number of lanes.
struct ChunkLane {
  std::span<const uint8_t> payload;
  std::span<uint8_t> content;
  bool canonical = false;  // set by chunk_decode
};
void chunk_decode(Predictor& predictor, std::span<ChunkLane> lanes, bool exact_end);

// One chunk: chunk_decode of one lane; returns its `canonical`.
inline bool chunk_decode(Predictor& predictor, std::span<const uint8_t> payload, std::span<uint8_t> content,
                         bool exact_end) {
  ChunkLane lane{payload, content};
  chunk_decode(predictor, {&lane, 1}, exact_end);
  return lane.canonical;
}

// A chunk of a token model (docs/FORMAT.md, "Token payload"): the ids
// text.tokens() gives for the content, each coded with the predictor's
// distribution over the vocabulary (the first from the model's start id).
// Returns false (payload then unspecified) when no ids spell the content or
// as soon as the code is no smaller than the content.
bool chunk_encode_tokens(Predictor& predictor, const TokenText& text, std::span<const uint8_t> content,
                         std::vector<uint8_t>& payload);
// Decodes ids until their text fills content exactly: whether the
// payload is the encoder's coding of what it decoded to: false for an id
// that spells nothing or runs past the chunk's end, a read past the payload
// (exact_end), a range code that does not end canonically, or ids other than
// tokens() of the content.
// Several chunks in lockstep, one predictor lane each (lanes.size() <=
// predictor.max_lanes()): a lane that has ended is fed the id 0 until every
// lane has, so each lane's frequencies are those it has alone; sets each
// lane's `canonical` to what the one-chunk form returns.
void chunk_decode_tokens(Predictor& predictor, const TokenText& text, std::span<ChunkLane> lanes, bool exact_end);
inline bool chunk_decode_tokens(Predictor& predictor, const TokenText& text, std::span<const uint8_t> payload,
                                std::span<uint8_t> content, bool exact_end) {
  ChunkLane lane{payload, content};
  chunk_decode_tokens(predictor, text, {&lane, 1}, exact_end);
  return lane.canonical;
}

// A chunk through the adaptive stage (docs/FORMAT.md, "Adaptive payload"):
// each byte as 8 binary decisions, most significant bit first, each coded
// with the stage's probability. With a network, the stage takes its
// prediction of every byte, and (stage 2 on) the chunk may be coded in
// segments in lockstep, one network lane each from a reset (adaptive_lanes;
// AdaptiveModel::reset): the payload's first byte says how many. The stage is
// reset at the chunk's start.

// The encoder's network input for one segment: `network` (reset here) over
// the segment's bytes, as 8 node probabilities per byte (adaptive::network_path)
// into paths[0 .. 8 * segment.size()).
void chunk_paths(Predictor& network, std::span<const uint8_t> segment, uint16_t* paths);
// paths: chunk_paths of every segment of adaptive_lanes(content.size(),
// lane_log2), in content order (null: no network; lane_log2 is then unused).
// Returns false (payload then unspecified) as soon as the code is no smaller
// than the content. The payload has an exact end and a size check (PayloadRules).
bool chunk_encode_adaptive(AdaptiveModel& stage, const uint16_t* paths, uint8_t lane_log2,
                           std::span<const uint8_t> content, std::vector<uint8_t>& payload);
// The lanes the network of an adaptive chunk must have to decode it (1 for a
// payload that names none or names an invalid count, which decoding rejects).
uint32_t adaptive_decode_lanes(uint8_t stage, bool network, std::span<const uint8_t> payload, uint32_t bytes);
// What a frame says about its adaptive payloads (format::FrameHeader): the
// encoder writes both; frames of earlier encoders lack one or both.
struct PayloadRules {
  bool exact_end = true;   // exact_ends: the payload ends exactly (RangeEncoder)
  bool size_check = true;  // adaptive_checked: the code opens with a check of the chunk's claim
};
// network: null, or with max_lanes() >= adaptive_decode_lanes(). Returns
// whether the payload is the encoder's unique coding of what it decoded to;
// stops (false) at a size check that fails, and with exact_end as soon as the
// decoder would read past the payload.
bool chunk_decode_adaptive(AdaptiveModel& stage, Predictor* network, std::span<const uint8_t> payload,
                           std::span<uint8_t> content, PayloadRules rules);

// An adaptive chunk whose network is a token model (stage 4; docs/FORMAT.md,
// "Adaptive payload with a token network"): one lane; the model runs over the
// chunk's ids in windows of TokenText::window() ids, each from its start id.
// The encoder's plan: the ids, then per window the token model's coded
// decisions (TokenEvent) and the network input of the window's bytes.
struct TokenEvent {
  uint32_t at;             // coded before content byte `at` (at == size: after the last)
  uint32_t mass, total;    // an end decision: the model's mass of the tokens that end here, of all
                           // that start with the bytes read; a choice: the chosen id's, of those that end
  uint32_t start;          // a choice: where the chosen id's interval starts
  uint32_t bytes;          // an end decision: TokenEndContext (token_ends.h)
  Symbol previous;
  bool choice, ends;
};
struct TokenOrders;
struct TokenPlan {
  TokenPlan();
  ~TokenPlan();
  std::vector<Symbol> ids;                      // TokenText::tokens() of the content
  std::vector<uint32_t> starts;                 // where each id's text starts, then the content size
  std::vector<std::vector<TokenEvent>> events;  // per window
  std::unique_ptr<TokenOrders> orders;          // the vocabulary sorted by text (kept for the next chunk)
};
// Tokenises content; false when no ids spell it (the stage then codes it alone).
bool token_plan_make(const TokenText& text, uint32_t vocabulary, std::span<const uint8_t> content, TokenPlan& plan);
// Window w of the plan through `network` (reset here): its events, and the
// network input of its bytes into paths (8 per content byte, as chunk_paths).
// Windows are independent: any thread may code any of them. False only for
// ids that no valid coding holds.
bool token_window_code(Predictor& network, const TokenText& text, TokenPlan& plan, size_t w, uint16_t* paths);
bool chunk_encode_adaptive_tokens(AdaptiveModel& stage, const uint16_t* paths, const TokenPlan& plan,
                                  std::span<const uint8_t> content, std::vector<uint8_t>& payload);
// Whether the payload is the encoder's unique coding of what it decoded to
// (the same rules as chunk_decode_adaptive, and the token payload's: the ids
// read must be tokens() of the content).
bool chunk_decode_adaptive_tokens(AdaptiveModel& stage, Predictor& network, const TokenText& text,
                                  std::span<const uint8_t> payload, std::span<uint8_t> content, PayloadRules rules);

}  // namespace lmzip
