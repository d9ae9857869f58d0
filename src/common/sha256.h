// SHA-256 (OpenSSL) of byte ranges and files: the identity of a model.
#pragma once

#include <cstdint>
#include <span>

#include "lmzip/error.h"
#include "lmzip/sha256.h"

namespace lmzip {

Sha256 sha256_bytes(std::span<const uint8_t> data);
// The digest of a whole file, read in pieces (a model of gigabytes is never
// held in memory for it); an io error names the path.
Result<Sha256> sha256_file(const std::string& path);

}  // namespace lmzip
