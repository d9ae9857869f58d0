// FLAC level 8 through libFLAC, mono, 16 kHz. Bytes are 8-bit samples
// (byte − 128, as the paper's flac.py feeds pydub with sample_width=1), except
// 16-bit audio, which is coded as 16-bit samples.
#include <FLAC/stream_encoder.h>

#include <cstring>
#include <memory>

#include "baseline.h"
#include "flac_read.h"

namespace lmzip::harness {
namespace {

struct FlacWriteContext {
  Bytes out;
  size_t pos = 0;
};

FLAC__StreamEncoderWriteStatus flac_write_cb(const FLAC__StreamEncoder*, const FLAC__byte buffer[], size_t bytes,
                                             uint32_t, uint32_t, void* client) {
  auto* ctx = static_cast<FlacWriteContext*>(client);
  if (ctx->pos + bytes > ctx->out.size()) ctx->out.resize(ctx->pos + bytes);
  std::memcpy(ctx->out.data() + ctx->pos, buffer, bytes);
  ctx->pos += bytes;
  return FLAC__STREAM_ENCODER_WRITE_STATUS_OK;
}

// Seeking lets libFLAC rewrite STREAMINFO (MD5, sizes) at the end, as in a file.
FLAC__StreamEncoderSeekStatus flac_seek_cb(const FLAC__StreamEncoder*, FLAC__uint64 offset, void* client) {
  auto* ctx = static_cast<FlacWriteContext*>(client);
  if (offset > ctx->out.size()) return FLAC__STREAM_ENCODER_SEEK_STATUS_ERROR;
  ctx->pos = offset;
  return FLAC__STREAM_ENCODER_SEEK_STATUS_OK;
}

FLAC__StreamEncoderTellStatus flac_tell_cb(const FLAC__StreamEncoder*, FLAC__uint64* offset, void* client) {
  *offset = static_cast<FlacWriteContext*>(client)->pos;
  return FLAC__STREAM_ENCODER_TELL_STATUS_OK;
}

struct FlacEncoderDelete {
  void operator()(FLAC__StreamEncoder* e) const { FLAC__stream_encoder_delete(e); }
};

bool flac_sixteen_bit(const DataShape& shape) { return shape.modality == Modality::audio && shape.sample_bits == 16; }

class FlacBaseline final : public Baseline {
 public:
  std::string name() const override { return "FLAC -8"; }

  Result<Bytes> encode(std::span<const uint8_t> data, const DataShape& shape) const override {
    const bool wide = flac_sixteen_bit(shape);
    if (wide && data.size() % 2 != 0) return Status(ErrorCode::invalid_argument, "16-bit audio of odd length");
    std::vector<FLAC__int32> samples(wide ? data.size() / 2 : data.size());
    for (size_t i = 0; i < samples.size(); ++i)
      samples[i] = wide ? static_cast<int16_t>(data[2 * i] | (data[2 * i + 1] << 8)) : int{data[i]} - 128;
    std::unique_ptr<FLAC__StreamEncoder, FlacEncoderDelete> enc(FLAC__stream_encoder_new());
    if (!enc) return Status(ErrorCode::internal, "cannot create a FLAC encoder");
    FLAC__stream_encoder_set_channels(enc.get(), 1);
    FLAC__stream_encoder_set_bits_per_sample(enc.get(), wide ? 16 : 8);
    FLAC__stream_encoder_set_sample_rate(enc.get(), 16000);
    FLAC__stream_encoder_set_compression_level(enc.get(), 8);
    FLAC__stream_encoder_set_total_samples_estimate(enc.get(), samples.size());
    FlacWriteContext ctx;
    if (FLAC__stream_encoder_init_stream(enc.get(), flac_write_cb, flac_seek_cb, flac_tell_cb, nullptr, &ctx) !=
        FLAC__STREAM_ENCODER_INIT_STATUS_OK)
      return Status(ErrorCode::internal, "cannot initialise the FLAC encoder");
    const FLAC__int32* channel = samples.data();
    const bool ok = FLAC__stream_encoder_process(enc.get(), &channel, static_cast<uint32_t>(samples.size()));
    if (!FLAC__stream_encoder_finish(enc.get()) || !ok) return Status(ErrorCode::internal, "FLAC encoding failed");
    return std::move(ctx.out);
  }

  Result<Bytes> decode(std::span<const uint8_t> encoded, const DataShape& shape) const override {
    Result<FlacPcm> pcm = flac_decode(encoded);
    if (!pcm) return pcm.status();
    const bool wide = flac_sixteen_bit(shape);
    Bytes out;
    out.reserve(pcm->interleaved.size() * (wide ? 2 : 1));
    for (int32_t s : pcm->interleaved) {
      if (wide) {
        out.push_back(static_cast<uint8_t>(s & 0xFF));
        out.push_back(static_cast<uint8_t>((s >> 8) & 0xFF));
      } else {
        out.push_back(static_cast<uint8_t>(s + 128));
      }
    }
    return out;
  }
};

}  // namespace

std::unique_ptr<Baseline> baseline_flac() { return std::make_unique<FlacBaseline>(); }

}  // namespace lmzip::harness
