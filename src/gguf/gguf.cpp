// GGUF v3 reader and writer. The reader treats the file as hostile: every
// count, length and offset is checked against the bytes that remain before
// anything is allocated or copied, so a 100-byte file can never make us
// allocate gigabytes (fuzzed: fuzz/gguf_fuzzer.cpp).
#include "gguf/gguf.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <optional>
#include <set>
#include <type_traits>

#include "common/file_read.h"

namespace lmzip::gguf {

namespace {

constexpr uint32_t kMagic = 0x46554747;  // "GGUF" read as little-endian u32
constexpr uint32_t kVersion = 3;
constexpr uint32_t kMaxDims = 4;           // GGML_MAX_DIMS
constexpr uint64_t kMaxNameLength = 65535;  // llama.cpp: GGML_MAX_NAME is 64; we are lenient
constexpr uint32_t kMaxAlignment = 1u << 16;

// GGUF metadata value types (gguf.h in ggml).
enum GgufType : uint32_t {
  kU8 = 0, kI8 = 1, kU16 = 2, kI16 = 3, kU32 = 4, kI32 = 5, kF32 = 6, kBool = 7,
  kString = 8, kArray = 9, kU64 = 10, kI64 = 11, kF64 = 12,
};

// Size in bytes of a fixed-size value type, 0 for string/array/unknown.
uint64_t fixed_size(uint32_t type) {
  switch (type) {
    case kU8: case kI8: case kBool: return 1;
    case kU16: case kI16: return 2;
    case kU32: case kI32: case kF32: return 4;
    case kU64: case kI64: case kF64: return 8;
    default: return 0;
  }
}

Status bad(const std::string& what) { return Status(ErrorCode::bad_model_file, "GGUF: " + what); }

// A cursor over the file image; every read checks what remains.
class Reader {
 public:
  explicit Reader(std::span<const uint8_t> b) : b_(b) {}
  uint64_t pos() const { return pos_; }
  uint64_t remaining() const { return b_.size() - pos_; }

  bool read_raw(void* dst, uint64_t n) {
    if (n > remaining()) return false;
    if (n) std::memcpy(dst, b_.data() + pos_, n);
    pos_ += n;
    return true;
  }
  bool skip(uint64_t n) {
    if (n > remaining()) return false;
    pos_ += n;
    return true;
  }
  // Little-endian scalars (assembled byte by byte: portable to big-endian hosts).
  template <class T>
  bool read(T* out) {
    static_assert(std::is_trivially_copyable_v<T>);
    uint8_t tmp[sizeof(T)];
    if (!read_raw(tmp, sizeof(T))) return false;
    uint64_t v = 0;
    for (size_t i = 0; i < sizeof(T); ++i) v |= uint64_t(tmp[i]) << (8 * i);
    if constexpr (sizeof(T) == 1) { uint8_t x = uint8_t(v); std::memcpy(out, &x, 1); }
    if constexpr (sizeof(T) == 2) { uint16_t x = uint16_t(v); std::memcpy(out, &x, 2); }
    if constexpr (sizeof(T) == 4) { uint32_t x = uint32_t(v); std::memcpy(out, &x, 4); }
    if constexpr (sizeof(T) == 8) { std::memcpy(out, &v, 8); }
    return true;
  }
  bool read_string(std::string* s, uint64_t max_len) {
    uint64_t n;
    if (!read(&n) || n > remaining() || n > max_len) return false;
    s->assign(reinterpret_cast<const char*>(b_.data() + pos_), size_t(n));
    pos_ += n;
    return true;
  }

