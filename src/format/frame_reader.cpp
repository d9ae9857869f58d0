#include <algorithm>
#include <bit>
#include <cstring>

#include "common/checksum.h"
#include "format/frame_format.h"
#include "format/shipped_models.h"
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
  Status st = read_full(in_, buf_, &got);
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

Status FrameReader::read_varint(uint64_t* value, uint64_t limit, const char* what, std::vector<uint8_t>* keep) {
  const int max_bytes = (static_cast<int>(std::bit_width(limit)) + 6) / 7;
  uint64_t v = 0;
  for (int i = 0; i < max_bytes; ++i) {
    uint8_t b;
    if (Status st = read_exact(&b, 1, what); !st) return st;
    if (keep) keep->push_back(b);
    const uint64_t bits = b & 0x7F;
    if (7 * i + static_cast<int>(std::bit_width(bits)) > 64) break;  // past 64 bits
    v |= bits << (7 * i);
    if (!(b & 0x80)) {
      // One encoding per value: a zero final byte after the first is padding.
      if (i > 0 && b == 0) return corrupt(std::string("non-minimal number in ") + what);
      if (v > limit) break;
      *value = v;
      return {};
    }
  }
  return corrupt(std::string("over-long number in ") + what);
}

Status FrameReader::read_varint32(uint32_t* value, const char* what) {
  uint64_t v = 0;
  if (Status st = read_varint(&v, 0xFFFFFFFFu, what); !st) return st;
  *value = static_cast<uint32_t>(v);
  return {};
}

Result<bool> FrameReader::at_input_end() {
  if (Status st = fill(); !st) return st;
  return pos_ == len_;
}

Status FrameReader::read_header(FrameHeader* h) {
  std::vector<uint8_t> covered(6);  // magic, version, flags (v4: the descriptor)
  if (Status st = read_exact(covered.data(), 4, "the frame header"); !st) return st;
  if (std::memcmp(covered.data(), kMagic, 4) != 0) {
    return Status(ErrorCode::bad_magic, "not an lmzip file (wrong magic bytes at offset " +
                                            std::to_string(offset_ - 4) + ")");
  }
  if (Status st = read_exact(covered.data() + 4, 2, "the frame header"); !st) return st;
  const uint8_t version = covered[4];
  if (version < kVersionPlain || version > kVersion) {
    return Status(ErrorCode::unsupported_version,
                  "format version " + std::to_string(version) +
                      " is not supported (this lmzip reads versions 1 to " + std::to_string(kVersion) + ")");
  }
  *h = FrameHeader{};
  h->version = version;
  h->exact_ends = false;  // version 4 says otherwise in its descriptor
  h->adaptive_checked = false;  // and in its stage byte
  if (version == kVersion) return read_header_v4(covered, h);
  if (covered[5] != 0) return corrupt("reserved header flags are set");
  return version == kVersionPlain ? read_header_v1(covered, h) : read_header_v2(covered, h);
}

namespace {

// The layout block of a kind (not none) at p, after the kind byte: its
// fields, then the checks of "Layout block". corrupt without where.
std::string layout_parse(const uint8_t* p, LayoutKind lk, uint32_t chunk_size, Layout* l) {
  l->kind = lk;
  l->header_bytes = get_le(p, 8);
  l->payload_bytes = get_le(p + 8, 8);
  l->trailer_bytes = get_le(p + 16, 8);
  l->channels = p[24];
  l->bits = p[25];
  if (layout_is_image(lk)) {
    l->width = static_cast<uint32_t>(get_le(p + 26, 4));
    l->height = static_cast<uint32_t>(get_le(p + 30, 4));
    l->row_stride = static_cast<uint32_t>(get_le(p + 34, 4));
    const uint8_t flags = p[38];
    if (flags & 0xF8) return "reserved image layout flags are set";
    l->bottom_up = flags & 1;
    l->bgr = flags & 2;
    l->strips = flags & 4;
    l->tile_width = static_cast<uint32_t>(get_le(p + 39, 4));
  }
  if (std::string problem = layout_problem(*l, chunk_size); !problem.empty()) return "invalid layout: " + problem;
  return {};
}

// Bytes of the layout block of a kind byte; false for an unknown kind.
bool layout_block_bytes(uint8_t kind, size_t* bytes) {
  if (kind != 0 && !file_kind(static_cast<LayoutKind>(kind))) return false;
  const auto lk = static_cast<LayoutKind>(kind);
  *bytes = lk == LayoutKind::none ? 0 : 26 + (layout_is_image(lk) ? 17 : 0);
  return true;
}

}  // namespace

