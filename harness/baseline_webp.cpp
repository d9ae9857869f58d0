// WebP lossless through libwebp at its strongest preset (cwebp -lossless -z 9,
// exact). WebP has no gray mode: gray pixels are given as R = G = B and come
// back from the R channel. Images only; WebP's 16383-pixel side limit makes
// long strips of patches fail (reported as not measurable).
#include <webp/decode.h>
#include <webp/encode.h>

#include "baseline.h"
#include "image_layout.h"

namespace lmzip::harness {
namespace {

class WebpBaseline final : public Baseline {
 public:
  std::string name() const override { return "WebP lossless (-z 9)"; }
  bool applies_to(const DataShape& shape) const override { return shape.modality == Modality::image; }

  Result<Bytes> encode(std::span<const uint8_t> data, const DataShape& shape) const override {
    const ImageLayout layout = image_layout_for(data.size(), shape);
    if (layout.width == 0) return Status(ErrorCode::invalid_argument, "WebP needs a non-empty input");
    if (layout.width > WEBP_MAX_DIMENSION || layout.height > WEBP_MAX_DIMENSION)
      return Status(ErrorCode::limit_exceeded, "image is " + std::to_string(layout.width) + " × " +
                                                   std::to_string(layout.height) + " px, over WebP's 16383-px limit");
    Bytes rgb;
    if (layout.channels == 1) {
      rgb.resize(data.size() * 3);
      for (size_t i = 0; i < data.size(); ++i) rgb[3 * i] = rgb[3 * i + 1] = rgb[3 * i + 2] = data[i];
    }
    WebPConfig config;
    if (!WebPConfigInit(&config) || !WebPConfigLosslessPreset(&config, 9))
      return Status(ErrorCode::internal, "WebP config init failed");
    config.exact = 1;
    WebPPicture picture;
    if (!WebPPictureInit(&picture)) return Status(ErrorCode::internal, "WebP picture init failed");
    picture.use_argb = 1;
    picture.width = static_cast<int>(layout.width);
    picture.height = static_cast<int>(layout.height);
    const uint8_t* pixels = layout.channels == 1 ? rgb.data() : data.data();
    if (!WebPPictureImportRGB(&picture, pixels, static_cast<int>(layout.width * 3))) {
      WebPPictureFree(&picture);
      return Status(ErrorCode::internal, "WebPPictureImportRGB failed");
    }
    WebPMemoryWriter writer;
    WebPMemoryWriterInit(&writer);
    picture.writer = WebPMemoryWrite;
    picture.custom_ptr = &writer;
    const int ok = WebPEncode(&config, &picture);
    WebPPictureFree(&picture);
    Bytes out(writer.mem, writer.mem + writer.size);
    WebPMemoryWriterClear(&writer);
    if (!ok) return Status(ErrorCode::internal, "WebP encoding failed");
    return out;
  }

  Result<Bytes> decode(std::span<const uint8_t> encoded, const DataShape& shape) const override {
    int width = 0, height = 0;
    uint8_t* rgb = WebPDecodeRGB(encoded.data(), encoded.size(), &width, &height);
    if (rgb == nullptr) return Status(ErrorCode::corrupt, "WebP stream does not decode");
    const size_t pixels = static_cast<size_t>(width) * static_cast<size_t>(height);
    Bytes out;
    if (shape.channels == 3) {
      out.assign(rgb, rgb + pixels * 3);
    } else {
      out.resize(pixels);
      for (size_t i = 0; i < pixels; ++i) out[i] = rgb[3 * i];
    }
    WebPFree(rgb);
    return out;
  }
};

}  // namespace

std::unique_ptr<Baseline> baseline_webp() { return std::make_unique<WebpBaseline>(); }

}  // namespace lmzip::harness
