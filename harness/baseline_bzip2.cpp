// bzip2 -9 through libbz2.
#include <bzlib.h>

#include "baseline.h"

namespace lmzip::harness {
namespace {

class Bzip2Baseline final : public Baseline {
 public:
  std::string name() const override { return "bzip2 -9"; }

  Result<Bytes> encode(std::span<const uint8_t> data, const DataShape&) const override {
    Bytes out(data.size() + data.size() / 100 + 1024);
    auto n = static_cast<unsigned>(out.size());
    const int rc = BZ2_bzBuffToBuffCompress(reinterpret_cast<char*>(out.data()), &n,
                                            const_cast<char*>(reinterpret_cast<const char*>(data.data())),
                                            static_cast<unsigned>(data.size()), 9, 0, 0);
    if (rc != BZ_OK) return Status(ErrorCode::internal, "BZ2_bzBuffToBuffCompress failed");
    out.resize(n);
    return out;
  }

  Result<Bytes> decode(std::span<const uint8_t> encoded, const DataShape&) const override {
    bz_stream zs{};
    if (BZ2_bzDecompressInit(&zs, 0, 0) != BZ_OK) return Status(ErrorCode::internal, "bzip2 decoder init");
    Bytes out(encoded.size() * 4 + 1024);
    size_t total = 0;
    zs.next_in = const_cast<char*>(reinterpret_cast<const char*>(encoded.data()));
    zs.avail_in = static_cast<unsigned>(encoded.size());
    int rc = BZ_OK;
    while (rc == BZ_OK) {
      if (total == out.size()) out.resize(out.size() * 2);
      zs.next_out = reinterpret_cast<char*>(out.data() + total);
      zs.avail_out = static_cast<unsigned>(out.size() - total);
      const unsigned before = zs.avail_out;
      const unsigned in_before = zs.avail_in;
      rc = BZ2_bzDecompress(&zs);
      total += before - zs.avail_out;
      if (rc == BZ_OK && zs.avail_out != 0 && zs.avail_in == 0 && in_before == 0) break;  // input ended early
    }
    BZ2_bzDecompressEnd(&zs);
    if (rc != BZ_STREAM_END) return Status(ErrorCode::corrupt, "bzip2 stream does not decode");
    out.resize(total);
    return out;
  }
};

}  // namespace

std::unique_ptr<Baseline> baseline_bzip2() { return std::make_unique<Bzip2Baseline>(); }

}  // namespace lmzip::harness
