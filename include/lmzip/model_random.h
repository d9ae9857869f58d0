// Random-weights transformer model files (architecture "lmzipbt",
// docs/ARCHITECTURE.md): for tests and benchmarks until trained models ship.
// The bytes are a function of the spec alone, so a spec always names the same
// model identity.
#pragma once

#include <cstdint>
#include <string>

#include "lmzip/error.h"

namespace lmzip {

struct RandomModelSpec {
  uint32_t d = 64;                 // embedding_length
  uint32_t layers = 4;             // block_count
  uint32_t heads = 4;              // attention.head_count
  uint32_t ffn = 0;                // feed_forward_length; 0: 4 d
  uint32_t context_length = 2048;
  uint32_t window = 256;           // attention.sliding_window
  uint64_t seed = 1;
  bool f16 = false;                // store weights as f16 (else f32)
  std::string name;                // general.name; empty: "lmzip-random-<d>x<layers>-s<seed>"
};

// Writes the GGUF file; checks the spec the way the loader would.
Status model_random_write(const RandomModelSpec& spec, const std::string& path);

}  // namespace lmzip
