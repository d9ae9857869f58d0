// GGUF v3 model files (the llama.cpp format): an in-memory representation,
// a reader that checks every count and offset against the file size, and a
// writer. Only what lmzip uses: scalar/string/array metadata and F32/F16
// tensors. Spec of what we read and write: docs/MODEL_FORMAT.md.
#pragma once

#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <variant>
#include <vector>

#include "lmzip/error.h"

namespace lmzip::gguf {

enum class TensorType : uint32_t { f32 = 0, f16 = 1 };

// Metadata values lmzip reads and writes.
using Value = std::variant<uint32_t, int32_t, uint64_t, float, bool, std::string,
                           std::vector<std::string>, std::vector<int32_t>, std::vector<float>>;

struct Tensor {
  std::string name;
  std::vector<uint64_t> dims;  // GGUF order: dims[0] is the fastest-varying (row length)
  TensorType type = TensorType::f32;
  std::vector<uint8_t> data;   // raw little-endian payload, dims product * element size
  uint64_t elements() const;
};

struct File {
  std::map<std::string, Value> metadata;
  std::vector<Tensor> tensors;
  uint32_t alignment = 32;

  const Tensor* find_tensor(const std::string& name) const;
  const Value* find(const std::string& key) const;
};

// Parses a whole file image. Never trusts a count or offset: every one is
// checked against the bytes present before anything is allocated.
Result<File> gguf_parse(std::span<const uint8_t> bytes);
Result<File> gguf_read(const std::string& path);

std::vector<uint8_t> gguf_serialize(const File& file);
Status gguf_write(const File& file, const std::string& path);

}  // namespace lmzip::gguf
