// Test-only image and audio models: the built-in order2 (pooled) under
// another name and identity, reporting the DataSpec a test chooses, so that
// the codec's layouts can be tested before any trained media model exists.
// Also builders of small WAV / PGM / PPM / BMP files.
#pragma once

#include <xxhash.h>

#include <memory>
#include <string>
#include <vector>

#include "test_util.h"

namespace lmzip::test {

class TestMediaModel final : public Model {
 public:
  TestMediaModel(const std::string& name, DataSpec data, uint32_t chunk_size = 2048)
      : info_(pooled_order2()->info()), chunk_size_(chunk_size) {
    info_.name = name;
    info_.data = data;
    info_.properties.clear();
    // A fixed identity from the name and spec: files made by one test run decode in the next.
    const std::string key = name + "/" + std::to_string(static_cast<int>(data.kind)) + "/" +
                            std::to_string(data.width) + "/" + std::to_string(data.channels) + "/" +
                            std::to_string(data.bits) + "/" + std::to_string(chunk_size);
    for (size_t i = 0; i < 4; ++i) {
      const uint64_t h = XXH64(key.data(), key.size(), i);
      for (size_t k = 0; k < 8; ++k) info_.identity[8 * i + k] = static_cast<uint8_t>(h >> (8 * k));
    }
  }
  const ModelInfo& info() const override { return info_; }
  uint32_t default_chunk_size() const override { return chunk_size_; }
  std::unique_ptr<Predictor> make_predictor() const override {
    return std::make_unique<Permuted>(pooled_order2()->make_predictor(), static_cast<uint8_t>(info_.identity[0] | 1));
  }

 private:
  // order2 with a fixed bias added to every frequency: predicts differently
  // from order2 itself, so that a chunk decoded with the wrong model fails
  // its checksum. (A relabelling of the symbols would not do: order2 treats
  // all byte values alike.)
  class Permuted final : public Predictor {
   public:
    Permuted(std::unique_ptr<Predictor> inner, uint8_t key) : inner_(std::move(inner)), key_(key) {}
    int alphabet_size() const override { return 256; }
    void reset(size_t lanes) override { inner_->reset(lanes); }
    void predict(uint32_t* freq, uint32_t* total) override {
      inner_->predict(freq, total);
      if (*total > kMaxFrequencyTotal - 256 * 16) return;
      for (uint32_t s = 0; s < 256; ++s) {
        const uint32_t extra = (s * 37 + key_) & 15;
        freq[s] += extra;
        *total += extra;
      }
    }
    void update(std::span<const Symbol> symbols) override { inner_->update(symbols); }

   private:
    std::unique_ptr<Predictor> inner_;
    uint8_t key_;
  };

