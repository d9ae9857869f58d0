// Limits of the .lmz format (docs/FORMAT.md) that the API exposes: the
// format's reader and the codec's options both refer to these.
#pragma once

#include <cstdint>

namespace lmzip {

inline constexpr uint32_t kMaxChunkSize = 1u << 26;  // 64 MiB: the largest chunk size a frame may have

}  // namespace lmzip
