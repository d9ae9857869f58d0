#include "lmzip/io.h"

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace lmzip {

Status FileSource::read(std::span<uint8_t> buf, size_t* got) {
  size_t total = 0;
  while (total < buf.size()) {
    size_t n = std::fread(buf.data() + total, 1, buf.size() - total, f_);
    total += n;
    if (n == 0) {
      if (std::ferror(f_)) {
        *got = total;
        return Status(ErrorCode::io, "cannot read " + what_ + ": " + std::strerror(errno));
      }
      break;  // end of file
    }
  }
  *got = total;
  return {};
}

Status FileSink::write(std::span<const uint8_t> data) {
  if (data.empty()) return {};
  if (std::fwrite(data.data(), 1, data.size(), f_) != data.size())
    return Status(ErrorCode::io, "cannot write " + what_ + ": " + std::strerror(errno));
  return {};
}

Status FileSink::flush() {
  if (std::fflush(f_) != 0)
    return Status(ErrorCode::io, "cannot write " + what_ + ": " + std::strerror(errno));
  return {};
}

Status MemorySource::read(std::span<uint8_t> buf, size_t* got) {
  size_t n = std::min(buf.size(), data_.size() - pos_);
  std::copy_n(data_.data() + pos_, n, buf.data());
  pos_ += n;
  *got = n;
  return {};
}

Status MemorySink::write(std::span<const uint8_t> data) {
  bytes_.insert(bytes_.end(), data.begin(), data.end());
  return {};
}

}  // namespace lmzip
