// A whole file into memory: the one read-everything loop for the tools and
// the harness (the codec itself streams through ByteSource).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "lmzip/error.h"

namespace lmzip {

// io error naming the path when the file cannot be opened or read.
Result<std::vector<uint8_t>> file_read_all(const std::string& path);

}  // namespace lmzip