 private:
  std::span<const uint8_t> b_;
  uint64_t pos_ = 0;
};

// Reads one metadata value of `type`; stores it in *out when lmzip represents
// that type, otherwise leaves *out empty (the key is skipped). Arrays of
// arrays are refused (no recursion on hostile input).
Status read_value(Reader& r, uint32_t type, std::optional<Value>* out, const std::string& key) {
  auto trunc = [&] { return bad("value of '" + key + "' runs past the end of the file"); };
  switch (type) {
    case kU8: { uint8_t v; if (!r.read(&v)) return trunc(); *out = uint32_t(v); return {}; }
    case kU16: { uint16_t v; if (!r.read(&v)) return trunc(); *out = uint32_t(v); return {}; }
    case kU32: { uint32_t v; if (!r.read(&v)) return trunc(); *out = v; return {}; }
    case kI8: { int8_t v; if (!r.read(&v)) return trunc(); *out = int32_t(v); return {}; }
    case kI16: { int16_t v; if (!r.read(&v)) return trunc(); *out = int32_t(v); return {}; }
    case kI32: { int32_t v; if (!r.read(&v)) return trunc(); *out = v; return {}; }
    case kU64: { uint64_t v; if (!r.read(&v)) return trunc(); *out = v; return {}; }
    case kF32: { float v; if (!r.read(&v)) return trunc(); *out = v; return {}; }
    case kBool: {
      uint8_t v;
      if (!r.read(&v)) return trunc();
      if (v > 1) return bad("bool value of '" + key + "' is neither 0 nor 1");
      *out = v != 0;
      return {};
    }
    case kI64: case kF64:  // valid GGUF, not used by lmzip: skipped
      if (!r.skip(8)) return trunc();
      return {};
    case kString: {
      std::string s;
      if (!r.read_string(&s, UINT64_MAX)) return trunc();
      *out = std::move(s);
      return {};
    }
    case kArray: {
      uint32_t et;
      uint64_t n;
      if (!r.read(&et) || !r.read(&n)) return trunc();
      if (et == kArray) return bad("array of arrays in '" + key + "' (not supported)");
      if (et == kString) {
        // Each string takes at least its 8-byte length: bound n before reserving.
        if (n > r.remaining() / 8) return trunc();
        std::vector<std::string> v;
        v.reserve(size_t(n));
        for (uint64_t i = 0; i < n; ++i) {
          std::string s;
          if (!r.read_string(&s, UINT64_MAX)) return trunc();
          v.push_back(std::move(s));
        }
        *out = std::move(v);
        return {};
      }
      uint64_t es = fixed_size(et);
      if (es == 0) return bad("array '" + key + "' has unknown element type " + std::to_string(et));
      if (n > r.remaining() / es) return trunc();
      if (et == kI32) {
        std::vector<int32_t> v(static_cast<size_t>(n));
        for (auto& x : v) r.read(&x);
        *out = std::move(v);
      } else if (et == kF32) {
        std::vector<float> v(static_cast<size_t>(n));
        for (auto& x : v) r.read(&x);
        *out = std::move(v);
      } else {
        r.skip(n * es);  // other element types: skipped
      }
      return {};
    }
    default:
      return bad("key '" + key + "' has unknown value type " + std::to_string(type));
  }
}

// ---- writer helpers ------------------------------------------------------------
class Writer {
 public:
  std::vector<uint8_t> out;
  template <class T>
  void put(T v) {
    uint64_t x = 0;
    std::memcpy(&x, &v, sizeof(T));
    for (size_t i = 0; i < sizeof(T); ++i) out.push_back(uint8_t(x >> (8 * i)));
  }
  void put_string(const std::string& s) {
    put<uint64_t>(s.size());
    out.insert(out.end(), s.begin(), s.end());
  }
  void pad_to(uint64_t alignment) {
    while (out.size() % alignment) out.push_back(0);
  }
};

void write_value(Writer& w, const Value& v) {
  std::visit(
      [&](const auto& x) {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, uint32_t>) { w.put<uint32_t>(kU32); w.put(x); }
        else if constexpr (std::is_same_v<T, int32_t>) { w.put<uint32_t>(kI32); w.put(x); }
        else if constexpr (std::is_same_v<T, uint64_t>) { w.put<uint32_t>(kU64); w.put(x); }
        else if constexpr (std::is_same_v<T, float>) { w.put<uint32_t>(kF32); w.put(x); }
        else if constexpr (std::is_same_v<T, bool>) { w.put<uint32_t>(kBool); w.put<uint8_t>(x ? 1 : 0); }
        else if constexpr (std::is_same_v<T, std::string>) { w.put<uint32_t>(kString); w.put_string(x); }
        else if constexpr (std::is_same_v<T, std::vector<std::string>>) {
          w.put<uint32_t>(kArray); w.put<uint32_t>(kString); w.put<uint64_t>(x.size());
          for (const auto& s : x) w.put_string(s);
        } else if constexpr (std::is_same_v<T, std::vector<int32_t>>) {
          w.put<uint32_t>(kArray); w.put<uint32_t>(kI32); w.put<uint64_t>(x.size());
          for (auto e : x) w.put(e);
        } else if constexpr (std::is_same_v<T, std::vector<float>>) {
          w.put<uint32_t>(kArray); w.put<uint32_t>(kF32); w.put<uint64_t>(x.size());
          for (auto e : x) w.put(e);
        }
      },
      v);
}

}  // namespace

