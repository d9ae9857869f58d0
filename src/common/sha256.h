// SHA-256 (OpenSSL) of byte ranges and files: the identity of a model.
#pragma once

#include <span>
#include <string>

#include "lmzip/error.h"
#include "lmzip/model.h"

namespace lmzip {

Sha256 sha256_bytes(std::span<const uint8_t> data);

}  // namespace lmzip
