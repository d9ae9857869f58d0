// SHA-256 (OpenSSL) of byte ranges and files: the identity of a model.
#pragma once

#include <cstdint>
#include <span>

#include "lmzip/sha256.h"

namespace lmzip {

Sha256 sha256_bytes(std::span<const uint8_t> data);

}  // namespace lmzip