std::optional<TypeLayout> type_layout(uint32_t type) {
  switch (TensorType(type)) {
    case TensorType::f32: return TypeLayout{1, 4, "F32"};
    case TensorType::f16: return TypeLayout{1, 2, "F16"};
    case TensorType::bf16: return TypeLayout{1, 2, "BF16"};
    case TensorType::q4_0: return TypeLayout{32, 18, "Q4_0"};   // f16 scale, 16 bytes of nibbles
    case TensorType::q8_0: return TypeLayout{32, 34, "Q8_0"};   // f16 scale, 32 int8
    case TensorType::q4_k: return TypeLayout{256, 144, "Q4_K"}; // f16 d, dmin, 12 bytes of 6-bit scales, 128 of nibbles
    case TensorType::q6_k: return TypeLayout{256, 210, "Q6_K"}; // 128 low nibbles, 64 of high pairs, 16 int8 scales, f16 d
  }
  return std::nullopt;
}

uint64_t Tensor::elements() const {
  uint64_t n = 1;
  for (uint64_t d : dims) n *= d;
  return n;
}

uint64_t Tensor::payload_bytes() const {
  const TypeLayout l = type_layout(type);
  return elements() / l.block * l.bytes;
}

const Tensor* File::find_tensor(const std::string& name) const {
  for (const auto& t : tensors)
    if (t.name == name) return &t;
  return nullptr;
}

const Value* File::find(const std::string& key) const {
  auto it = metadata.find(key);
  return it == metadata.end() ? nullptr : &it->second;
}

