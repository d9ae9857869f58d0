// Cutting a byte stream into the benchmark's fixed-size chunks.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace lmzip::harness {

inline constexpr size_t kChunkBytes = 2048;  // the paper's chunk size (CHUNK_SIZE_BYTES)

// Sizes of the chunks `total` bytes are cut into: full chunks of `chunk`
// bytes, then the remainder if `keep_tail` (text keeps it: every byte of a
// file is measured; audio drops it, as the paper's loader does).
std::vector<uint32_t> byte_chunk_sizes(size_t total, size_t chunk, bool keep_tail);

}  // namespace lmzip::harness
