// Audio files → the paper's audio data set and our 16-bit variant.
//
// Our reading of the paper (Delétang et al. 2023, §3.1 and the released
// data_loaders.py): LibriSpeech's 16-bit samples (TensorFlow Datasets gives
// them as int16 since its librispeech 2.1.1) are turned into 8-bit ones
// with audioop.bias(audioop.lin2lin(x, 2, 1), 1, 128): lin2lin keeps the high
// byte of each signed sample (arithmetic shift right by 8) and bias adds 128
// modulo 256, so that byte = (sample >> 8) + 128, i.e. the high byte with its
// top bit flipped. Each recording is then cut into 2048-byte chunks and its
// last partial chunk dropped. Our lossless variant keeps the samples as 16-bit
// little-endian (1024 samples per 2048-byte chunk), tail dropped the same way.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "audio.h"
#include "lmzip/error.h"

namespace lmzip::harness {

// WAV or FLAC, chosen by the file's signature; mixed down to mono 16-bit.
Result<MonoAudio> audio_read(std::span<const uint8_t> file);

// True when the bytes start like a WAV (RIFF/WAVE) or a FLAC stream.
bool audio_signature_matches(std::span<const uint8_t> file);

// The paper's 8-bit form of every sample: (sample >> 8) + 128.
std::vector<uint8_t> audio_bytes_8bit(std::span<const int16_t> samples);

// Two bytes per sample, little-endian two's complement.
std::vector<uint8_t> audio_bytes_16bit_le(std::span<const int16_t> samples);

}  // namespace lmzip::harness