namespace {

// Parses a whole file image; tensors copy their bytes, or with `view` point
// into `bytes` (which the caller keeps alive).
Result<File> parse(std::span<const uint8_t> bytes, bool view) {
  Reader r(bytes);
  uint32_t magic, version;
  uint64_t n_tensors, n_kv;
  if (!r.read(&magic)) return bad("file too short for a header");
  if (magic != kMagic) return bad("bad magic (not a GGUF file)");
  if (!r.read(&version)) return bad("file too short for a header");
  if (version != kVersion)
    return Status(ErrorCode::bad_model_file,
                  "GGUF: version " + std::to_string(version) + " (only version 3 is supported)");
  if (!r.read(&n_tensors) || !r.read(&n_kv)) return bad("file too short for a header");
  // Smallest possible key/value: 8-byte key length + 4-byte type + 1-byte value.
  if (n_kv > r.remaining() / 13) return bad("metadata count " + std::to_string(n_kv) + " exceeds the file size");
  // Smallest possible tensor info: 8 (name length) + 4 (n_dims) + 4 (type) + 8 (offset).
  if (n_tensors > r.remaining() / 24)
    return bad("tensor count " + std::to_string(n_tensors) + " exceeds the file size");

  File file;
  for (uint64_t i = 0; i < n_kv; ++i) {
    std::string key;
    if (!r.read_string(&key, kMaxNameLength)) return bad("metadata key " + std::to_string(i) + " truncated or too long");
    uint32_t type;
    if (!r.read(&type)) return bad("metadata '" + key + "' truncated");
    std::optional<Value> v;
    if (Status s = read_value(r, type, &v, key); !s) return s;
    if (file.metadata.count(key)) return bad("duplicate metadata key '" + key + "'");
    if (v) file.metadata.emplace(key, std::move(*v));
  }
  if (const Value* a = file.find("general.alignment")) {
    const uint32_t* al = std::get_if<uint32_t>(a);
    if (!al || *al == 0 || (*al & (*al - 1)) != 0 || *al > kMaxAlignment)
      return bad("general.alignment must be a u32 power of two <= 65536");
    file.alignment = *al;
  }

  struct Info { uint64_t offset, bytes; };
  std::vector<Info> infos;
  std::set<std::string> names;
  file.tensors.reserve(size_t(n_tensors));
  infos.reserve(size_t(n_tensors));
  for (uint64_t i = 0; i < n_tensors; ++i) {
    Tensor t;
    if (!r.read_string(&t.name, kMaxNameLength)) return bad("tensor name " + std::to_string(i) + " truncated or too long");
    if (!names.insert(t.name).second) return bad("duplicate tensor '" + t.name + "'");
    uint32_t n_dims;
    if (!r.read(&n_dims)) return bad("tensor '" + t.name + "' truncated");
    if (n_dims == 0 || n_dims > kMaxDims)
      return bad("tensor '" + t.name + "' has " + std::to_string(n_dims) + " dimensions (1..4 allowed)");
    uint64_t elements = 1;
    for (uint32_t d = 0; d < n_dims; ++d) {
      uint64_t dim;
      if (!r.read(&dim)) return bad("tensor '" + t.name + "' truncated");
      // Every tensor's bytes must lie inside the file: that bounds each dim and the product.
      if (dim == 0 || dim > bytes.size() || elements > bytes.size() / dim)
        return bad("tensor '" + t.name + "' has impossible dimensions");
      elements *= dim;
      t.dims.push_back(dim);
    }
    uint32_t type;
    uint64_t offset;
    if (!r.read(&type) || !r.read(&offset)) return bad("tensor '" + t.name + "' truncated");
    const std::optional<TypeLayout> layout = type_layout(type);
    if (!layout)
      return bad("tensor '" + t.name + "' has type " + std::to_string(type) +
                 " (supported: F32, F16, BF16, Q4_0, Q8_0, Q4_K, Q6_K)");
    t.type = TensorType(type);
    if (t.dims[0] % layout->block)
      return bad("tensor '" + t.name + "' has rows of " + std::to_string(t.dims[0]) + " elements, not whole " +
                 layout->name + " blocks of " + std::to_string(layout->block));
    if (offset % file.alignment) return bad("tensor '" + t.name + "' data offset is not aligned");
    uint64_t nbytes = t.payload_bytes();
    if (nbytes > bytes.size()) return bad("tensor '" + t.name + "' is larger than the file");
    infos.push_back({offset, nbytes});
    file.tensors.push_back(std::move(t));
  }
  // The data section starts at the next multiple of the alignment.
  uint64_t data_start = (r.pos() + file.alignment - 1) / file.alignment * file.alignment;
  if (data_start > bytes.size()) {
    if (n_tensors) return bad("data section missing");
    data_start = bytes.size();
  }
  const uint64_t data_size = bytes.size() - data_start;
  for (size_t i = 0; i < file.tensors.size(); ++i) {
    if (infos[i].offset > data_size || infos[i].bytes > data_size - infos[i].offset)
      return bad("tensor '" + file.tensors[i].name + "' data lies outside the file");
    const uint8_t* p = bytes.data() + data_start + infos[i].offset;
    if (view) {
      file.tensors[i].view = {p, size_t(infos[i].bytes)};
    } else {
      file.tensors[i].data.assign(p, p + infos[i].bytes);
    }
  }
  return file;
}

}  // namespace

Result<File> gguf_parse(std::span<const uint8_t> bytes) { return parse(bytes, false); }

