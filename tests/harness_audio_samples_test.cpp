// The paper's audio preparation against hand-made WAV files: 8-bit bytes are
// (sample >> 8) + 128; our 16-bit variant is little-endian; malformed headers
// are errors, never crashes.
#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

#include "baseline.h"
#include "audio_samples.h"
#include "byte_chunks.h"
#include "wav_read.h"

namespace {

using Bytes = std::vector<uint8_t>;

void put16(Bytes* b, uint16_t v) {
  b->push_back(static_cast<uint8_t>(v));
  b->push_back(static_cast<uint8_t>(v >> 8));
}
void put32(Bytes* b, uint32_t v) {
  put16(b, static_cast<uint16_t>(v));
  put16(b, static_cast<uint16_t>(v >> 16));
}
void put4(Bytes* b, const char* s) {
  for (int i = 0; i < 4; ++i) b->push_back(static_cast<uint8_t>(s[i]));
}

// A canonical 44-byte-header PCM WAV around `data`.
Bytes wav_make(const Bytes& data, uint16_t channels, uint16_t bits, uint16_t tag = 1) {
  Bytes w;
  put4(&w, "RIFF");
  put32(&w, static_cast<uint32_t>(36 + data.size()));
  put4(&w, "WAVE");
  put4(&w, "fmt ");
  put32(&w, 16);
  put16(&w, tag);
  put16(&w, channels);
  put32(&w, 16000);
  put32(&w, 16000u * channels * bits / 8);
  put16(&w, static_cast<uint16_t>(channels * bits / 8));
  put16(&w, bits);
  put4(&w, "data");
  put32(&w, static_cast<uint32_t>(data.size()));
  w.insert(w.end(), data.begin(), data.end());
  return w;
}

Bytes samples16(std::initializer_list<int> values) {
  Bytes b;
  for (int v : values) put16(&b, static_cast<uint16_t>(static_cast<int16_t>(v)));
  return b;
}

TEST(HarnessAudioSamples, SixteenBitWavToThePapersEightBitBytes) {
  const Bytes wav = wav_make(samples16({0, 1, -1, 255, 256, -256, 32767, -32768, 0x1234}), 1, 16);
  auto audio = lmzip::harness::audio_read(wav);
  ASSERT_TRUE(audio.ok()) << audio.status().message();
  // Worked by hand: audioop.lin2lin(x, 2, 1) is the signed high byte, bias adds 128 modulo 256.
  EXPECT_EQ(lmzip::harness::audio_bytes_8bit(audio->samples), (Bytes{128, 128, 127, 128, 129, 127, 255, 0, 146}));
  EXPECT_EQ(lmzip::harness::audio_bytes_16bit_le(audio->samples),
            (Bytes{0x00, 0x00, 0x01, 0x00, 0xFF, 0xFF, 0xFF, 0x00, 0x00, 0x01, 0x00, 0xFF, 0xFF, 0x7F, 0x00, 0x80,
                   0x34, 0x12}));
}

TEST(HarnessAudioSamples, StereoIsMixedDownByFlooredMean) {
  const Bytes wav = wav_make(samples16({100, -301, 1000, 1001, -3, -4}), 2, 16);
  auto audio = lmzip::harness::audio_read(wav);
  ASSERT_TRUE(audio.ok());
  EXPECT_EQ(audio->source_channels, 2u);
  EXPECT_EQ(audio->samples, (std::vector<int16_t>{-101, 1000, -4}));
}

TEST(HarnessAudioSamples, EightAndTwentyFourBitWavsScaleTo16Bits) {
  auto a8 = lmzip::harness::audio_read(wav_make(Bytes{0x80, 0xFF, 0x00}, 1, 8));
  ASSERT_TRUE(a8.ok());
  EXPECT_EQ(a8->samples, (std::vector<int16_t>{0, 127 * 256, -128 * 256}));
  auto a24 = lmzip::harness::audio_read(wav_make(Bytes{0x11, 0x22, 0x33, 0xFF, 0xFF, 0xFF}, 1, 24));
  ASSERT_TRUE(a24.ok());
  EXPECT_EQ(a24->samples, (std::vector<int16_t>{0x3322, -1}));
}

TEST(HarnessAudioSamples, ExtensibleFormatAndExtraChunksAreRead) {
  Bytes w;
  put4(&w, "RIFF");
  put32(&w, 0);  // a wrong RIFF size is tolerated
  put4(&w, "WAVE");
  put4(&w, "LIST");
  put32(&w, 3);
  w.insert(w.end(), {'a', 'b', 'c', 0});  // odd size, padded
  put4(&w, "fmt ");
  put32(&w, 40);
  put16(&w, 0xFFFE);
  put16(&w, 1);
  put32(&w, 16000);
  put32(&w, 32000);
  put16(&w, 2);
  put16(&w, 16);
  put16(&w, 22);
  put16(&w, 16);
  put32(&w, 4);
  // KSDATAFORMAT_SUBTYPE_PCM: the PCM tag, then the rest of the GUID.
  put16(&w, 1);
  w.insert(w.end(), {0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71});
  put4(&w, "data");
  put32(&w, 0xFFFFFFFF);  // as streaming writers leave it
  const Bytes s = samples16({512, -512, 7});
  w.insert(w.end(), s.begin(), s.end());
  auto audio = lmzip::harness::audio_read(w);
  ASSERT_TRUE(audio.ok()) << audio.status().message();
  EXPECT_EQ(audio->samples, (std::vector<int16_t>{512, -512, 7}));
}

TEST(HarnessAudioSamples, FlacFilesGiveTheSameSamples) {
  std::vector<int16_t> samples;
  for (int i = 0; i < 5000; ++i) samples.push_back(static_cast<int16_t>((i * 37) % 20000 - 10000));
  const Bytes le = lmzip::harness::audio_bytes_16bit_le(samples);
  lmzip::harness::DataShape shape{lmzip::harness::Modality::audio, 1, 0, 16};
  auto flac = lmzip::harness::baseline_flac()->encode(le, shape);
  ASSERT_TRUE(flac.ok());
  auto audio = lmzip::harness::audio_read(*flac);
  ASSERT_TRUE(audio.ok()) << audio.status().message();
  EXPECT_EQ(audio->samples, samples);
}

TEST(HarnessAudioSamples, ChunksAreWhole2048ByteRunsTailDropped) {
  EXPECT_EQ(lmzip::harness::byte_chunk_sizes(5000, 2048, false), (std::vector<uint32_t>{2048, 2048}));
  EXPECT_EQ(lmzip::harness::byte_chunk_sizes(5000, 2048, true), (std::vector<uint32_t>{2048, 2048, 904}));
  EXPECT_TRUE(lmzip::harness::byte_chunk_sizes(2047, 2048, false).empty());
}

TEST(HarnessAudioSamples, MalformedWavHeadersAreErrors) {
  const Bytes good = wav_make(samples16({1, 2, 3, 4}), 1, 16);
  auto broken = [&](size_t offset, std::initializer_list<uint8_t> bytes) {
    Bytes b = good;
    std::copy(bytes.begin(), bytes.end(), b.begin() + static_cast<ptrdiff_t>(offset));
    return b;
  };
  EXPECT_FALSE(lmzip::harness::wav_read(broken(0, {'R', 'I', 'F', 'X'})).ok());     // not RIFF
  EXPECT_FALSE(lmzip::harness::wav_read(broken(12, {'f', 'm', 't', 'X'})).ok());    // no fmt chunk
  EXPECT_FALSE(lmzip::harness::wav_read(broken(16, {8, 0, 0, 0})).ok());            // fmt shorter than 16 bytes
  EXPECT_FALSE(lmzip::harness::wav_read(broken(16, {0xF0, 0xFF, 0xFF, 0x7F})).ok()); // fmt runs past the end
  EXPECT_FALSE(lmzip::harness::wav_read(broken(20, {3, 0})).ok());                  // IEEE float, not PCM
  EXPECT_FALSE(lmzip::harness::wav_read(broken(22, {0, 0})).ok());                  // zero channels
  EXPECT_FALSE(lmzip::harness::wav_read(broken(24, {0, 0, 0, 0})).ok());            // zero sample rate
  EXPECT_FALSE(lmzip::harness::wav_read(broken(32, {4, 0})).ok());                  // block align disagrees
  EXPECT_FALSE(lmzip::harness::wav_read(broken(34, {12, 0})).ok());                 // 12-bit samples
  EXPECT_FALSE(lmzip::harness::wav_read(broken(36, {'d', 'a', 't', 'X'})).ok());   // no data chunk
  // Every truncation and every single-byte change of the header: a Status, never a crash.
  for (size_t n = 0; n < good.size(); ++n) (void)lmzip::harness::wav_read(std::span<const uint8_t>(good.data(), n));
  for (size_t i = 0; i < 44; ++i)
    for (uint8_t v : {0x00, 0x01, 0x7F, 0x80, 0xFF}) {
      Bytes b = good;
      b[i] = v;
      auto r = lmzip::harness::audio_read(b);
      if (r.ok()) {
        EXPECT_LE(r->samples.size(), 4u);
      }
    }
  EXPECT_FALSE(lmzip::harness::audio_read(Bytes{'f', 'L', 'a', 'C', 0, 0, 0}).ok());  // malformed FLAC
}

}  // namespace
