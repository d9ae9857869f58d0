// JPEG XL lossless through libjxl: distance 0 (modular, lossless), effort 9
// (cjxl -d 0 -e 9), a bare codestream without the ISOBMFF container, one
// thread. Images only: patches are coded as 64-px-wide gray or RGB pictures.
#include <jxl/decode.h>
#include <jxl/encode.h>

#include <memory>

#include "baseline.h"
#include "image_layout.h"

namespace lmzip::harness {
namespace {

struct JxlEncoderDelete {
  void operator()(JxlEncoder* e) const { JxlEncoderDestroy(e); }
};
struct JxlDecoderDelete {
  void operator()(JxlDecoder* d) const { JxlDecoderDestroy(d); }
};

class JxlBaseline final : public Baseline {
 public:
  std::string name() const override { return "JPEG-XL (-d 0 -e 9)"; }
  bool applies_to(const DataShape& shape) const override { return shape.modality == Modality::image; }

  Result<Bytes> encode(std::span<const uint8_t> data, const DataShape& shape) const override {
    const ImageLayout layout = image_layout_for(data.size(), shape);
    if (layout.width == 0) return Status(ErrorCode::invalid_argument, "JPEG-XL needs a non-empty input");
    std::unique_ptr<JxlEncoder, JxlEncoderDelete> enc(JxlEncoderCreate(nullptr));
    if (!enc) return Status(ErrorCode::internal, "cannot create a JPEG-XL encoder");
    JxlBasicInfo info;
    JxlEncoderInitBasicInfo(&info);
    info.xsize = layout.width;
    info.ysize = layout.height;
    info.bits_per_sample = 8;
    info.num_color_channels = layout.channels;
    info.uses_original_profile = JXL_TRUE;  // required for lossless
    // Tall strips of patches exceed level 5's 2^18-pixel side limit.
    if (layout.height > (1u << 18) || uint64_t{layout.width} * layout.height > (uint64_t{1} << 28))
      JxlEncoderSetCodestreamLevel(enc.get(), 10);
    if (JxlEncoderSetBasicInfo(enc.get(), &info) != JXL_ENC_SUCCESS)
      return Status(ErrorCode::internal, "JxlEncoderSetBasicInfo failed");
    JxlColorEncoding colour;
    JxlColorEncodingSetToSRGB(&colour, layout.channels == 1 ? JXL_TRUE : JXL_FALSE);
    if (JxlEncoderSetColorEncoding(enc.get(), &colour) != JXL_ENC_SUCCESS)
      return Status(ErrorCode::internal, "JxlEncoderSetColorEncoding failed");
    JxlEncoderFrameSettings* settings = JxlEncoderFrameSettingsCreate(enc.get(), nullptr);
    if (JxlEncoderSetFrameLossless(settings, JXL_TRUE) != JXL_ENC_SUCCESS ||
        JxlEncoderFrameSettingsSetOption(settings, JXL_ENC_FRAME_SETTING_EFFORT, 9) != JXL_ENC_SUCCESS)
      return Status(ErrorCode::internal, "cannot set JPEG-XL lossless effort 9");
    const JxlPixelFormat format = {layout.channels, JXL_TYPE_UINT8, JXL_NATIVE_ENDIAN, 0};
    if (JxlEncoderAddImageFrame(settings, &format, data.data(), data.size()) != JXL_ENC_SUCCESS)
      return Status(ErrorCode::internal, "JxlEncoderAddImageFrame failed");
    JxlEncoderCloseInput(enc.get());
    Bytes out(4096 + data.size() / 2);
    uint8_t* next = out.data();
    size_t avail = out.size();
    JxlEncoderStatus st = JXL_ENC_NEED_MORE_OUTPUT;
    while ((st = JxlEncoderProcessOutput(enc.get(), &next, &avail)) == JXL_ENC_NEED_MORE_OUTPUT) {
      const size_t used = static_cast<size_t>(next - out.data());
      out.resize(out.size() * 2);
      next = out.data() + used;
      avail = out.size() - used;
    }
    if (st != JXL_ENC_SUCCESS) return Status(ErrorCode::internal, "JPEG-XL encoding failed");
    out.resize(static_cast<size_t>(next - out.data()));
    return out;
  }

  Result<Bytes> decode(std::span<const uint8_t> encoded, const DataShape&) const override {
    std::unique_ptr<JxlDecoder, JxlDecoderDelete> dec(JxlDecoderCreate(nullptr));
    if (!dec) return Status(ErrorCode::internal, "cannot create a JPEG-XL decoder");
    if (JxlDecoderSubscribeEvents(dec.get(), JXL_DEC_BASIC_INFO | JXL_DEC_FULL_IMAGE) != JXL_DEC_SUCCESS)
      return Status(ErrorCode::internal, "JxlDecoderSubscribeEvents failed");
    JxlDecoderSetInput(dec.get(), encoded.data(), encoded.size());
    JxlDecoderCloseInput(dec.get());
    JxlPixelFormat format = {1, JXL_TYPE_UINT8, JXL_NATIVE_ENDIAN, 0};
    Bytes out;
    for (;;) {
      const JxlDecoderStatus st = JxlDecoderProcessInput(dec.get());
      if (st == JXL_DEC_BASIC_INFO) {
        JxlBasicInfo info;
        if (JxlDecoderGetBasicInfo(dec.get(), &info) != JXL_DEC_SUCCESS)
          return Status(ErrorCode::corrupt, "JPEG-XL basic info unreadable");
        format.num_channels = info.num_color_channels;
      } else if (st == JXL_DEC_NEED_IMAGE_OUT_BUFFER) {
        size_t size = 0;
        if (JxlDecoderImageOutBufferSize(dec.get(), &format, &size) != JXL_DEC_SUCCESS)
          return Status(ErrorCode::corrupt, "JPEG-XL output size unknown");
        out.resize(size);
        if (JxlDecoderSetImageOutBuffer(dec.get(), &format, out.data(), out.size()) != JXL_DEC_SUCCESS)
          return Status(ErrorCode::corrupt, "JPEG-XL output buffer refused");
      } else if (st == JXL_DEC_FULL_IMAGE) {
        continue;
      } else if (st == JXL_DEC_SUCCESS) {
        return out;
      } else {
        return Status(ErrorCode::corrupt, "JPEG-XL stream does not decode");
      }
    }
  }
};

}  // namespace

std::unique_ptr<Baseline> baseline_jxl() { return std::make_unique<JxlBaseline>(); }

}  // namespace lmzip::harness
