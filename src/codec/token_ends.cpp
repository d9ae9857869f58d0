#include "codec/token_ends.h"

namespace lmzip {

namespace {
constexpr int kContextBits = 16;
constexpr int kRate = 6;
}  // namespace

TokenEnds::TokenEnds() : by_bytes_(size_t(1) << kContextBits, kRate), by_previous_(size_t(1) << kContextBits, kRate) {}

uint32_t TokenEnds::p_end(uint32_t end_mass, uint32_t run_mass, const TokenEndContext& c) {
  uint64_t p = (uint64_t{end_mass} << 16) / run_mass;
  p = p < 1 ? 1 : (p > 65535 ? 65535 : p);
  const uint32_t mask = (1u << kContextBits) - 1;
  const int a = by_bytes_.refine(int(p), (c.bytes >> 7) & mask);
  const int b = by_previous_.refine(int(p), (c.with_previous() >> 7) & mask);
  return uint32_t((int(p) + a + 2 * b + 2) >> 2);
}

void TokenEnds::update(bool ends) {
  by_bytes_.update(ends);
  by_previous_.update(ends);
}

}  // namespace lmzip
