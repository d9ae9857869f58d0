// Byte sources and sinks the codec streams through.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <span>
#include <string>
#include <vector>

#include "lmzip/error.h"

namespace lmzip {

class ByteSource {
 public:
  virtual ~ByteSource() = default;
  // Reads up to buf.size() bytes: at least one, unless at end of input
  // (*got == 0). Fewer than asked may come at any time (a pipe, a socket).
  virtual Status read(std::span<uint8_t> buf, size_t* got) = 0;
};

// Reads until buf is full or the source is at its end: *got < buf.size()
// only at end of input.
Status read_full(ByteSource& in, std::span<uint8_t> buf, size_t* got);

class ByteSink {
 public:
  virtual ~ByteSink() = default;
  virtual Status write(std::span<const uint8_t> data) = 0;
};

// Over a stdio stream the caller owns; `what` names it in error messages.
class FileSource final : public ByteSource {
 public:
  FileSource(std::FILE* f, std::string what) : f_(f), what_(std::move(what)) {}
  Status read(std::span<uint8_t> buf, size_t* got) override;

 private:
  std::FILE* f_;
  std::string what_;
};

class FileSink final : public ByteSink {
 public:
  FileSink(std::FILE* f, std::string what) : f_(f), what_(std::move(what)) {}
  Status write(std::span<const uint8_t> data) override;
  Status flush();

 private:
  std::FILE* f_;
  std::string what_;
};

class MemorySource final : public ByteSource {
 public:
  explicit MemorySource(std::span<const uint8_t> data) : data_(data) {}
  Status read(std::span<uint8_t> buf, size_t* got) override;

 private:
  std::span<const uint8_t> data_;
  size_t pos_ = 0;
};

class MemorySink final : public ByteSink {
 public:
  Status write(std::span<const uint8_t> data) override;
  std::vector<uint8_t>& bytes() { return bytes_; }

 private:
  std::vector<uint8_t> bytes_;
};

}  // namespace lmzip
