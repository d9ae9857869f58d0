// A whole file into memory: the one read loop of the library and its tools
// (model files, training and benchmark data).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "lmzip/error.h"

namespace lmzip {

// io error "cannot open 'PATH': reason" / "cannot read 'PATH': reason".
Result<std::vector<uint8_t>> file_read(const std::string& path);

}  // namespace lmzip
