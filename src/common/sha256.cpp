#include "common/sha256.h"

#include <openssl/evp.h>

namespace lmzip {

Sha256 sha256_bytes(std::span<const uint8_t> data) {
  Sha256 digest{};
  unsigned int len = 0;
  EVP_Digest(data.data(), data.size(), digest.data(), &len, EVP_sha256(), nullptr);
  return digest;
}

std::string sha256_hex(const Sha256& digest) {
  static const char* hex = "0123456789abcdef";
  std::string s;
  for (uint8_t b : digest) {
    s += hex[b >> 4];
    s += hex[b & 15];
  }
  return s;
}

}  // namespace lmzip
