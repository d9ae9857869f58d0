// Deterministic rotary angles, shared by the byte transformer and the
// pretrained LLMs: cs = [hd/2 cos][hd/2 sin], angle_i = pos * theta_i with
// theta_i = base^(-2i/hd) (rope_thetas, computed once per model), in double
// with only + - * / so every IEEE-754 machine gets the same bits (libm's
// sin/cos/pow differ between systems).
#pragma once

#include <cstdint>
#include <vector>

namespace lmzip {

std::vector<double> rope_thetas(int hd, float base);
// Angles of any thetas (a model may scale rope_thetas' values, in double).
void rope_angles(const std::vector<double>& theta, int64_t pos, float* cs);

}  // namespace lmzip
