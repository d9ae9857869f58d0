// Adaptive chunks whose network is a token model (docs/FORMAT.md, "Adaptive
// payload with a token network"). The chunk's tokens (TokenText::tokens) are
// read byte by byte (token_bytes.h): before each byte, where the token read
// so far could both end and go on, whether it ends is coded with the model's
// odds, refined by what the chunk has shown (token_ends.h); where several ids
// end there, which one; each byte then goes through
// the stage with the model's distribution of it as the network's. The model
// restarts from its start id every window() tokens.
#include <algorithm>
#include <vector>

#include "adaptive/adaptive_model.h"
#include "adaptive/network_input.h"
#include "codec/adaptive_bits.h"
#include "codec/chunk_codec.h"
#include "codec/token_bytes.h"
#include "codec/token_ends.h"
#include "lmzip/model.h"

namespace lmzip {

struct TokenOrders {
  TokenOrders(const TokenText& text, uint32_t vocabulary) : first(text, vocabulary, true), rest(text, vocabulary, false) {}
  const TokenOrder& of(size_t token) const { return token == 0 ? first : rest; }
  TokenOrder first, rest;
};

TokenPlan::TokenPlan() = default;
TokenPlan::~TokenPlan() = default;

bool token_plan_make(const TokenText& text, uint32_t vocabulary, std::span<const uint8_t> content, TokenPlan& plan) {
  plan.ids.clear();
  if (content.empty() || !text.tokens(content, plan.ids)) return false;
  plan.starts.assign(1, 0);
  for (size_t g = 0; g < plan.ids.size(); ++g)
    plan.starts.push_back(plan.starts.back() + uint32_t(text.text(plan.ids[g], g == 0).size()));
  if (plan.starts.back() != content.size()) return false;
  if (!plan.orders) plan.orders = std::make_unique<TokenOrders>(text, vocabulary);
  const size_t w = text.window();
  plan.events.assign((plan.ids.size() + w - 1) / w, {});
  return true;
}

bool token_window_code(Predictor& network, const TokenText& text, TokenPlan& plan, size_t w, uint16_t* paths) {
  // A segment's frequencies are (segment, vocabulary), as in chunk_encode_tokens.
  constexpr size_t kSegment = 64;
  const size_t a = size_t(network.alphabet_size()), window = text.window();
  const size_t begin = w * window, end = std::min(plan.ids.size(), begin + window);
  std::vector<uint32_t> freqs(std::min(kSegment, end - begin) * a), totals(kSegment);
  std::vector<TokenEvent>& events = plan.events[w];
  events.clear();
  TokenCursor cursor;
  uint32_t byte_freq[256];
  network.reset();
  for (size_t base = begin; base < end; base += kSegment) {
    const size_t n = std::min(kSegment, end - base);
    network.predict_batch({plan.ids.data() + base, n}, freqs.data(), totals.data());
    for (size_t i = 0; i < n; ++i) {
      const size_t g = base + i;
      cursor.start(plan.orders->of(g), freqs.data() + i * a);
      const std::string_view t = text.text(plan.ids[g], g == 0);
      const uint32_t at = plan.starts[g];
      TokenEndContext context;
      context.previous = g == 0 ? TokenEndContext::kNoId : plan.ids[g - 1];
      auto decision = [&](uint32_t where, bool ends) {
        events.push_back({where, cursor.end_mass(), cursor.run_mass(), 0, context.bytes, context.previous, false, ends});
      };
      for (size_t j = 0; j < t.size(); ++j) {
        if (cursor.can_end() && cursor.can_continue()) decision(at + uint32_t(j), false);
        cursor.byte_freqs(byte_freq);
        adaptive::network_path(byte_freq, uint8_t(t[j]), paths + size_t(at + j) * 8);
        if (!cursor.advance(uint8_t(t[j]))) return false;
        context.add(uint8_t(t[j]));
      }
      const uint32_t after = at + uint32_t(t.size());
      if (g + 1 < plan.ids.size() && cursor.can_continue()) decision(after, true);
      size_t k = 0;
      while (k < cursor.exact() && cursor.exact_id(k) != plan.ids[g]) ++k;
      if (k == cursor.exact()) return false;  // an id outside the order (one that spells nothing)
      if (cursor.exact() > 1)
        events.push_back({after, cursor.exact_mass(k), cursor.end_mass(), cursor.exact_start(k), 0, 0, true, false});
    }
  }
  return true;
}

bool chunk_encode_adaptive_tokens(AdaptiveModel& stage, const uint16_t* paths, const TokenPlan& plan,
                                  std::span<const uint8_t> content, std::vector<uint8_t>& payload) {
  const uint32_t bytes = uint32_t(content.size());
  payload.assign(1, 0);  // the lane byte: one lane
  stage.reset(bytes, 1);
  TokenEnds ends;
  RangeEncoder encoder(payload);
  size_check_encode(encoder, stage.stage(), 0, bytes);
  size_t w = 0, e = 0;  // the next event: plan.events[w][e]
  auto events_before = [&](uint32_t at) {
    for (;;) {
      while (w < plan.events.size() && e == plan.events[w].size()) ++w, e = 0;
      if (w == plan.events.size() || plan.events[w][e].at != at) return;
      const TokenEvent& ev = plan.events[w][e++];
      if (ev.choice) {
        encoder.encode(ev.start, ev.mass, ev.total);
        continue;
      }
      const uint32_t p = ends.p_end(ev.mass, ev.total, {ev.bytes, ev.previous});
      bit_encode(encoder, ev.ends ? 0 : 1, kBitTotal - p);  // a 0 (probability p): the token ends
      ends.update(ev.ends);
    }
  };
  for (uint32_t t = 0; t < bytes; ++t) {
    events_before(t);
    stage.byte_begin_path(0, paths + size_t(t) * 8);
    for (int i = 7; i >= 0; --i) {
      const int bit = (content[t] >> i) & 1;
      bit_encode(encoder, bit, stage.p1());
      stage.update(bit);
    }
    if ((t & 1023) == 0 && payload.size() >= content.size()) return false;
  }
  events_before(bytes);
  encoder.finish();
  return payload.size() < content.size();
}

bool chunk_decode_adaptive_tokens(AdaptiveModel& stage, Predictor& network, const TokenText& text,
                                  std::span<const uint8_t> payload, std::span<uint8_t> content, PayloadRules rules) {
  const uint32_t bytes = uint32_t(content.size());
  if (payload.empty() || payload[0] != 0 || bytes == 0) return false;  // one lane
  RangeDecoder decoder(payload.subspan(1), rules.exact_end);
  if (rules.size_check && !size_check_decode(decoder, stage.stage(), 0, bytes)) return false;
  const size_t a = size_t(network.alphabet_size()), window = text.window();
  const TokenOrders orders(text, uint32_t(a));
  std::vector<uint32_t> freqs(a);
  uint32_t byte_freq[256];
  std::vector<Symbol> ids;
  TokenCursor cursor;
  TokenEnds ends;
  TokenEndContext context;
  auto token_start = [&] {
    const size_t g = ids.size();
    if (g % window == 0) network.reset();
    else network.update(ids.back());
    network.predict(freqs.data());
    cursor.start(orders.of(g), freqs.data());
    context = {};
    context.previous = g == 0 ? TokenEndContext::kNoId : ids.back();
  };
  auto token_end = [&] {
    size_t k = 0;
    if (cursor.exact() > 1) {
      const uint32_t target = decoder.decode_target(cursor.end_mass());
      while (k + 1 < cursor.exact() && cursor.exact_start(k) + cursor.exact_mass(k) <= target) ++k;
      decoder.consume(cursor.exact_start(k), cursor.exact_mass(k));
    }
    ids.push_back(cursor.exact_id(k));
  };
  stage.reset(bytes, 1);
  token_start();
  uint32_t filled = 0;
  for (;;) {
    if (filled == bytes) {  // the last token ends with the chunk
      if (!cursor.can_end()) return false;
      token_end();
      break;
    }
    if (cursor.can_end()) {
      bool end = true;
      if (cursor.can_continue()) {
        const uint32_t p = ends.p_end(cursor.end_mass(), cursor.run_mass(), context);
        end = bit_decode(decoder, kBitTotal - p) == 0;  // [0, p) ends: a 0 of P(1) = 1 - p
        ends.update(end);
      }
      if (end) {
        token_end();
        token_start();
        continue;
      }
    }
    cursor.byte_freqs(byte_freq);
    stage.byte_begin(0, byte_freq);
    unsigned byte = 0;
    for (int i = 0; i < 8; ++i) {
      const int bit = bit_decode(decoder, stage.p1());
      stage.update(bit);
      byte = (byte << 1) | unsigned(bit);
    }
    if (decoder.overrun() || !cursor.advance(uint8_t(byte))) return false;
    context.add(uint8_t(byte));
    content[filled++] = uint8_t(byte);
  }
  std::vector<Symbol> again;
  return decoder.at_canonical_end() && text.tokens(content, again) && again == ids;
}

}  // namespace lmzip
