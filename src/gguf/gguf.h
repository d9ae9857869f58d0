// GGUF v3 model files (the llama.cpp format): an in-memory representation,
// a reader that checks every count and offset against the file size (from a
// buffer, or mapping the file so that large models are never copied), and a
// writer. Metadata: scalars, strings and arrays; tensors: F32, F16, BF16 and
// the block types Q4_0, Q8_0, Q4_K and Q6_K (their values: gguf_dequant.h).
// Spec of what we read and write: docs/MODEL_FORMAT.md.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <variant>
#include <vector>

#include "lmzip/error.h"

namespace lmzip::gguf {

// ggml's type numbers for the tensor types lmzip reads.
enum class TensorType : uint32_t { f32 = 0, f16 = 1, q4_0 = 2, q8_0 = 8, q4_k = 12, q6_k = 14, bf16 = 30 };

// How a type stores its elements: `block` elements in `bytes` bytes (1 and
// the element size for the plain types). A tensor's rows (dims[0]) hold whole
// blocks.
struct TypeLayout {
  uint32_t block;
  uint32_t bytes;
  const char* name;  // as llama.cpp prints it: "F32", "Q8_0", ...
};
// The layout of ggml type number `type`; nullopt for a type lmzip does not read.
std::optional<TypeLayout> type_layout(uint32_t type);
inline TypeLayout type_layout(TensorType t) { return *type_layout(uint32_t(t)); }

// Metadata values lmzip reads and writes.
using Value = std::variant<uint32_t, int32_t, uint64_t, float, bool, std::string,
                           std::vector<std::string>, std::vector<int32_t>, std::vector<float>>;

struct Tensor {
  std::string name;
  std::vector<uint64_t> dims;  // GGUF order: dims[0] is the fastest-varying (row length)
  TensorType type = TensorType::f32;
  std::vector<uint8_t> data;       // raw little-endian payload (read or built in memory) ...
  std::span<const uint8_t> view;   // ... or where it lies in a mapped file (gguf_map), data empty
  std::span<const uint8_t> bytes() const { return data.empty() ? view : std::span<const uint8_t>(data); }
  uint64_t elements() const;
  // Bytes of `elements()` values of `type` (dims[0] a multiple of its block).
  uint64_t payload_bytes() const;
};

struct File {
  std::map<std::string, Value> metadata;
  std::vector<Tensor> tensors;
  uint32_t alignment = 32;
  std::shared_ptr<const void> mapping;  // keeps a mapped file's pages alive for the views

  const Tensor* find_tensor(const std::string& name) const;
  const Value* find(const std::string& key) const;
};

// Parses a whole file image. Never trusts a count or offset: every one is
// checked against the bytes present before anything is allocated.
Result<File> gguf_parse(std::span<const uint8_t> bytes);
Result<File> gguf_read(const std::string& path);
// The same checks on a read-only mapping of the file; tensors are views into
// it (a model of gigabytes costs no copy and only the pages it touches). The
// file must not be truncated while mapped (as with any mapped file, the
// process would get SIGBUS).
Result<File> gguf_map(const std::string& path);

std::vector<uint8_t> gguf_serialize(const File& file);
Status gguf_write(const File& file, const std::string& path);

}  // namespace lmzip::gguf