// Version 1: one model's name and identity, the chunk size, the checksum.
Status FrameReader::read_header_v1(std::vector<uint8_t>& covered, FrameHeader* h) {
  uint8_t name_len_byte;
  if (Status st = read_exact(&name_len_byte, 1, "the frame header"); !st) return st;
  covered.push_back(name_len_byte);
  const size_t name_len = name_len_byte;
  if (name_len == 0 || name_len > kMaxModelName) return corrupt("invalid model name length");
  // Name, identity, chunk size, checksum.
  std::vector<uint8_t> rest(name_len + 32 + 4 + 4);
  if (Status st = read_exact(rest.data(), rest.size(), "the frame header"); !st) return st;
  covered.insert(covered.end(), rest.begin(), rest.end() - 4);
  if (checksum32(covered) != get_le(rest.data() + rest.size() - 4, 4))
    return corrupt("frame header checksum mismatch");
  ModelRef m;
  m.name.assign(rest.begin(), rest.begin() + static_cast<long>(name_len));
  if (!model_name_valid(m.name)) return corrupt("invalid model name");
  std::memcpy(m.identity.digest.data(), rest.data() + name_len, 32);
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
  if (Status st = take(1); !st) return st;
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
  size_t block = 0;
  // The kind decides the block's length: checking the checksum needs it.
  if (!layout_block_bytes(kind, &block)) return corrupt("unknown layout kind " + std::to_string(kind));
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
    std::memcpy(m.identity.digest.data(), covered.data() + name_at[i] + n, 32);
    h->models.push_back(std::move(m));
  }
  h->chunk_size = static_cast<uint32_t>(get_le(covered.data() + chunk_size_at, 4));
  if (h->chunk_size == 0 || h->chunk_size > kMaxChunkSize) return corrupt("invalid chunk size");
  if (h->version >= 3) {
    h->adaptive = covered[chunk_size_at + 4];
    if (h->adaptive == 0) return corrupt("a version 3 frame names no adaptive stage");
  }
  if (kind != 0) {
    if (std::string problem = layout_parse(covered.data() + layout_at + 1, static_cast<LayoutKind>(kind),
                                           h->chunk_size, &h->layout);
        !problem.empty())
      return corrupt(problem);
  }
  return {};
}

