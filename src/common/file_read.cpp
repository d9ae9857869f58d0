#include "common/file_read.h"

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace lmzip {

Result<std::vector<uint8_t>> file_read_all(const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) return Status(ErrorCode::io, "cannot open '" + path + "': " + std::strerror(errno));
  std::vector<uint8_t> bytes;
  uint8_t buf[1 << 16];
  size_t got;
  while ((got = std::fread(buf, 1, sizeof buf, f)) > 0) bytes.insert(bytes.end(), buf, buf + got);
  const bool failed = std::ferror(f) != 0;
  std::fclose(f);
  if (failed) return Status(ErrorCode::io, "cannot read '" + path + "'");
  return bytes;
}

}  // namespace lmzip
