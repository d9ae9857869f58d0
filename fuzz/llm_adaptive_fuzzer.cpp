// libFuzzer target: the decoder of adaptive chunks with a token network
// (stage 4, docs/FORMAT.md "Adaptive payload with a token network") must
// never crash or hang on any payload (llm_adaptive_check.h). The network is
// stories260K, converted from ../shared/data at start-up. Build as
// gguf_fuzzer.cpp says;
//   build-fuzz/llm_adaptive_fuzzer -max_len=1024 fuzz/corpus/llm_adaptive
// Its corpus is replayed by tests/llm_adaptive_test.cpp.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <span>
#include <string>

#include "llm_adaptive_check.h"
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
  const auto& m = stories();
  static lmzip::AdaptiveModel stage(lmzip::kAdaptiveStage4);
  static std::unique_ptr<lmzip::Predictor> network = m->make_predictor();
  (void)lmzip::fuzz::llm_adaptive_check(*m, *network, stage, {data, size});
  return 0;
}
