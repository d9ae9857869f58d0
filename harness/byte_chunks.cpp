#include "byte_chunks.h"

namespace lmzip::harness {

std::vector<uint32_t> byte_chunk_sizes(size_t total, size_t chunk, bool keep_tail) {
  std::vector<uint32_t> sizes(total / chunk, static_cast<uint32_t>(chunk));
  if (keep_tail && total % chunk != 0) sizes.push_back(static_cast<uint32_t>(total % chunk));
  return sizes;
}

}  // namespace lmzip::harness
