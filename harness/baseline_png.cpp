// PNG through libpng, zlib level 9, libpng's default adaptive filtering.
// The paper's png.py reshapes every input to the two closest factors; the
// image-shaped variant keeps a patch as its 64 × 32 picture.
#include <png.h>

#include <cstdio>
#include <cstring>

#include "baseline.h"
#include "layout/kinds/png_read.h"
#include "image_layout.h"

namespace lmzip::harness {
namespace {

// Everything libpng's error path touches lives here, outside the frame that
// calls setjmp, so a longjmp skips no C++ destructor.
struct PngWriteContext {
  const uint8_t* pixels = nullptr;
  ImageLayout layout;
  Bytes* out = nullptr;
  char message[200] = "PNG encoding failed";
};

void png_write_error(png_structp png, png_const_charp msg) {
  auto* ctx = static_cast<PngWriteContext*>(png_get_error_ptr(png));
  std::snprintf(ctx->message, sizeof ctx->message, "PNG encoding failed: %s", msg);
  png_longjmp(png, 1);
}
void png_write_warning(png_structp, png_const_charp) {}
void png_write_to_context(png_structp png, png_bytep data, size_t n) {
  auto* ctx = static_cast<PngWriteContext*>(png_get_io_ptr(png));
  ctx->out->insert(ctx->out->end(), data, data + n);
}
void png_flush_nothing(png_structp) {}

bool png_encode_into(PngWriteContext* ctx) {
  png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, ctx, png_write_error, png_write_warning);
  if (png == nullptr) return false;
  png_infop info = png_create_info_struct(png);
  if (info == nullptr) {
    png_destroy_write_struct(&png, nullptr);
    return false;
  }
  if (setjmp(png_jmpbuf(png))) {
    png_destroy_write_struct(&png, &info);
    return false;
  }
  png_set_write_fn(png, ctx, png_write_to_context, png_flush_nothing);
  png_set_compression_level(png, 9);
  png_set_IHDR(png, info, ctx->layout.width, ctx->layout.height, 8,
               ctx->layout.channels == 3 ? PNG_COLOR_TYPE_RGB : PNG_COLOR_TYPE_GRAY, PNG_INTERLACE_NONE,
               PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
  png_write_info(png, info);
  const size_t row = size_t{ctx->layout.width} * ctx->layout.channels;
  for (uint32_t y = 0; y < ctx->layout.height; ++y)
    png_write_row(png, const_cast<png_bytep>(ctx->pixels + y * row));
  png_write_end(png, nullptr);
  png_destroy_write_struct(&png, &info);
  return true;
}

class PngBaseline final : public Baseline {
 public:
  explicit PngBaseline(bool paper_layout) : paper_layout_(paper_layout) {}

  std::string name() const override { return paper_layout_ ? "PNG (paper's layout)" : "PNG (64-px rows)"; }

  bool applies_to(const DataShape& shape) const override {
    return paper_layout_ || shape.modality == Modality::image;
  }

  Result<Bytes> encode(std::span<const uint8_t> data, const DataShape& shape) const override {
    const ImageLayout layout = paper_layout_ ? image_layout_closest_factors(data.size()) : image_layout_for(data.size(), shape);
    if (layout.width == 0 || layout.height > PNG_UINT_31_MAX)
      return Status(ErrorCode::invalid_argument, "PNG needs a non-empty input");
    Bytes out;
    PngWriteContext ctx;
    ctx.pixels = data.data();
    ctx.layout = layout;
    ctx.out = &out;
    if (!png_encode_into(&ctx)) return Status(ErrorCode::internal, ctx.message);
    return out;
  }

  Result<Bytes> decode(std::span<const uint8_t> encoded, const DataShape&) const override {
    Result<Pixels> pixels = png_read(encoded);
    if (!pixels) return pixels.status();
    return std::move(pixels->bytes);
  }

 private:
  bool paper_layout_;
};

}  // namespace

std::unique_ptr<Baseline> baseline_png(bool paper_layout) { return std::make_unique<PngBaseline>(paper_layout); }

}  // namespace lmzip::harness
