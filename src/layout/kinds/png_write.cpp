#include "layout/kinds/png_write.h"

#include <png.h>

#include <cstdio>
#include <cstring>
#include <string>

namespace lmzip {
namespace {

struct PngWriteContext {
  const Pixels* in = nullptr;
  std::vector<uint8_t>* out = nullptr;
  char message[200] = "cannot write PNG";
};

void write_error(png_structp png, png_const_charp msg) {
  auto* ctx = static_cast<PngWriteContext*>(png_get_error_ptr(png));
  std::snprintf(ctx->message, sizeof ctx->message, "cannot write PNG: %s", msg);
  png_longjmp(png, 1);
}
void write_warning(png_structp, png_const_charp) {}
void write_data(png_structp png, png_bytep data, size_t n) {
  auto* ctx = static_cast<PngWriteContext*>(png_get_io_ptr(png));
  ctx->out->insert(ctx->out->end(), data, data + n);
}
void write_flush(png_structp) {}

// 0 on success, 1 on a libpng error (message in ctx).
int png_encode_into(PngWriteContext* ctx) {
  png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, ctx, write_error, write_warning);
  if (png == nullptr) return 1;
  png_infop info = png_create_info_struct(png);
  if (info == nullptr) {
    png_destroy_write_struct(&png, nullptr);
    return 1;
  }
  if (setjmp(png_jmpbuf(png))) {
    png_destroy_write_struct(&png, &info);
    return 1;
  }
  const Pixels& p = *ctx->in;
  png_set_write_fn(png, ctx, write_data, write_flush);
  png_set_compression_level(png, 6);
  png_set_filter(png, PNG_FILTER_TYPE_BASE, PNG_ALL_FILTERS);
  png_set_IHDR(png, info, p.width, p.height, 8, p.channels == 1 ? PNG_COLOR_TYPE_GRAY : PNG_COLOR_TYPE_RGB,
               PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
  png_write_info(png, info);
  const size_t row_bytes = size_t{p.width} * p.channels;
  for (uint32_t y = 0; y < p.height; ++y)
    png_write_row(png, const_cast<png_bytep>(p.bytes.data() + y * row_bytes));
  png_write_end(png, nullptr);
  png_destroy_write_struct(&png, &info);
  return 0;
}

uint32_t be32(const uint8_t* p) {
  return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | p[3];
}

}  // namespace

Result<std::vector<uint8_t>> png_write(const Pixels& pixels) {
  if ((pixels.channels != 1 && pixels.channels != 3) || pixels.width == 0 || pixels.height == 0 ||
      pixels.width > (1u << 20) || pixels.height > (1u << 20) ||
      pixels.bytes.size() != uint64_t{pixels.width} * pixels.height * pixels.channels)
    return Status(ErrorCode::invalid_argument, "cannot write PNG: pixels of an unsupported shape");
  std::vector<uint8_t> out;
  PngWriteContext ctx;
  ctx.in = &pixels;
  ctx.out = &out;
  if (png_encode_into(&ctx) != 0) return Status(ErrorCode::internal, ctx.message);
  return out;
}

Status png_pixels_exact(std::span<const uint8_t> f) {
  if (f.size() < 8 || png_sig_cmp(f.data(), 0, 8) != 0)
    return Status(ErrorCode::bad_magic, "not a PNG file (signature missing)");
  if (f.size() < 8 + 8 + 13 || std::memcmp(f.data() + 12, "IHDR", 4) != 0 || be32(f.data() + 8) != 13)
    return Status(ErrorCode::corrupt, "malformed PNG: no IHDR chunk first");
  const uint8_t depth = f[24], color = f[25];
  auto refuse = [](const std::string& what) {
    return Status(ErrorCode::invalid_argument,
                  "the PNG has " + what +
                      ": its pixels cannot be stored exactly as 8-bit gray or RGB (only 8-bit gray, 8-bit "
                      "RGB and palette images without transparency can be); compress the file without --pixels");
  };
  switch (color) {
    case 0:
      if (depth != 8) return refuse(std::to_string(depth) + "-bit gray samples");
      break;
    case 2:
      if (depth != 8) return refuse(std::to_string(depth) + "-bit samples");
      break;
    case 3:
      break;  // palette entries are 8-bit RGB
    case 4:
    case 6:
      return refuse("an alpha channel");
    default:
      return Status(ErrorCode::corrupt, "malformed PNG: unknown colour type " + std::to_string(color));
  }
  // tRNS comes before the first IDAT.
  for (uint64_t at = 8; f.size() - at >= 12;) {
    const uint64_t len = be32(f.data() + at);
    const uint8_t* type = f.data() + at + 4;
    if (std::memcmp(type, "tRNS", 4) == 0) return refuse("transparency (a tRNS chunk)");
    if (std::memcmp(type, "IDAT", 4) == 0) break;
    if (len > f.size() - at - 12) break;  // truncated: png_read will say so
    at += 12 + len;
  }
  return {};
}

}  // namespace lmzip
