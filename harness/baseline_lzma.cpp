// LZMA2 in the .xz container through liblzma, CRC64 check: preset 6 is what
// the paper's lzma.compress used; 9e is xz's strongest.
#include <lzma.h>

#include "baseline.h"

namespace lmzip::harness {
namespace {

class LzmaBaseline final : public Baseline {
 public:
  LzmaBaseline(uint32_t preset, bool extreme) : preset_(preset), extreme_(extreme) {}

  std::string name() const override {
    return "LZMA2 (xz -" + std::to_string(preset_) + (extreme_ ? "e)" : ")");
  }

  Result<Bytes> encode(std::span<const uint8_t> data, const DataShape&) const override {
    lzma_options_lzma opt;
    if (lzma_lzma_preset(&opt, preset_ | (extreme_ ? LZMA_PRESET_EXTREME : 0)))
      return Status(ErrorCode::internal, "unknown xz preset");
    // A dictionary larger than the input is never used, but the encoder would
    // still allocate and clear a match finder sized for it (tens of MB) for
    // every 2 KB chunk. We cap it at the input size (at least 4 KiB). The
    // output can only differ through the smaller match-finder hash; on 400
    // enwik6 chunks the total was identical, byte for byte in size, at both
    // presets (checked with Python's lzma, uncapped vs capped).
    const uint32_t need = data.size() < 4096 ? 4096 : static_cast<uint32_t>(data.size());
    if (opt.dict_size > need) opt.dict_size = need;
    lzma_filter filters[] = {{LZMA_FILTER_LZMA2, &opt}, {LZMA_VLI_UNKNOWN, nullptr}};
    Bytes out(lzma_stream_buffer_bound(data.size()));
    size_t pos = 0;
    if (lzma_stream_buffer_encode(filters, LZMA_CHECK_CRC64, nullptr, data.data(), data.size(), out.data(), &pos,
                                  out.size()) != LZMA_OK)
      return Status(ErrorCode::internal, "lzma_stream_buffer_encode failed");
    out.resize(pos);
    return out;
  }

  Result<Bytes> decode(std::span<const uint8_t> encoded, const DataShape&) const override {
    lzma_stream zs = LZMA_STREAM_INIT;
    if (lzma_stream_decoder(&zs, UINT64_MAX, 0) != LZMA_OK) return Status(ErrorCode::internal, "lzma decoder init");
    Bytes out(encoded.size() * 4 + 1024);
    zs.next_in = encoded.data();
    zs.avail_in = encoded.size();
    lzma_ret rc = LZMA_OK;
    while (rc == LZMA_OK) {
      if (zs.total_out == out.size()) out.resize(out.size() * 2);
      zs.next_out = out.data() + zs.total_out;
      zs.avail_out = out.size() - zs.total_out;
      rc = lzma_code(&zs, LZMA_FINISH);
      if (rc == LZMA_BUF_ERROR && zs.avail_out == 0) rc = LZMA_OK;
    }
    const size_t n = zs.total_out;
    lzma_end(&zs);
    if (rc != LZMA_STREAM_END) return Status(ErrorCode::corrupt, "xz stream does not decode");
    out.resize(n);
    return out;
  }

 private:
  uint32_t preset_;
  bool extreme_;
};

}  // namespace

std::unique_ptr<Baseline> baseline_lzma(uint32_t preset, bool extreme) {
  return std::make_unique<LzmaBaseline>(preset, extreme);
}

}  // namespace lmzip::harness
