#include "layout/kinds/png_read.h"

#include <png.h>

#include <cstdio>
#include <cstring>
#include <string>

namespace lmzip {
namespace {

// Everything libpng's error path may touch lives here, outside the frame that
// calls setjmp: a longjmp back into that frame then skips no C++ destructor.
struct PngReadContext {
  std::span<const uint8_t> in;
  size_t pos = 0;
  Pixels* out = nullptr;
  char message[200] = "malformed PNG";
};

void png_error_to_context(png_structp png, png_const_charp msg) {
  auto* ctx = static_cast<PngReadContext*>(png_get_error_ptr(png));
  std::snprintf(ctx->message, sizeof ctx->message, "malformed PNG: %s", msg);
  png_longjmp(png, 1);
}

void png_warning_ignore(png_structp, png_const_charp) {}

void png_read_from_context(png_structp png, png_bytep dst, size_t n) {
  auto* ctx = static_cast<PngReadContext*>(png_get_io_ptr(png));
  if (n > ctx->in.size() - ctx->pos) png_error(png, "truncated data");
  std::memcpy(dst, ctx->in.data() + ctx->pos, n);
  ctx->pos += n;
}

// Returns 0 on success, 1 on a libpng error (message in ctx), 2 on a size limit.
int png_decode_into(PngReadContext* ctx) {
  png_structp png =
      png_create_read_struct(PNG_LIBPNG_VER_STRING, ctx, png_error_to_context, png_warning_ignore);
  if (png == nullptr) return 1;
  png_infop info = png_create_info_struct(png);
  if (info == nullptr) {
    png_destroy_read_struct(&png, nullptr, nullptr);
    return 1;
  }
  if (setjmp(png_jmpbuf(png))) {
    png_destroy_read_struct(&png, &info, nullptr);
    return 1;
  }
  png_set_read_fn(png, ctx, png_read_from_context);
  png_set_user_limits(png, 1u << 20, 1u << 20);
  png_read_info(png, info);

  const png_uint_32 width = png_get_image_width(png, info);
  const png_uint_32 height = png_get_image_height(png, info);
  if (uint64_t{width} * height > kMaxImagePixels) {
    png_destroy_read_struct(&png, &info, nullptr);
    return 2;
  }
  const int color_type = png_get_color_type(png, info);
  // Sample values only: no png_set_gamma, no tRNS → alpha.
  if (color_type == PNG_COLOR_TYPE_PALETTE) png_set_palette_to_rgb(png);
  if (color_type == PNG_COLOR_TYPE_GRAY && png_get_bit_depth(png, info) < 8)
    png_set_expand_gray_1_2_4_to_8(png);
  png_set_strip_16(png);
  png_set_strip_alpha(png);
  const int passes = png_set_interlace_handling(png);
  png_read_update_info(png, info);

  const uint32_t channels = png_get_channels(png, info);
  const size_t row_bytes = png_get_rowbytes(png, info);
  if ((channels != 1 && channels != 3) || row_bytes != size_t{width} * channels)
    png_error(png, "unexpected pixel layout after conversion");
  ctx->out->width = width;
  ctx->out->height = height;
  ctx->out->channels = channels;
  ctx->out->bytes.assign(row_bytes * height, 0);
  for (int pass = 0; pass < passes; ++pass)
    for (png_uint_32 y = 0; y < height; ++y)
      png_read_row(png, ctx->out->bytes.data() + y * row_bytes, nullptr);
  png_read_end(png, nullptr);
  png_destroy_read_struct(&png, &info, nullptr);
  return 0;
}

}  // namespace

Result<Pixels> png_read(std::span<const uint8_t> file) {
  if (file.size() < 8 || png_sig_cmp(file.data(), 0, 8) != 0)
    return Status(ErrorCode::bad_magic, "not a PNG file (signature missing)");
  Pixels pixels;
  PngReadContext ctx;
  ctx.in = file;
  ctx.out = &pixels;
  const int rc = png_decode_into(&ctx);
  if (rc == 2) return Status(ErrorCode::limit_exceeded, "PNG image has too many pixels");
  if (rc != 0) return Status(ErrorCode::corrupt, ctx.message);
  return pixels;
}

}  // namespace lmzip
