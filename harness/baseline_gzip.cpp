// gzip -9 through zlib: a gzip member (10-byte header, 8-byte trailer) as
// Python's gzip.compress writes it in the paper's code.
#include <zlib.h>

#include "baseline.h"

namespace lmzip::harness {
namespace {

class GzipBaseline final : public Baseline {
 public:
  std::string name() const override { return "gzip -9"; }

  Result<Bytes> encode(std::span<const uint8_t> data, const DataShape&) const override {
    z_stream zs{};
    if (deflateInit2(&zs, 9, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
      return Status(ErrorCode::internal, "deflateInit2 failed");
    Bytes out(deflateBound(&zs, data.size()) + 32);
    zs.next_in = const_cast<Bytef*>(data.data());
    zs.avail_in = static_cast<uInt>(data.size());
    zs.next_out = out.data();
    zs.avail_out = static_cast<uInt>(out.size());
    const int rc = deflate(&zs, Z_FINISH);
    const size_t n = zs.total_out;
    deflateEnd(&zs);
    if (rc != Z_STREAM_END) return Status(ErrorCode::internal, "deflate did not finish");
    out.resize(n);
    return out;
  }

  Result<Bytes> decode(std::span<const uint8_t> encoded, const DataShape&) const override {
    z_stream zs{};
    if (inflateInit2(&zs, 15 + 16) != Z_OK) return Status(ErrorCode::internal, "inflateInit2 failed");
    Bytes out(encoded.size() * 4 + 1024);
    zs.next_in = const_cast<Bytef*>(encoded.data());
    zs.avail_in = static_cast<uInt>(encoded.size());
    int rc = Z_OK;
    while (rc != Z_STREAM_END) {
      if (zs.total_out == out.size()) out.resize(out.size() * 2);
      zs.next_out = out.data() + zs.total_out;
      zs.avail_out = static_cast<uInt>(out.size() - zs.total_out);
      rc = inflate(&zs, Z_NO_FLUSH);
      if (rc != Z_OK && rc != Z_STREAM_END && !(rc == Z_BUF_ERROR && zs.avail_out == 0)) {
        inflateEnd(&zs);
        return Status(ErrorCode::corrupt, "gzip stream does not inflate");
      }
    }
    out.resize(zs.total_out);
    inflateEnd(&zs);
    return out;
  }
};

}  // namespace

std::unique_ptr<Baseline> baseline_gzip() { return std::make_unique<GzipBaseline>(); }

}  // namespace lmzip::harness
