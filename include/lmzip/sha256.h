// A SHA-256 digest: the identity of a model (lmzip/model.h).
#pragma once

#include <array>
#include <cstdint>
#include <string>

namespace lmzip {

using Sha256 = std::array<uint8_t, 32>;
std::string sha256_hex(const Sha256& digest);

}  // namespace lmzip
