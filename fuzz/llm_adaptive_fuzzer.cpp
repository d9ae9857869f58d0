// libFuzzer target: the decoder of adaptive chunks with a token network
// (stage 4, docs/FORMAT.md "Adaptive payload with a token network") must
// never crash or hang on any payload. The network is stories260K,
// converted from ../shared/data at start-up. Build as gguf_fuzzer.cpp says;
//   build-fuzz/llm_adaptive_fuzzer -max_len=4096 fuzz/corpus/llm_adaptive
// Input: 2 bytes, the chunk's size - 1 (little-endian, below 4096), then the payload.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "adaptive/adaptive_model.h"
#include "codec/chunk_codec.h"
#include "lmzip/llm.h"
#include "lmzip/model.h"

namespace {

std::shared_ptr<const lmzip::Model> stories() {
  static std::shared_ptr<const lmzip::Model> m = [] {
    const std::string dir = std::string(LMZIP_SOURCE_DIR) + "/../shared/data/model/llama2c_stories260K/";
    const std::string out = "/tmp/lmzip_fuzz_stories260K.gguf";
    if (!lmzip::model_convert_llama2c(dir + "stories260K.bin", dir + "tok512.bin", out, "")) std::abort();
    auto r = lmzip::model_open(out);
    if (!r) std::abort();
    return *r;
  }();
  return m;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  const size_t bytes = 1 + ((data[0] | size_t(data[1]) << 8) & 0xFFF);
  const std::span<const uint8_t> payload(data + 2, size - 2);
  const auto& m = stories();
  const lmzip::TokenText& text = *m->token_text();
  static lmzip::AdaptiveModel stage(lmzip::kAdaptiveStage4);
  static std::unique_ptr<lmzip::Predictor> p = m->make_predictor();
  std::vector<uint8_t> content(bytes);
  // Without the size check, which a random payload fails at once (2^-16 pass):
  // every payload then reaches the content's decoding.
  (void)lmzip::chunk_decode_adaptive_tokens(stage, *p, text, payload, content, {.exact_end = true, .size_check = false});
  return 0;
}
