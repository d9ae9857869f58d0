// Brotli quality 11, window 2^22 (the CLI's defaults at -q 11), generic mode.
#include <brotli/decode.h>
#include <brotli/encode.h>

#include "baseline.h"

namespace lmzip::harness {
namespace {

class BrotliBaseline final : public Baseline {
 public:
  std::string name() const override { return "brotli -q 11"; }

  Result<Bytes> encode(std::span<const uint8_t> data, const DataShape&) const override {
    size_t n = BrotliEncoderMaxCompressedSize(data.size());
    if (n == 0) n = data.size() + 1024;
    Bytes out(n);
    if (!BrotliEncoderCompress(BROTLI_MAX_QUALITY, BROTLI_DEFAULT_WINDOW, BROTLI_MODE_GENERIC, data.size(),
                               data.data(), &n, out.data()))
      return Status(ErrorCode::internal, "BrotliEncoderCompress failed");
    out.resize(n);
    return out;
  }

  Result<Bytes> decode(std::span<const uint8_t> encoded, const DataShape&) const override {
    BrotliDecoderState* st = BrotliDecoderCreateInstance(nullptr, nullptr, nullptr);
    if (st == nullptr) return Status(ErrorCode::internal, "brotli decoder init");
    Bytes out(encoded.size() * 4 + 1024);
    size_t avail_in = encoded.size();
    const uint8_t* next_in = encoded.data();
    size_t total = 0;
    BrotliDecoderResult rc = BROTLI_DECODER_RESULT_NEEDS_MORE_OUTPUT;
    while (rc == BROTLI_DECODER_RESULT_NEEDS_MORE_OUTPUT) {
      if (total == out.size()) out.resize(out.size() * 2);
      size_t avail_out = out.size() - total;
      uint8_t* next_out = out.data() + total;
      rc = BrotliDecoderDecompressStream(st, &avail_in, &next_in, &avail_out, &next_out, nullptr);
      total = static_cast<size_t>(next_out - out.data());
    }
    BrotliDecoderDestroyInstance(st);
    if (rc != BROTLI_DECODER_RESULT_SUCCESS) return Status(ErrorCode::corrupt, "brotli stream does not decode");
    out.resize(total);
    return out;
  }
};

}  // namespace

std::unique_ptr<Baseline> baseline_brotli() { return std::make_unique<BrotliBaseline>(); }

}  // namespace lmzip::harness
