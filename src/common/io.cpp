#include "lmzip/io.h"

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace lmzip {

Status read_full(ByteSource& in, std::span<uint8_t> buf, size_t* got) {
  size_t total = 0;
  while (total < buf.size()) {
    size_t n = 0;
    if (Status st = in.read(buf.subspan(total), &n); !st) {
      *got = total;
      return st;
    }
    if (n == 0) break;  // end of input
    total += n;
  }
  *got = total;
  return {};
}

// A signal whose handler does not restart system calls (SA_RESTART) makes a
// read or write of a pipe or terminal fail with EINTR: not an error, try again.
Status FileSource::read(std::span<uint8_t> buf, size_t* got) {
  size_t total = 0;
  while (total < buf.size()) {
    size_t n = std::fread(buf.data() + total, 1, buf.size() - total, f_);
    total += n;
    if (n == 0) {
      if (std::ferror(f_)) {
        if (errno == EINTR) {
          std::clearerr(f_);
          continue;
        }
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
  size_t done = 0;
  while (done < data.size()) {
    done += std::fwrite(data.data() + done, 1, data.size() - done, f_);
    if (done < data.size()) {
      if (std::ferror(f_) && errno == EINTR) {
        std::clearerr(f_);
        continue;
      }
      return Status(ErrorCode::io, "cannot write " + what_ + ": " + std::strerror(errno));
    }
  }
  return {};
}

Status FileSink::flush() {
  while (std::fflush(f_) != 0) {
    if (errno != EINTR) return Status(ErrorCode::io, "cannot write " + what_ + ": " + std::strerror(errno));
    std::clearerr(f_);
  }
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