// Version 4: the descriptor (already in `covered`) says which fields follow:
// the model table (shipped models by id and identity prefix), the chunk size
// (an exponent or a varint), the adaptive stage, the layout, the checksum.
// As in version 2, only what decides the header's length is looked at
// before the checksum.
Status FrameReader::read_header_v4(std::vector<uint8_t>& covered, FrameHeader* h) {
  auto take = [&](size_t n) -> Status {
    const size_t at = covered.size();
    covered.resize(at + n);
    return read_exact(covered.data() + at, n, "the frame header");
  };
  const uint8_t d = covered[5];
  const size_t count = (d & descriptor::kModelCount) + 1u;
  struct Entry {
    uint8_t id;
    size_t at;  // of the name (id 0) or of the identity prefix
  };
  std::vector<Entry> entries(count);
  for (auto& e : entries) {
    if (Status st = take(1); !st) return st;
    e.id = covered.back();
    if (e.id == 0) {
      if (Status st = take(1); !st) return st;
      const size_t n = covered.back();
      if (n == 0 || n > kMaxModelName) return corrupt("invalid model name length");
      e.at = covered.size();
      if (Status st = take(n + 32); !st) return st;
    } else {
      e.at = covered.size();
      if (Status st = take(kShippedIdentityBytes); !st) return st;
    }
  }
  const size_t chunk_size_at = covered.size();
  uint64_t chunk_size = 0;
  if (d & descriptor::kChunkExponent) {
    if (Status st = take(1); !st) return st;
  } else if (Status st = read_varint(&chunk_size, 0xFFFFFFFFu, "the frame header", &covered); !st) {
    return st;
  }
  const size_t stage_at = covered.size();
  if (d & descriptor::kAdaptive) {
    if (Status st = take(1); !st) return st;
  }
  const size_t layout_at = covered.size();
  uint8_t kind = 0;
  if (d & descriptor::kLayout) {
    if (Status st = take(1); !st) return st;
    kind = covered.back();
    size_t block = 0;
    if (kind == 0 || !layout_block_bytes(kind, &block)) return corrupt("unknown layout kind " + std::to_string(kind));
    if (Status st = take(block); !st) return st;
  }
  uint8_t sum[2];
  if (Status st = read_exact(sum, 2, "the frame header"); !st) return st;
  if ((checksum64(covered) & 0xFFFF) != get_le(sum, 2)) return corrupt("frame header checksum mismatch");

  for (const auto& e : entries) {
    ModelRef m;
    if (e.id == 0) {
      const size_t n = covered[e.at - 1];
      m.name.assign(covered.begin() + static_cast<long>(e.at), covered.begin() + static_cast<long>(e.at + n));
      if (!model_name_valid(m.name)) return corrupt("invalid model name");
      std::memcpy(m.identity.digest.data(), covered.data() + e.at + n, 32);
    } else {
      m.name = shipped_model_name(e.id);
      if (m.name.empty())
        return Status(ErrorCode::model_not_found, "this file needs shipped model number " + std::to_string(e.id) +
                                                      ", which this lmzip does not know (a newer lmzip may)");
      std::memcpy(m.identity.digest.data(), covered.data() + e.at, kShippedIdentityBytes);
      m.identity.bytes = kShippedIdentityBytes;
    }
    h->models.push_back(std::move(m));
  }
  if (d & descriptor::kChunkExponent) {
    const uint8_t e = covered[chunk_size_at];
    if (e > std::countr_zero(kMaxChunkSize)) return corrupt("invalid chunk size");
    h->chunk_size = uint32_t{1} << e;
  } else {
    if (chunk_size == 0 || chunk_size > kMaxChunkSize) return corrupt("invalid chunk size");
    // One encoding per header: a power of two is written as its exponent.
    if (std::has_single_bit(chunk_size)) return corrupt("a chunk size of a power of two written in full");
    h->chunk_size = static_cast<uint32_t>(chunk_size);
  }
  if (d & descriptor::kAdaptive) {
    h->adaptive = covered[stage_at] & ~kStageChecked;
    h->adaptive_checked = covered[stage_at] & kStageChecked;
    if (h->adaptive == 0) return corrupt("a version 4 frame names no adaptive stage (its stage byte is 0)");
  }
  if (kind != 0) {
    if (std::string problem = layout_parse(covered.data() + layout_at + 1, static_cast<LayoutKind>(kind),
                                           h->chunk_size, &h->layout);
        !problem.empty())
      return corrupt(problem);
  }
  h->one_chunk = d & descriptor::kOneChunk;
  h->exact_ends = d & descriptor::kExactEnds;
  if (h->one_chunk && kind != 0) return corrupt("a frame with a layout is marked as one chunk");
  return {};
}

Status FrameReader::read_record(const FrameHeader& h, ChunkRecord* r, FrameEnd* end) {
  uint8_t tag;
  if (Status st = read_exact(&tag, 1, "a chunk header"); !st) return st;
  const uint8_t mode = tag & 3;
  if (mode == 0) {
    if (tag != 0) return corrupt("reserved bits set in the frame end");
    if (h.version == kVersion) {
      // v4: the content size as a varint, the low half of the checksum.
      if (Status st = read_varint(&end->original_size, UINT64_MAX, "the frame end"); !st) return st;
      uint8_t b[4];
      if (Status st = read_exact(b, 4, "the frame end"); !st) return st;
      end->checksum = get_le(b, 4);
      end->checksum_whole = false;
    } else {
      uint8_t b[16];
      if (Status st = read_exact(b, 16, "the frame end"); !st) return st;
      end->original_size = get_le(b, 8);
      end->checksum = get_le(b + 8, 8);
      end->checksum_whole = true;
    }
    r->mode = ChunkMode::end;
    return {};
  }
  const uint8_t reserved = h.version == kVersionPlain ? 0xF8 : h.version == kVersionLayout ? 0xC0 : 0x80;
  if (tag & reserved) return corrupt("reserved bits set in a chunk header");
  if (mode == 3 && h.version < kVersionAdaptive) return corrupt("unknown chunk mode 3");
  if (mode == 3 && h.adaptive == 0) return corrupt("an adaptive chunk in a frame without an adaptive stage");
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
    if (Status st = read_varint32(&r->raw_size, "a chunk header"); !st) return st;
    if (r->raw_size == 0 || r->raw_size >= h.chunk_size)
      return corrupt("invalid size of a partial chunk");
  }
  r->payload_size = r->raw_size;
  if (r->mode == ChunkMode::modelled || r->mode == ChunkMode::adaptive) {
    if (Status st = read_varint32(&r->payload_size, "a chunk header"); !st) return st;
    if (r->payload_size >= r->raw_size)
      return corrupt("modelled chunk is not smaller than its content");
  }
  r->checksum = 0;
  if (h.one_chunk) return {};  // the frame end's checksum covers the chunk
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
