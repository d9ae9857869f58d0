// How the library runs models: choices a program makes and passes in. The
// library itself reads no environment variable and probes no hardware; the
// lmzip program reads LMZIP_KERNELS and LMZIP_LOCKSTEP and the cache size
// (tools/lmzip) and passes them on. None of this changes any output: every
// kernel path and lane count gives the same frequencies, bit for bit.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "lmzip/model.h"

namespace lmzip {

// Most chunks the decoder steps together (lanes): more gains nothing once the
// weights' traffic is amortised (docs/ENGINE.md).
inline constexpr size_t kMaxLanes = 64;

// Whether the decoder steps chunks of one model together.
enum class LaneMode : uint8_t {
  automatic,  // when lanes_pay_off() says so
  always,     // whenever the model can (tests, benchmarks)
  never,      // one chunk at a time
};

// The last-level cache a core sees, when the program does not say: what
// machines without a reported L3 assume.
inline constexpr uint64_t kCacheBytesDefault = uint64_t{8} << 20;
// At most what one core can use: glibc reports the whole socket's L3 on AMD,
// about 10x what one core sees; one CCX has at most 32 MiB on current parts.
inline constexpr uint64_t kCacheBytesMax = uint64_t{32} << 20;
// How much faster a step reads what fits in half the last-level cache than
// what comes from DRAM (measured, docs/ENGINE.md).
inline constexpr double kCacheSpeedup = 3.5;

struct EngineOptions {
  LaneMode lanes = LaneMode::automatic;
  uint64_t cache_bytes = kCacheBytesDefault;  // last-level cache per core (capped at kCacheBytesMax)
};

// Whether stepping chunks together beats one chunk at a time for a model of
// this cost, both being bound by memory traffic per chunk and step:
//   one at a time: weights + its state, from the cache (kCacheSpeedup times
//     faster) when weights and a chunk's largest state fit in half of it;
//   lanes: a lane's state from DRAM plus 1/lane_group of the weights.
bool lanes_pay_off(const StepCost& cost, uint64_t cache_bytes);

// Lanes the decoder asks `model` for: kMaxLanes, or 1 (one chunk at a time).
size_t decode_lanes(const Model& model, const EngineOptions& options);

// Forces a kernel path: "scalar", "avx2", "avx512" or "neon"; false (the path
// in use unchanged) when this build or CPU lacks it. By default the fastest
// the CPU has runs. Call before any inference starts (not thread-safe with it).
bool kernels_use(const std::string& name);
// The path in use.
std::string kernels_in_use();

}  // namespace lmzip