  ModelInfo info_;
  uint32_t chunk_size_;
};

inline DataSpec image_spec(uint32_t width, uint32_t channels) { return {Media::image, width, channels, 8}; }
inline DataSpec audio_spec(uint32_t bits) { return {Media::audio, 0, 1, bits}; }

// The test media models: gray tiles 16 wide, RGB tiles 8 wide, audio 8 and 16 bits; chunk size 512.
inline const std::vector<std::shared_ptr<const Model>>& test_media_models() {
  static const std::vector<std::shared_ptr<const Model>> models = {
      std::make_shared<TestMediaModel>("test-image-gray", image_spec(16, 1), 512),
      std::make_shared<TestMediaModel>("test-image-rgb", image_spec(8, 3), 512),
      std::make_shared<TestMediaModel>("test-audio8", audio_spec(8), 512),
      std::make_shared<TestMediaModel>("test-audio16", audio_spec(16), 512),
  };
  return models;
}

// The test media models by name and identity, then the default resolver (order2 pooled).
inline ModelResolver media_test_resolver() {
  return [](const std::string& name, const IdentityPrefix& id) -> Result<std::shared_ptr<const Model>> {
    for (const auto& m : test_media_models())
      if (m->name() == name && id.matches(m->identity())) return m;
    return pooled_default_resolver()(name, id);
  };
}

// ---- file builders -----------------------------------------------------------------

// Smooth, compressible samples with a little noise.
inline Bytes wave_samples(size_t frames, uint32_t channels, uint32_t bits, uint64_t seed) {
  Bytes b;
  const uint32_t bytes = bits / 8;
  uint64_t s = seed * 0x9E3779B97F4A7C15ull + 1;
  for (size_t f = 0; f < frames; ++f)
    for (uint32_t c = 0; c < channels; ++c) {
      s = s * 6364136223846793005ull + 1442695040888963407ull;
      const double v = std::sin(static_cast<double>(f) * (0.01 + 0.007 * c)) * 0.5 + ((s >> 60) & 3) * 0.002;
      const int64_t level = static_cast<int64_t>(v * ((1 << (bits - 1)) - 1));
      const uint64_t stored = bits == 8 ? static_cast<uint64_t>(level + 128) : static_cast<uint64_t>(level);
      for (uint32_t k = 0; k < bytes; ++k) b.push_back(static_cast<uint8_t>(stored >> (8 * k)));
    }
  return b;
}

// RIFF/WAVE with 'fmt ', an optional 'LIST' chunk before 'data', and `trailer` after it.
inline Bytes make_wav(uint32_t channels, uint32_t bits, size_t frames, uint64_t seed = 1,
                      const Bytes& trailer = {}, bool list_chunk = false) {
  const Bytes data = wave_samples(frames, channels, bits, seed);
  Bytes b = to_bytes("RIFF");
  put_le(b, 0, 4);  // fixed below
  for (char c : std::string("WAVEfmt ")) b.push_back(static_cast<uint8_t>(c));
  put_le(b, 16, 4);
  put_le(b, 1, 2);
  put_le(b, channels, 2);
  put_le(b, 16000, 4);
  put_le(b, 16000 * channels * bits / 8, 4);
  put_le(b, channels * bits / 8, 2);
  put_le(b, bits, 2);
  if (list_chunk) {
    for (char c : std::string("LIST")) b.push_back(static_cast<uint8_t>(c));
    put_le(b, 10, 4);
    b.insert(b.end(), {'I', 'N', 'F', 'O', 'I', 'S', 'F', 'T', 2, 0});
  }
  for (char c : std::string("data")) b.push_back(static_cast<uint8_t>(c));
  put_le(b, data.size(), 4);
  b.insert(b.end(), data.begin(), data.end());
  b.insert(b.end(), trailer.begin(), trailer.end());
  set_le(b, 4, b.size() - 8, 4);
  return b;
}

// Smooth pixels: gradients plus noise; `channels` interleaved, rows top-down.
inline Bytes image_pixels(uint32_t width, uint32_t height, uint32_t channels, uint64_t seed) {
  Bytes p;
  uint64_t s = seed * 0x9E3779B97F4A7C15ull + 7;
  for (uint32_t y = 0; y < height; ++y)
    for (uint32_t x = 0; x < width; ++x)
      for (uint32_t c = 0; c < channels; ++c) {
        s = s * 6364136223846793005ull + 1442695040888963407ull;
        p.push_back(static_cast<uint8_t>(x * 3 + y * 2 + c * 40 + ((s >> 61) & 3)));
      }
  return p;
}

inline Bytes make_pnm(uint32_t width, uint32_t height, uint32_t channels, uint64_t seed = 1,
                      const Bytes& trailer = {}) {
  Bytes b = to_bytes(std::string(channels == 1 ? "P5" : "P6") + "\n# test image\n" + std::to_string(width) + " " +
                     std::to_string(height) + "\n255\n");
  const Bytes px = image_pixels(width, height, channels, seed);
  b.insert(b.end(), px.begin(), px.end());
  b.insert(b.end(), trailer.begin(), trailer.end());
  return b;
}

// BMP: 24-bit (BGR) or 8-bit with the gray palette; rows padded to 4 bytes
// with `pad` bytes; bottom-up unless top_down (negative height).
inline Bytes make_bmp(uint32_t width, uint32_t height, uint32_t channels, bool top_down, uint64_t seed = 1,
                      uint8_t pad = 0xA5) {
  const Bytes px = image_pixels(width, height, channels, seed);
  const uint32_t bits = channels * 8, stride = (width * bits + 31) / 32 * 4;
  const uint32_t palette = channels == 1 ? 1024 : 0, offset = 14 + 40 + palette;
  Bytes b = {'B', 'M'};
  put_le(b, offset + stride * height, 4);
  put_le(b, 0, 4);
  put_le(b, offset, 4);
  put_le(b, 40, 4);
  put_le(b, width, 4);
  put_le(b, top_down ? static_cast<uint32_t>(-static_cast<int32_t>(height)) : height, 4);
  put_le(b, 1, 2);
  put_le(b, bits, 2);
  put_le(b, 0, 4);
  put_le(b, stride * height, 4);
  put_le(b, 2835, 4);
  put_le(b, 2835, 4);
  put_le(b, channels == 1 ? 256 : 0, 4);
  put_le(b, 0, 4);
  for (uint32_t i = 0; i < palette / 4; ++i) b.insert(b.end(), {uint8_t(i), uint8_t(i), uint8_t(i), 0});
  for (uint32_t r = 0; r < height; ++r) {
    const uint32_t y = top_down ? r : height - 1 - r;
    const uint8_t* row = px.data() + size_t{y} * width * channels;
    for (uint32_t x = 0; x < width; ++x) {
      if (channels == 3) b.insert(b.end(), {row[3 * x + 2], row[3 * x + 1], row[3 * x]});
      else b.push_back(row[x]);
    }
    for (uint32_t k = width * channels; k < stride; ++k) b.push_back(static_cast<uint8_t>(pad + r + k));
  }
  return b;
}

struct LayoutCompressed {
  Status status;
  Bytes lmz;
  CompressStats stats;
};

// What the media tests compress with: order2 and the test media models.
inline CompressOptions media_options(unsigned threads = 1) {
  CompressOptions o;
  o.model = pooled_order2();
  o.media_models = test_media_models();
  o.threads = threads;
  return o;
}

inline LayoutCompressed compress_media_with(std::span<const uint8_t> data, const CompressOptions& o) {
  MemorySource src(data);
  MemorySink sink;
  LayoutCompressed r;
  r.status = compress(src, sink, o, &r.stats);
  r.lmz = std::move(sink.bytes());
  return r;
}

inline LayoutCompressed compress_media(std::span<const uint8_t> data, unsigned threads = 1, bool png_pixels = false,
                                       uint64_t max_bytes = kLayoutMaxBytes, uint32_t chunk_size = 0,
                                       bool image_strips = true) {
  CompressOptions o = media_options(threads);
  o.png_pixels = png_pixels;
  o.layout_max_bytes = max_bytes;
  o.chunk_size = chunk_size;
  o.image_strips = image_strips;
  return compress_media_with(data, o);
}

}  // namespace lmzip::test
