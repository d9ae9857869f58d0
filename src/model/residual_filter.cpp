#include "model/residual_filter.h"

#include <algorithm>
#include <cstdlib>

namespace lmzip {

std::string FilterSpec::name() const {
  switch (kind) {
    case Kind::none: return "none";
    case Kind::med: return "med";
    case Kind::poly: return "poly" + std::to_string(order);
  }
  return "none";
}

uint32_t FilterSpec::tags() const {
  switch (kind) {
    case Kind::none: return 1;
    case Kind::med: return data.channels * kActivityLevels;
    case Kind::poly: return data.bits / 8;
  }
  return 1;
}

Result<FilterSpec> filter_spec_parse(const std::string& name, const DataSpec& data) {
  auto bad = [&](const std::string& why) {
    return Status(ErrorCode::invalid_argument, "filter '" + name + "': " + why);
  };
  FilterSpec s;
  s.data = data;
  if (name == "none") return s;
  if (name == "med") {
    if (data.kind != Media::image || data.width < 1 || data.width > kMaxFilterWidth ||
        data.channels < 1 || data.channels > 4 || data.bits != 8)
      return bad("needs 8-bit image data of width 1.." + std::to_string(kMaxFilterWidth) +
                 " with 1..4 channels");
    s.kind = FilterSpec::Kind::med;
    return s;
  }
  if (name.size() == 5 && name.starts_with("poly") && name[4] >= '1' && name[4] <= '3') {
    if (data.kind != Media::audio || data.channels != 1 || (data.bits != 8 && data.bits != 16))
      return bad("needs mono 8- or 16-bit audio data");
    s.kind = FilterSpec::Kind::poly;
    s.order = name[4] - '0';
    return s;
  }
  return bad("unknown (known: none, med, poly1, poly2, poly3)");
}

ResidualFilter::ResidualFilter(const FilterSpec& spec) : spec_(spec) {
  if (spec_.kind == FilterSpec::Kind::med) {
    row_bytes_ = uint64_t(spec_.data.width) * spec_.data.channels;
    uint64_t size = 1;
    while (size < row_bytes_ + spec_.data.channels + 1) size <<= 1;
    ring_.assign(size_t(size), 0);
    ring_mask_ = size - 1;
  }
  reset();
}

void ResidualFilter::reset() {
  pos_ = 0;
  prev_ = {};
  pred_ = 0;
  lo_ = 0;
  compute_offset();
}

uint8_t ResidualFilter::push(uint8_t byte) {
  const uint8_t token = uint8_t(byte - offset_);
  switch (spec_.kind) {
    case FilterSpec::Kind::none: break;
    case FilterSpec::Kind::med: ring_[size_t(pos_ & ring_mask_)] = byte; break;
    case FilterSpec::Kind::poly:
      if (spec_.data.bits == 8) {
        prev_ = {int32_t(byte) - 128, prev_[0], prev_[1]};
      } else if (pos_ % 2 == 0) {
        lo_ = byte;
      } else {
        prev_ = {int32_t(int16_t(uint16_t(lo_ | byte << 8))), prev_[0], prev_[1]};
      }
      break;
  }
  ++pos_;
  compute_offset();
  return token;
}

int med_predict(int a, int b, int c) {
  if (c >= std::max(a, b)) return std::min(a, b);
  if (c <= std::min(a, b)) return std::max(a, b);
  return a + b - c;
}

void ResidualFilter::compute_offset() {
  switch (spec_.kind) {
    case FilterSpec::Kind::none: offset_ = 0; tag_ = 0; return;
    case FilterSpec::Kind::med: {
      const uint64_t C = spec_.data.channels, W = spec_.data.width;
      const uint64_t pixel = pos_ / C, col = pixel % W, row = pixel / W;
      auto at = [&](uint64_t back) { return int(ring_[size_t((pos_ - back) & ring_mask_)]); };
      // Neighbours a (left), b (above), c (above left), e (above right); a
      // missing one takes the value of the nearest present (128 for none).
      const int a = col > 0 ? at(C) : row > 0 ? at(row_bytes_) : 128;
      const int b = row > 0 ? at(row_bytes_) : a;
      const int c = row > 0 && col > 0 ? at(row_bytes_ + C) : b;
      const int e = row > 0 && col + 1 < W ? at(row_bytes_ - C) : b;
      offset_ = uint8_t(row > 0 && col > 0 ? med_predict(a, b, c) : row > 0 ? b : a);
      const int activity = std::abs(a - c) + std::abs(b - c) + std::abs(e - b);
      uint32_t level = 0;
      for (int bound : kActivityBounds) level += activity >= bound ? 1 : 0;
      tag_ = uint32_t(pos_ % C) + uint32_t(C) * level;
      return;
    }
    case FilterSpec::Kind::poly: {
      const bool wide = spec_.data.bits == 16;
      tag_ = wide ? uint32_t(pos_ % 2) : 0;
      if (wide && pos_ % 2 == 1) {  // high byte: the prediction's, plus the carry out of the low byte
        offset_ = uint8_t(((pred_ >> 8) + (lo_ < uint8_t(pred_) ? 1 : 0)) & 0xff);
        return;
      }
      const uint64_t seen = wide ? pos_ / 2 : pos_;
      const int k = int(std::min<uint64_t>(seen, uint64_t(spec_.order)));
      const int32_t* p = prev_.data();
      int32_t pred = k == 0 ? 0 : k == 1 ? p[0] : k == 2 ? 2 * p[0] - p[1] : 3 * p[0] - 3 * p[1] + p[2];
      const int32_t hi = wide ? 32767 : 127;
      pred_ = std::clamp(pred, -hi - 1, hi);
      offset_ = uint8_t(wide ? pred_ & 0xff : (pred_ + 128) & 0xff);
      return;
    }
  }
}

void filter_tokens(const FilterSpec& spec, std::span<const uint8_t> content, uint8_t* tokens, uint8_t* tags) {
  ResidualFilter f(spec);
  for (size_t i = 0; i < content.size(); ++i) {
    if (tags) tags[i] = uint8_t(f.tag());
    tokens[i] = f.push(content[i]);
  }
}

void filter_untokens(const FilterSpec& spec, std::span<const uint8_t> tokens, uint8_t* content) {
  ResidualFilter f(spec);
  for (size_t i = 0; i < tokens.size(); ++i) {
    content[i] = uint8_t(tokens[i] + f.offset());
    f.push(content[i]);
  }
}

}  // namespace lmzip
