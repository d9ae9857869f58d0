#include "flac_read.h"

#include <FLAC/stream_decoder.h>

#include <cstring>
#include <memory>
#include <string>

#include "audio.h"

namespace lmzip::harness {
namespace {

struct FlacReadContext {
  std::span<const uint8_t> in;
  size_t pos = 0;
  FlacPcm out;
  std::string error;
};

FLAC__StreamDecoderReadStatus flac_read_cb(const FLAC__StreamDecoder*, FLAC__byte buffer[], size_t* bytes,
                                           void* client) {
  auto* ctx = static_cast<FlacReadContext*>(client);
  const size_t n = std::min(*bytes, ctx->in.size() - ctx->pos);
  if (n == 0) {
    *bytes = 0;
    return FLAC__STREAM_DECODER_READ_STATUS_END_OF_STREAM;
  }
  std::memcpy(buffer, ctx->in.data() + ctx->pos, n);
  ctx->pos += n;
  *bytes = n;
  return FLAC__STREAM_DECODER_READ_STATUS_CONTINUE;
}

FLAC__StreamDecoderWriteStatus flac_write_cb(const FLAC__StreamDecoder*, const FLAC__Frame* frame,
                                             const FLAC__int32* const buffer[], void* client) {
  auto* ctx = static_cast<FlacReadContext*>(client);
  const uint32_t ch = frame->header.channels;
  if (ctx->out.channels == 0) {
    ctx->out.channels = ch;
    ctx->out.bits_per_sample = frame->header.bits_per_sample;
    ctx->out.sample_rate = frame->header.sample_rate;
  }
  if (ch != ctx->out.channels) {
    ctx->error = "FLAC stream changes its channel count";
    return FLAC__STREAM_DECODER_WRITE_STATUS_ABORT;
  }
  const uint32_t n = frame->header.blocksize;
  if ((ctx->out.interleaved.size() + uint64_t{n} * ch) / ch > kMaxAudioSamples) {
    ctx->error = "FLAC stream has too many samples";
    return FLAC__STREAM_DECODER_WRITE_STATUS_ABORT;
  }
  for (uint32_t i = 0; i < n; ++i)
    for (uint32_t c = 0; c < ch; ++c) ctx->out.interleaved.push_back(buffer[c][i]);
  return FLAC__STREAM_DECODER_WRITE_STATUS_CONTINUE;
}

void flac_metadata_cb(const FLAC__StreamDecoder*, const FLAC__StreamMetadata* meta, void* client) {
  auto* ctx = static_cast<FlacReadContext*>(client);
  if (meta->type == FLAC__METADATA_TYPE_STREAMINFO) {
    ctx->out.sample_rate = meta->data.stream_info.sample_rate;
    ctx->out.channels = meta->data.stream_info.channels;
    ctx->out.bits_per_sample = meta->data.stream_info.bits_per_sample;
  }
}

void flac_error_cb(const FLAC__StreamDecoder*, FLAC__StreamDecoderErrorStatus status, void* client) {
  auto* ctx = static_cast<FlacReadContext*>(client);
  if (ctx->error.empty()) ctx->error = std::string("FLAC decoding error: ") + FLAC__StreamDecoderErrorStatusString[status];
}

struct FlacDecoderDelete {
  void operator()(FLAC__StreamDecoder* d) const { FLAC__stream_decoder_delete(d); }
};

}  // namespace

Result<FlacPcm> flac_decode(std::span<const uint8_t> stream) {
  if (stream.size() < 4 || std::memcmp(stream.data(), "fLaC", 4) != 0)
    return Status(ErrorCode::bad_magic, "not a FLAC stream (fLaC signature missing)");
  std::unique_ptr<FLAC__StreamDecoder, FlacDecoderDelete> dec(FLAC__stream_decoder_new());
  if (!dec) return Status(ErrorCode::internal, "cannot create a FLAC decoder");
  FlacReadContext ctx;
  ctx.in = stream;
  if (FLAC__stream_decoder_init_stream(dec.get(), flac_read_cb, nullptr, nullptr, nullptr, nullptr, flac_write_cb,
                                       flac_metadata_cb, flac_error_cb, &ctx) != FLAC__STREAM_DECODER_INIT_STATUS_OK)
    return Status(ErrorCode::internal, "cannot initialise the FLAC decoder");
  const bool ok = FLAC__stream_decoder_process_until_end_of_stream(dec.get());
  const FLAC__StreamDecoderState state = FLAC__stream_decoder_get_state(dec.get());
  FLAC__stream_decoder_finish(dec.get());
  if (!ctx.error.empty()) return Status(ErrorCode::corrupt, ctx.error);
  if (!ok || state != FLAC__STREAM_DECODER_END_OF_STREAM)
    return Status(ErrorCode::corrupt, std::string("malformed FLAC stream (") + FLAC__StreamDecoderStateString[state] + ")");
  if (ctx.out.channels == 0 || ctx.out.bits_per_sample < 4 || ctx.out.bits_per_sample > 32)
    return Status(ErrorCode::corrupt, "FLAC stream has no usable STREAMINFO");
  return std::move(ctx.out);
}

}  // namespace lmzip::harness
