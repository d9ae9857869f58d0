// The contexts of the next byte (byte_contexts.h).
#include "adaptive/byte_contexts.h"

#include <algorithm>

namespace lmzip::adaptive {

namespace {

uint32_t hash_mix(uint32_t a, uint32_t b, uint32_t salt) {
  uint32_t h = a * 0x9E3779B1u + b * 0x85EBCA77u + salt * 0xC2B2AE3Du;
  h ^= h >> 15;
  h *= 0x2C1B3C6Du;
  h ^= h >> 13;
  h *= 0x297A2D39u;
  h ^= h >> 16;
  return h;
}

bool is_word_byte(uint8_t c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 128; }

// The word hash after byte c (0 after a byte that is not part of a word).
uint32_t word_after(uint32_t word, uint8_t c) {
  return is_word_byte(c) ? (word + uint32_t(c >= 'A' && c <= 'Z' ? c + 32 : c) + 1) * 0x01000193u : 0;
}

// Hashes 0 .. kLeadingHashes - 1: orders 2, 3, 4, 6 and the word. c4w: the
// last four bytes (the last in the low byte), c6hi: the two before them.
void leading_hashes(uint32_t c4w, uint32_t c6hi, uint32_t word, uint32_t* out) {
  out[0] = hash_mix(c4w & 0xFFFF, 0, 1);
  out[1] = hash_mix(c4w & 0xFFFFFF, 0, 2);
  out[2] = hash_mix(c4w, 0, 3);
  out[3] = hash_mix(c4w, c6hi, 4);
  out[4] = hash_mix(word, word == 0 ? c4w & 0xFF : 0, 5);
}

constexpr uint32_t kRecordMin = 3, kRecordMax = 4096, kRecordVotes = 6;

}  // namespace

ByteContexts::ByteContexts(uint32_t start) : line_start_(start), prev_line_start_(start) {}

void ByteContexts::word_update(uint8_t c1) {
  // Words: letters (case folded) and bytes >= 128.
  if (is_word_byte(c1)) {
    word_ = word_after(word_, c1);
  } else if (word_ != 0) {
    word_prev_ = word_;
    word_ = 0;
  }
}

void ByteContexts::leading_update(const History& h) {
  word_update(h.back(1));
  const uint32_t c4w = uint32_t(h.back(1)) | uint32_t(h.back(2)) << 8 | uint32_t(h.back(3)) << 16 | uint32_t(h.back(4)) << 24;
  leading_hashes(c4w, uint32_t(h.back(5)) | uint32_t(h.back(6)) << 8, word_, hash_.data());
}

void ByteContexts::byte_update(const History& h, IndirectTables& ind, int match_byte, uint32_t match_len) {
  const uint32_t pos = h.pos();
  const uint8_t c1 = h.back(1), c2 = h.back(2), c3 = h.back(3), c4 = h.back(4);
  const uint32_t c4w = uint32_t(c1) | uint32_t(c2) << 8 | uint32_t(c3) << 16 | uint32_t(c4) << 24;
  const uint32_t c6hi = uint32_t(h.back(5)) | uint32_t(h.back(6)) << 8;
  word_update(c1);

  // Record length: a byte that recurs at the same distance again and again.
  const uint32_t d = pos - last_pos_[c1];
  if (last_pos_[c1] != 0 && d == last_dist_[c1] && d >= kRecordMin && d <= kRecordMax) {
    if (d == rlen_cand_) {
      if (++rlen_votes_ >= kRecordVotes) rlen_ = d;
    } else {
      rlen_cand_ = d;
      rlen_votes_ = 1;
    }
  }
  last_dist_[c1] = d;
  last_pos_[c1] = pos;

  // Text lines: the column and the byte above it in the previous line.
  if (c1 == '\n') {
    prev_line_start_ = line_start_;
    line_start_ = pos;
  }
  const uint32_t col = pos - line_start_;
  const uint32_t above_at = prev_line_start_ + col;
  const uint8_t line_above = above_at < line_start_ ? h.at(above_at) : 0;

  // Record: the bytes one record above.
  uint32_t rec_above = 0, rec_col = 0;
  if (rlen_ != 0 && pos >= rlen_) {
    rec_above = uint32_t(h.back(rlen_)) | uint32_t(h.back(rlen_ - 1 == 0 ? rlen_ : rlen_ - 1)) << 8;
    rec_col = pos % rlen_;
  }
  rcol_ = rlen_ == 0 ? 0 : 1 + std::min<uint32_t>(pos % rlen_, 254);

  // Indirect: what followed this byte (pair) the last times.
  const uint16_t i1 = ind.ind1[c2], i2 = ind.ind2[(uint32_t(c3) << 8) | c2];
  ind.ind1[c2] = uint16_t((i1 << 8) | c1);
  ind.ind2[(uint32_t(c3) << 8) | c2] = uint16_t((i2 << 8) | c1);
  const uint32_t ind1_now = ind.ind1[c1], ind2_now = ind.ind2[(uint32_t(c2) << 8) | c1];

  leading_hashes(c4w, c6hi, word_, hash_.data());
  uint32_t k = kLeadingHashes;
  hash_[k++] = hash_mix(word_, word_prev_, 6);
  hash_[k++] = hash_mix(c4w & 0xF0F0F0F0u, 0, 7);  // high nibbles: numbers, tables, code
  hash_[k++] = hash_mix((c4w >> 8) & 0xFFFF, 0, 8);
  hash_[k++] = hash_mix(c4w & 0xFF00FF, 0, 9);
  hash_[k++] = hash_mix(rec_above, rlen_, 10);
  hash_[k++] = hash_mix(rec_above & 0xFF, c1 | rec_col << 8, 11);
  hash_[k++] = hash_mix(line_above | std::min<uint32_t>(col, 255) << 8, c1, 12);
  hash_[k++] = hash_mix(ind1_now, c1, 13);
  hash_[k++] = hash_mix(ind2_now, c4w & 0xFFFF, 14);
  hash_[k++] = hash_mix(match_len == 0 ? 0 : uint32_t(match_byte) | std::min<uint32_t>(match_len, 15) << 8, c1, 15);
}

void ByteContexts::leading_hashes_after(const History& h, uint8_t c, uint32_t* out) const {
  const uint32_t c4w = uint32_t(c) | uint32_t(h.back(1)) << 8 | uint32_t(h.back(2)) << 16 | uint32_t(h.back(3)) << 24;
  leading_hashes(c4w, uint32_t(h.back(4)) | uint32_t(h.back(5)) << 8, word_after(word_, c), out);
}

}  // namespace lmzip::adaptive
