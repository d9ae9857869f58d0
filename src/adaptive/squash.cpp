// squash / stretch in 16-bit probability precision (squash.h). The 257 knots
// are 65536 / (1 + e^(-d/128)) at d = -2048, -2032, .. 2048, rounded and
// clamped to 1..65535, computed once offline: no floating point at run time.
#include "adaptive/squash.h"

#include <array>

namespace lmzip::adaptive {
namespace {

constexpr int kKnots[257] = {
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 3,
    3, 3, 4, 4, 5, 6, 6, 7, 8, 9, 10, 12, 13, 15, 17, 19,
    22, 25, 28, 32, 36, 41, 47, 53, 60, 68, 77, 87, 98, 111, 126, 143,
    162, 184, 208, 236, 267, 302, 342, 387, 439, 497, 562, 636, 720, 815, 922, 1042,
    1179, 1333, 1506, 1701, 1921, 2168, 2446, 2758, 3108, 3500, 3938, 4427, 4971, 5577, 6249, 6992,
    7812, 8714, 9702, 10782, 11955, 13226, 14595, 16062, 17625, 19282, 21025, 22849, 24743, 26695, 28693, 30723,
    32768, 34813, 36843, 38841, 40793, 42687, 44511, 46254, 47911, 49474, 50941, 52310, 53581, 54754, 55834, 56822,
    57724, 58544, 59287, 59959, 60565, 61109, 61598, 62036, 62428, 62778, 63090, 63368, 63615, 63835, 64030, 64203,
    64357, 64494, 64614, 64721, 64816, 64900, 64974, 65039, 65097, 65149, 65194, 65234, 65269, 65300, 65328, 65352,
    65374, 65393, 65410, 65425, 65438, 65449, 65459, 65468, 65476, 65483, 65489, 65495, 65500, 65504, 65508, 65511,
    65514, 65517, 65519, 65521, 65523, 65524, 65526, 65527, 65528, 65529, 65530, 65530, 65531, 65532, 65532, 65533,
    65533, 65533, 65534, 65534, 65534, 65534, 65535, 65535, 65535, 65535, 65535, 65535, 65535, 65535, 65535, 65535,
    65535, 65535, 65535, 65535, 65535, 65535, 65535, 65535, 65535, 65535, 65535, 65535, 65535, 65535, 65535, 65535,
    65535, 65535, 65535, 65535, 65535, 65535, 65535, 65535, 65535, 65535, 65535, 65535, 65535, 65535, 65535, 65535,
    65535,
};

constexpr int squash_exact(int d) {
  if (d > kStretchMax) d = kStretchMax;
  if (d < -kStretchMax) d = -kStretchMax;
  const int i = (d + 2048) >> 4, w = (d + 2048) & 15;
  return (kKnots[i] * (16 - w) + kKnots[i + 1] * w + 8) >> 4;
}

// stretch(p): the d whose squash is nearest above p, for every 16-bit p.
std::array<int16_t, 65536> stretch_table_build() {
  std::array<int16_t, 65536> t{};
  int p = 0;
  for (int d = -kStretchMax; d <= kStretchMax; ++d)
    for (const int v = squash_exact(d); p <= v && p < 65536; ++p) t[size_t(p)] = int16_t(d);
  for (; p < 65536; ++p) t[size_t(p)] = int16_t(kStretchMax);
  return t;
}

std::array<uint16_t, 4095> squash_table_build() {
  std::array<uint16_t, 4095> t{};
  for (int d = -kStretchMax; d <= kStretchMax; ++d) t[size_t(d + kStretchMax)] = uint16_t(squash_exact(d));
  return t;
}

}  // namespace

const std::array<int16_t, 65536> kStretchTable = stretch_table_build();
const std::array<uint16_t, 4095> kSquashTable = squash_table_build();

}  // namespace lmzip::adaptive
