#include "layout/chunk_plan.h"

#include <algorithm>
#include <cstring>

#include "common/checksum.h"
#include "layout/file_kind.h"

namespace lmzip {

ChunkPlan::ChunkPlan(const Layout& l, uint32_t chunk_size)
    : l_(l), c_(chunk_size), image_(layout_is_image(l.kind)) {
  const uint64_t residue = image_ ? l.payload_bytes - uint64_t{l.width} * l.channels * l.height : 0;
  verbatim_ = l.header_bytes + residue + l.trailer_bytes;
  samples_ = l.payload_bytes - residue;
  verbatim_chunks_ = (verbatim_ + c_ - 1) / c_;
  if (image_) {
    tile_rows_ = c_ / (uint64_t{l.tile_width} * l.channels);  // >= 1 (layout_problem)
    tile_cols_ = (l.width + uint64_t{l.tile_width} - 1) / l.tile_width;
    sample_chunks_ = l.strips ? (tile_cols_ * l.height + tile_rows_ - 1) / tile_rows_
                              : tile_cols_ * ((l.height + tile_rows_ - 1) / tile_rows_);
  } else {
    sample_bytes_ = l.bits / 8;
    frames_ = l.payload_bytes / (sample_bytes_ * l.channels);
    block_frames_ = c_ / sample_bytes_;  // >= 1
    sample_chunks_ = (frames_ + block_frames_ - 1) / block_frames_ * l.channels;
  }
}

uint64_t ChunkPlan::content_bytes() const {
  if (l_.kind == LayoutKind::png_pixels) return samples_;
  return l_.header_bytes + l_.payload_bytes + l_.trailer_bytes;
}

uint32_t ChunkPlan::chunk_size(uint64_t i) const {
  if (i < verbatim_chunks_) return static_cast<uint32_t>(std::min<uint64_t>(c_, verbatim_ - i * c_));
  const uint64_t j = i - verbatim_chunks_;
  if (image_) {
    const uint64_t rows = l_.strips ? std::min<uint64_t>(tile_rows_, tile_cols_ * l_.height - j * tile_rows_)
                                    : std::min<uint64_t>(tile_rows_, l_.height - j / tile_cols_ * tile_rows_);
    return static_cast<uint32_t>(rows * l_.tile_width * l_.channels);
  }
  const uint64_t block = j / l_.channels;
  return static_cast<uint32_t>(std::min(block_frames_, frames_ - block * block_frames_) * sample_bytes_);
}

void ChunkPlan::sample_chunk(std::span<const uint8_t> samples, uint64_t j, std::vector<uint8_t>& out) const {
  out.clear();
  const uint64_t ch = l_.channels;
  if (image_ && l_.strips) {
    const uint64_t y0 = j * tile_rows_, rows = std::min<uint64_t>(tile_rows_, tile_cols_ * l_.height - y0);
    out.reserve(rows * l_.tile_width * ch);
    for (uint64_t y = y0; y < y0 + rows; ++y) {
      uint64_t offset = 0, w = 0;
      strip_row(y, &offset, &w);
      const uint8_t* row = samples.data() + offset;
      out.insert(out.end(), row, row + w * ch);
      for (uint64_t x = w; x < l_.tile_width; ++x) out.insert(out.end(), row + (w - 1) * ch, row + w * ch);
    }
    return;
  }
  if (image_) {
    const uint64_t band = j / tile_cols_, col = j % tile_cols_;
    const uint64_t row0 = band * tile_rows_, rows = std::min<uint64_t>(tile_rows_, l_.height - row0);
    const uint64_t x0 = col * l_.tile_width, w = std::min<uint64_t>(l_.tile_width, l_.width - x0);
    const uint64_t row_bytes = uint64_t{l_.width} * ch;
    out.reserve(rows * l_.tile_width * ch);
    for (uint64_t r = 0; r < rows; ++r) {
      const uint8_t* row = samples.data() + (row0 + r) * row_bytes + x0 * ch;
      out.insert(out.end(), row, row + w * ch);
      // Narrow right-edge tile: repeat the row's last pixel up to the tile width.
      for (uint64_t x = w; x < l_.tile_width; ++x) out.insert(out.end(), row + (w - 1) * ch, row + w * ch);
    }
    return;
  }
  const uint64_t block = j / ch, channel = j % ch;
  const uint64_t f0 = block * block_frames_, n = std::min(block_frames_, frames_ - f0);
  const uint64_t frame_bytes = ch * sample_bytes_;
  out.resize(n * sample_bytes_);
  for (uint64_t f = 0; f < n; ++f)
    std::memcpy(out.data() + f * sample_bytes_, samples.data() + (f0 + f) * frame_bytes + channel * sample_bytes_,
                sample_bytes_);
}

void ChunkPlan::sample_chunk_take(uint64_t j, std::span<const uint8_t> content, std::vector<uint8_t>* samples) {
  group_.insert(group_.end(), content.begin(), content.end());
  const uint64_t ch = l_.channels;
  if (image_ && l_.strips) {
    if (j + 1 != sample_chunks_) return;  // the last strip completes every row
    const size_t at = samples->size();
    samples->resize(at + l_.height * l_.width * ch);  // <= group_.size(): the strips cover the image
    for (uint64_t y = 0; y < tile_cols_ * l_.height; ++y) {
      uint64_t offset = 0, w = 0;
      strip_row(y, &offset, &w);
      std::memcpy(samples->data() + at + offset, group_.data() + y * l_.tile_width * ch, w * ch);
    }
  } else if (image_) {
    if (j % tile_cols_ != tile_cols_ - 1) return;  // the band is not complete yet
    const uint64_t band = j / tile_cols_;
    const uint64_t rows = std::min<uint64_t>(tile_rows_, l_.height - band * tile_rows_);
    const uint64_t row_bytes = uint64_t{l_.width} * ch, tile_bytes = rows * l_.tile_width * ch;
    const size_t at = samples->size();
    samples->resize(at + rows * row_bytes);  // <= group_.size(): the tiles cover the band
    uint8_t* out = samples->data() + at;
    for (uint64_t col = 0; col < tile_cols_; ++col) {
      const uint64_t x0 = col * l_.tile_width, w = std::min<uint64_t>(l_.tile_width, l_.width - x0);
      const uint8_t* tile = group_.data() + col * tile_bytes;
      for (uint64_t r = 0; r < rows; ++r)
        std::memcpy(out + r * row_bytes + x0 * ch, tile + r * l_.tile_width * ch, w * ch);
    }
  } else {
    if (j % ch != ch - 1) return;  // the block's channels are not all here yet
    const uint64_t n = group_.size() / (ch * sample_bytes_);  // frames in this block
    const uint64_t frame_bytes = ch * sample_bytes_;
    const size_t at = samples->size();
    samples->resize(at + group_.size());
    uint8_t* out = samples->data() + at;
    for (uint64_t c = 0; c < ch; ++c)
      for (uint64_t f = 0; f < n; ++f)
        std::memcpy(out + f * frame_bytes + c * sample_bytes_, group_.data() + (c * n + f) * sample_bytes_,
                    sample_bytes_);
  }
  group_.clear();
}

void ChunkPlan::strip_row(uint64_t y, uint64_t* offset, uint64_t* pixels) const {
  // Row y % height of strip y / height.
  const uint64_t x0 = y / l_.height * l_.tile_width;
  *pixels = std::min<uint64_t>(l_.tile_width, l_.width - x0);
  *offset = ((y % l_.height) * l_.width + x0) * l_.channels;
}

void ChunkPlan::chunk_cut(const LayoutParts& parts, uint64_t i, std::vector<uint8_t>& out) const {
  if (i >= verbatim_chunks_) {
    sample_chunk(parts.samples, i - verbatim_chunks_, out);
    return;
  }
  // The verbatim section is header ‖ residue ‖ trailer.
  out.clear();
  uint64_t at = i * c_, n = chunk_size(i);
  for (const auto* part : {&parts.header, &parts.residue, &parts.trailer}) {
    if (at >= part->size()) {
      at -= part->size();
      continue;
    }
    const uint64_t take = std::min<uint64_t>(n, part->size() - at);
    out.insert(out.end(), part->begin() + static_cast<ptrdiff_t>(at), part->begin() + static_cast<ptrdiff_t>(at + take));
    n -= take;
    at = 0;
  }
}

void FileRebuild::chunk_take(uint64_t i, std::span<const uint8_t> content) {
  if (i < plan_.verbatim_chunks())
    verbatim_.insert(verbatim_.end(), content.begin(), content.end());
  else
    plan_.sample_chunk_take(i - plan_.verbatim_chunks(), content, &samples_);
}

Result<std::vector<uint8_t>> FileRebuild::file(const std::function<bool(uint64_t digest)>& content_ok) {
  auto corrupt = [](const std::string& what) { return Status(ErrorCode::corrupt, what); };
  if (verbatim_.size() != plan_.verbatim_bytes() || samples_.size() != plan_.samples_bytes())
    return Status(ErrorCode::internal, "layout parts of unexpected sizes");
  const FileKind& kind = *file_kind(layout_.kind);
  LayoutParts parts;
  const uint64_t h = layout_.header_bytes, t = layout_.trailer_bytes, residue = verbatim_.size() - h - t;
  parts.header.assign(verbatim_.begin(), verbatim_.begin() + static_cast<ptrdiff_t>(h));
  parts.residue.assign(verbatim_.begin() + static_cast<ptrdiff_t>(h),
                       verbatim_.begin() + static_cast<ptrdiff_t>(h + residue));
  parts.trailer.assign(verbatim_.begin() + static_cast<ptrdiff_t>(h + residue), verbatim_.end());
  verbatim_ = {};
  parts.samples = std::move(samples_);
  samples_ = {};
  if (kind.content_is_samples) {
    if (!content_ok(checksum64(parts.samples))) return corrupt("whole-content checksum mismatch");
    return kind.join(layout_, std::move(parts));
  }
  auto file = kind.join(layout_, std::move(parts));
  if (!file) return corrupt("the layout does not rebuild a file: " + file.status().message());
  if (!content_ok(checksum64(*file))) return corrupt("whole-content checksum mismatch");
  // One description per file: a forged kind or field fails here. The
  // encoder's choices are not the file's, so they are left out.
  Layout described = layout_;
  described.tile_width = 0;
  described.strips = false;
  auto found = layout_detect(*file, file_kinds());
  if (!found || !*found || **found != described)
    return corrupt("the frame's layout is not the layout of the file it rebuilds");
  return file;
}

}  // namespace lmzip
