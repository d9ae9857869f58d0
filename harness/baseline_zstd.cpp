// zstd -19 through libzstd (frame with content size and no checksum, as the CLI's default).
#include <zstd.h>

#include "baseline.h"

namespace lmzip::harness {
namespace {

class ZstdBaseline final : public Baseline {
 public:
  std::string name() const override { return "zstd -19"; }

  Result<Bytes> encode(std::span<const uint8_t> data, const DataShape&) const override {
    Bytes out(ZSTD_compressBound(data.size()));
    const size_t n = ZSTD_compress(out.data(), out.size(), data.data(), data.size(), 19);
    if (ZSTD_isError(n)) return Status(ErrorCode::internal, ZSTD_getErrorName(n));
    out.resize(n);
    return out;
  }

  Result<Bytes> decode(std::span<const uint8_t> encoded, const DataShape&) const override {
    const unsigned long long size = ZSTD_getFrameContentSize(encoded.data(), encoded.size());
    if (size == ZSTD_CONTENTSIZE_ERROR || size == ZSTD_CONTENTSIZE_UNKNOWN || size > (1ull << 34))
      return Status(ErrorCode::corrupt, "zstd frame has no usable content size");
    Bytes out(size);
    const size_t n = ZSTD_decompress(out.data(), out.size(), encoded.data(), encoded.size());
    if (ZSTD_isError(n)) return Status(ErrorCode::corrupt, ZSTD_getErrorName(n));
    out.resize(n);
    return out;
  }
};

}  // namespace

std::unique_ptr<Baseline> baseline_zstd() { return std::make_unique<ZstdBaseline>(); }

}  // namespace lmzip::harness
