// A model identity as a frame gives it: whole, or a prefix (lmzip/model.h).
#include <algorithm>

#include "lmzip/model.h"

namespace lmzip {

IdentityPrefix::IdentityPrefix(const Sha256& whole, size_t prefix_bytes) : bytes(std::min(prefix_bytes, whole.size())) {
  std::copy(whole.begin(), whole.begin() + static_cast<long>(bytes), digest.begin());
}

bool IdentityPrefix::matches(const Sha256& identity) const {
  return std::equal(digest.begin(), digest.begin() + static_cast<long>(bytes), identity.begin());
}

std::string IdentityPrefix::hex() const {
  const std::string all = sha256_hex(digest);
  return whole() ? all : all.substr(0, 2 * bytes) + "...";
}

}  // namespace lmzip
