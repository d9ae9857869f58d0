// Checksums of the container: XXH64 (seed 0) via libxxhash.
#pragma once

#include <cstdint>
#include <span>

#include <xxhash.h>

namespace lmzip {

inline uint64_t checksum64(std::span<const uint8_t> data) {
  return XXH64(data.data(), data.size(), 0);
}
// Chunk and header checksums store the low 32 bits of XXH64.
inline uint32_t checksum32(std::span<const uint8_t> data) {
  return static_cast<uint32_t>(checksum64(data));
}

// Whole-content checksum, fed chunk by chunk.
class StreamChecksum {
 public:
  StreamChecksum() : state_(XXH64_createState()) { XXH64_reset(state_, 0); }
  ~StreamChecksum() { XXH64_freeState(state_); }
  StreamChecksum(const StreamChecksum&) = delete;
  StreamChecksum& operator=(const StreamChecksum&) = delete;
  void update(std::span<const uint8_t> data) { XXH64_update(state_, data.data(), data.size()); }
  uint64_t digest() const { return XXH64_digest(state_); }

 private:
  XXH64_state_t* state_;
};

}  // namespace lmzip