Result<File> gguf_read(const std::string& path) {
  auto bytes = file_read_all(path);
  if (!bytes) return bytes.status();
  Result<File> r = gguf_parse(*bytes);
  if (!r) return Status(r.status().code(), "'" + path + "': " + r.status().message());
  return r;
}

Result<File> gguf_map(const std::string& path) {
  auto io_error = [&](const char* what) {
    return Status(ErrorCode::io, std::string("cannot ") + what + " '" + path + "': " + std::strerror(errno));
  };
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return io_error("open");
  struct stat st;
  if (::fstat(fd, &st) != 0) {
    Status s = io_error("stat");
    ::close(fd);
    return s;
  }
  const size_t size = size_t(st.st_size);
  void* p = size ? ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0) : nullptr;
  const int map_errno = errno;
  ::close(fd);  // the mapping keeps the file
  if (p == MAP_FAILED) {
    errno = map_errno;
    return io_error("map");
  }
  std::shared_ptr<const void> mapping(p, [size](const void* q) {
    if (q) ::munmap(const_cast<void*>(q), size);
  });
  Result<File> r = parse({static_cast<const uint8_t*>(p), size}, true);
  if (!r) return Status(r.status().code(), "'" + path + "': " + r.status().message());
  r->mapping = std::move(mapping);
  return r;
}

std::vector<uint8_t> gguf_serialize(const File& file) {
  Writer w;
  w.put<uint32_t>(kMagic);
  w.put<uint32_t>(kVersion);
  w.put<uint64_t>(file.tensors.size());
  const bool write_alignment = file.alignment != 32;
  uint64_t n_kv = file.metadata.size();
  if (file.metadata.count("general.alignment")) --n_kv;
  if (write_alignment) ++n_kv;
  w.put<uint64_t>(n_kv);
  for (const auto& [key, value] : file.metadata) {
    if (key == "general.alignment") continue;  // written from file.alignment below
    w.put_string(key);
    write_value(w, value);
  }
  if (write_alignment) {
    w.put_string("general.alignment");
    write_value(w, Value(uint32_t(file.alignment)));
  }
  uint64_t offset = 0;
  std::vector<uint64_t> offsets;
  for (const auto& t : file.tensors) {
    w.put_string(t.name);
    w.put<uint32_t>(uint32_t(t.dims.size()));
    for (uint64_t d : t.dims) w.put<uint64_t>(d);
    w.put<uint32_t>(uint32_t(t.type));
    w.put<uint64_t>(offset);
    offsets.push_back(offset);
    offset += (t.bytes().size() + file.alignment - 1) / file.alignment * file.alignment;
  }
  w.pad_to(file.alignment);
  for (const auto& t : file.tensors) {
    const std::span<const uint8_t> b = t.bytes();
    w.out.insert(w.out.end(), b.begin(), b.end());
    w.pad_to(file.alignment);
  }
  return std::move(w.out);
}

Status gguf_write(const File& file, const std::string& path) {
  for (const auto& t : file.tensors)
    if (t.dims.empty() || t.dims.size() > kMaxDims || !type_layout(uint32_t(t.type)) ||
        t.dims[0] % type_layout(t.type).block || t.bytes().size() != t.payload_bytes())
      return Status(ErrorCode::invalid_argument, "GGUF: tensor '" + t.name + "' has inconsistent dims/data");
  if (file.alignment == 0 || (file.alignment & (file.alignment - 1)) || file.alignment > kMaxAlignment)
    return Status(ErrorCode::invalid_argument, "GGUF: alignment must be a power of two <= 65536");
  std::vector<uint8_t> bytes = gguf_serialize(file);
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) return Status(ErrorCode::io, "cannot create '" + path + "': " + std::strerror(errno));
  size_t put = std::fwrite(bytes.data(), 1, bytes.size(), f);
  int rc = std::fclose(f);
  if (put != bytes.size() || rc != 0)
    return Status(ErrorCode::io, "cannot write '" + path + "': " + std::strerror(errno));
  return {};
}
}  // namespace lmzip::gguf
