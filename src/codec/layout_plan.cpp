#include "codec/layout_plan.h"

#include <algorithm>
#include <cstring>

namespace lmzip {

ChunkPlan::ChunkPlan(const format::Layout& l, uint32_t chunk_size)
    : l_(l), c_(chunk_size), image_(format::layout_is_image(l.kind)) {
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
  if (l_.kind == format::LayoutKind::png_pixels) return samples_;
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

format::Layout layout_from_file(const data::FileLayout& f, uint32_t tile_width) {
  format::Layout l;
  using K = data::LayoutKind;
  if (f.kind == K::audio_pcm) {
    if (f.bits_per_sample != 8 && f.bits_per_sample != 16) return {};
    l.kind = format::LayoutKind::wav;
    l.channels = f.channels;
    l.bits = f.bits_per_sample;
  } else if (f.kind == K::image_gray || f.kind == K::image_rgb) {
    if (f.bits_per_channel != 8) return {};
    if (f.name == "bmp") l.kind = format::LayoutKind::bmp;
    else if (f.name == "pgm" || f.name == "ppm") l.kind = format::LayoutKind::pnm;
    else return {};
    l.channels = f.channels_per_pixel;
    l.bits = 8;
    l.width = f.width;
    l.height = f.height;
    l.row_stride = f.row_stride;
    l.bottom_up = f.bottom_up;
    l.bgr = f.bgr;
    l.tile_width = tile_width;
  } else {
    return {};
  }
  l.header_bytes = f.header_bytes;
  l.payload_bytes = f.payload_bytes;
  l.trailer_bytes = f.trailer_bytes;
  return l;
}

data::FileLayout layout_to_file(const format::Layout& l) {
  data::FileLayout f;
  f.header_bytes = l.header_bytes;
  f.payload_bytes = l.payload_bytes;
  f.trailer_bytes = l.trailer_bytes;
  if (l.kind == format::LayoutKind::wav) {
    f.kind = data::LayoutKind::audio_pcm;
    f.name = "wav";
    f.channels = l.channels;
    f.bits_per_sample = l.bits;
  } else {
    f.kind = l.channels == 1 ? data::LayoutKind::image_gray : data::LayoutKind::image_rgb;
    f.name = format::layout_name(l);
    f.width = l.width;
    f.height = l.height;
    f.channels_per_pixel = l.channels;
    f.bits_per_channel = l.bits;
    f.row_stride = l.row_stride;
    f.bottom_up = l.bottom_up;
    f.bgr = l.bgr;
  }
  return f;
}

}  // namespace lmzip
