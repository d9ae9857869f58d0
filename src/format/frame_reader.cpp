#include <algorithm>
#include <cstring>

#include "common/checksum.h"
#include "format/frame_format.h"
#include "layout/file_kind.h"

namespace lmzip::format {
namespace {

uint64_t get_le(const uint8_t* p, int bytes) {
  uint64_t v = 0;
  for (int i = bytes - 1; i >= 0; --i) v = (v << 8) | p[i];
  return v;
}

}  // namespace

Status FrameReader::fill() {
  if (pos_ < len_ || eof_) return {};
  size_t got = 0;
  Status st = in_.read(buf_, &got);
  if (!st) return st;
  pos_ = 0;
  len_ = got;
  if (got < buf_.size()) eof_ = true;
  return {};
}

Status FrameReader::read_exact(uint8_t* dst, size_t n, const char* what) {
  while (n > 0) {
    if (Status st = fill(); !st) return st;
    if (pos_ == len_) {
      return Status(ErrorCode::truncated,
                    "truncated input: the file ends inside " + std::string(what) + " at offset " +
                        std::to_string(offset_));
    }
    const size_t take = std::min(n, len_ - pos_);
    if (dst) {
      std::memcpy(dst, buf_.data() + pos_, take);
      dst += take;
    }
    pos_ += take;
    offset_ += take;
    n -= take;
  }
  return {};
}

Status FrameReader::corrupt(const std::string& what) const {
  return Status(ErrorCode::corrupt,
                "corrupt input at offset " + std::to_string(offset_) + ": " + what);
}

Status FrameReader::read_varint(uint32_t* value, const char* what) {
  uint64_t v = 0;
  for (int i = 0; i < 5; ++i) {
    uint8_t b;
    if (Status st = read_exact(&b, 1, what); !st) return st;
    v |= static_cast<uint64_t>(b & 0x7F) << (7 * i);
    if (!(b & 0x80)) {
      // One encoding per value: a zero final byte after the first is padding.
      if (i > 0 && b == 0) return corrupt(std::string("non-minimal number in ") + what);
      if (v > 0xFFFFFFFFu) break;
      *value = static_cast<uint32_t>(v);
      return {};
    }
  }
  return corrupt(std::string("over-long number in ") + what);
}

Result<bool> FrameReader::at_input_end() {
  if (Status st = fill(); !st) return st;
  return pos_ == len_;
}

Status FrameReader::read_header(FrameHeader* h) {
  uint8_t fixed[7];
  if (Status st = read_exact(fixed, 4, "the frame header"); !st) return st;
  if (std::memcmp(fixed, kMagic, 4) != 0) {
    return Status(ErrorCode::bad_magic, "not an lmzip file (wrong magic bytes at offset " +
                                            std::to_string(offset_ - 4) + ")");
  }
  if (Status st = read_exact(fixed + 4, 3, "the frame header"); !st) return st;
  if (fixed[4] < kVersionPlain || fixed[4] > kVersion) {
    return Status(ErrorCode::unsupported_version,
                  "format version " + std::to_string(fixed[4]) +
                      " is not supported (this lmzip reads versions 1 to 3)");
  }
  if (fixed[5] != 0) return corrupt("reserved header flags are set");
  *h = FrameHeader{};
  h->version = fixed[4];
  if (h->version != kVersionPlain) {
    std::vector<uint8_t> covered(fixed, fixed + 7);
    return read_header_v2(covered, h);
  }
  const size_t name_len = fixed[6];
  if (name_len == 0 || name_len > kMaxModelName) return corrupt("invalid model name length");
  // Name, identity, chunk size, checksum.
  std::vector<uint8_t> rest(name_len + 32 + 4 + 4);
  if (Status st = read_exact(rest.data(), rest.size(), "the frame header"); !st) return st;
  std::vector<uint8_t> covered(fixed, fixed + 7);
  covered.insert(covered.end(), rest.begin(), rest.end() - 4);
  if (checksum32(covered) != get_le(rest.data() + rest.size() - 4, 4))
    return corrupt("frame header checksum mismatch");
  ModelRef m;
  m.name.assign(rest.begin(), rest.begin() + static_cast<long>(name_len));
  if (!model_name_valid(m.name)) return corrupt("invalid model name");
  std::memcpy(m.identity.data(), rest.data() + name_len, 32);
  h->models.push_back(std::move(m));
  h->chunk_size = static_cast<uint32_t>(get_le(rest.data() + name_len + 32, 4));
  if (h->chunk_size == 0 || h->chunk_size > kMaxChunkSize) return corrupt("invalid chunk size");
  return {};
}

// Versions 2 and 3: the model table, the chunk size, (v3) the adaptive stage,
// the layout block, the checksum.
// Every byte read is appended to `covered`; the checksum is checked before
// any field is interpreted, so that a damaged header reports as damage.
Status FrameReader::read_header_v2(std::vector<uint8_t>& covered, FrameHeader* h) {
  auto take = [&](size_t n) -> Status {
    const size_t at = covered.size();
    covered.resize(at + n);
    return read_exact(covered.data() + at, n, "the frame header");
  };
  const size_t count = covered[6];
  if (count == 0 || count > kMaxModels) return corrupt("invalid model count");
  std::vector<size_t> name_at(count);
  for (size_t i = 0; i < count; ++i) {
    if (Status st = take(1); !st) return st;
    const size_t n = covered.back();
    if (n == 0 || n > kMaxModelName) return corrupt("invalid model name length");
    name_at[i] = covered.size();
    if (Status st = take(n + 32); !st) return st;
  }
  const size_t chunk_size_at = covered.size();
  if (Status st = take(4 + (h->version >= 3 ? 1 : 0) + 1); !st) return st;  // chunk size, adaptive, layout kind
  const size_t layout_at = covered.size() - 1;
  const uint8_t kind = covered[layout_at];
  if (kind != 0 && !file_kind(static_cast<LayoutKind>(kind))) {
    // The kind decides the block's length: check the checksum would need it.
    return corrupt("unknown layout kind " + std::to_string(kind));
  }
  const auto lk = static_cast<LayoutKind>(kind);
  const size_t block = lk == LayoutKind::none ? 0 : 26 + (layout_is_image(lk) ? 17 : 0);
  if (Status st = take(block); !st) return st;
  uint8_t sum[4];
  if (Status st = read_exact(sum, 4, "the frame header"); !st) return st;
  if (checksum32(covered) != get_le(sum, 4)) return corrupt("frame header checksum mismatch");

  for (size_t i = 0; i < count; ++i) {
    const size_t n = covered[name_at[i] - 1];
    ModelRef m;
    m.name.assign(covered.begin() + static_cast<long>(name_at[i]),
                  covered.begin() + static_cast<long>(name_at[i] + n));
    if (!model_name_valid(m.name)) return corrupt("invalid model name");
    std::memcpy(m.identity.data(), covered.data() + name_at[i] + n, 32);
    h->models.push_back(std::move(m));
  }
  h->chunk_size = static_cast<uint32_t>(get_le(covered.data() + chunk_size_at, 4));
  if (h->chunk_size == 0 || h->chunk_size > kMaxChunkSize) return corrupt("invalid chunk size");
  if (h->version >= 3) {
    h->adaptive = covered[chunk_size_at + 4];
    if (h->adaptive == 0) return corrupt("a version 3 frame names no adaptive stage");
  }
  Layout& l = h->layout;
  l.kind = lk;
  if (lk != LayoutKind::none) {
    const uint8_t* p = covered.data() + layout_at + 1;
    l.header_bytes = get_le(p, 8);
    l.payload_bytes = get_le(p + 8, 8);
    l.trailer_bytes = get_le(p + 16, 8);
    l.channels = p[24];
    l.bits = p[25];
    if (layout_is_image(lk)) {
      l.width = static_cast<uint32_t>(get_le(p + 26, 4));
      l.height = static_cast<uint32_t>(get_le(p + 30, 4));
      l.row_stride = static_cast<uint32_t>(get_le(p + 34, 4));
      const uint8_t flags = p[38];
      if (flags & 0xF8) return corrupt("reserved image layout flags are set");
      l.bottom_up = flags & 1;
      l.bgr = flags & 2;
      l.strips = flags & 4;
      l.tile_width = static_cast<uint32_t>(get_le(p + 39, 4));
    }
    if (std::string problem = layout_problem(l, h->chunk_size); !problem.empty())
      return corrupt("invalid layout: " + problem);
  }
  return {};
}

Status FrameReader::read_record(const FrameHeader& h, ChunkRecord* r, FrameEnd* end) {
  uint8_t tag;
  if (Status st = read_exact(&tag, 1, "a chunk header"); !st) return st;
  const uint8_t mode = tag & 3;
  if (mode == 0) {
    if (tag != 0) return corrupt("reserved bits set in the frame end");
    uint8_t b[16];
    if (Status st = read_exact(b, 16, "the frame end"); !st) return st;
    end->original_size = get_le(b, 8);
    end->checksum = get_le(b + 8, 8);
    r->mode = ChunkMode::end;
    return {};
  }
  const uint8_t reserved = h.version == kVersionPlain ? 0xF8 : h.version == kVersionLayout ? 0xC0 : 0x80;
  if (tag & reserved) return corrupt("reserved bits set in a chunk header");
  if (mode == 3 && h.version < 3) return corrupt("unknown chunk mode 3");
  r->mode = static_cast<ChunkMode>(mode);
  r->slot = static_cast<uint8_t>((tag >> 3) & 7);
  r->alone = tag & 0x40;
  if (r->alone && r->mode != ChunkMode::adaptive) return corrupt("a chunk that is not adaptive has the alone flag");
  if (r->alone && r->slot != 0) return corrupt("an adaptive chunk without a network names a model slot");
  if (r->slot >= h.models.size())
    return corrupt("chunk names model slot " + std::to_string(r->slot) + ", the frame has " +
                   std::to_string(h.models.size()) + " model(s)");
  if (r->mode == ChunkMode::stored && r->slot != 0) return corrupt("a stored chunk names a model slot");
  r->raw_size = h.chunk_size;
  if (tag & 4) {
    if (Status st = read_varint(&r->raw_size, "a chunk header"); !st) return st;
    if (r->raw_size == 0 || r->raw_size >= h.chunk_size)
      return corrupt("invalid size of a partial chunk");
  }
  r->payload_size = r->raw_size;
  if (r->mode == ChunkMode::modelled || r->mode == ChunkMode::adaptive) {
    if (Status st = read_varint(&r->payload_size, "a chunk header"); !st) return st;
    if (r->payload_size >= r->raw_size)
      return corrupt("modelled chunk is not smaller than its content");
  }
  uint8_t b[4];
  if (Status st = read_exact(b, 4, "a chunk header"); !st) return st;
  r->checksum = static_cast<uint32_t>(get_le(b, 4));
  return {};
}

Status FrameReader::read_payload(uint32_t size, std::vector<uint8_t>* payload) {
  // Grow with the data actually present, so a forged size on a short input
  // costs no more memory than the input itself.
  payload->clear();
  constexpr uint32_t kStep = 1u << 20;
  for (uint32_t done = 0; done < size;) {
    const uint32_t n = std::min(kStep, size - done);
    payload->resize(done + n);
    if (Status st = read_exact(payload->data() + done, n, "a chunk"); !st) return st;
    done += n;
  }
  return {};
}

Status FrameReader::skip(uint64_t size) { return read_exact(nullptr, size, "a chunk"); }

}  // namespace lmzip::format
