// libFuzzer target: GGUF parsing and model validation (lmzip's byte
// transformer, pretrained LLMs with their tokenizers) must never
// crash, hang or allocate without bound on any input. Build:
//   CC=clang CXX=clang++ cmake -S . -B build-fuzz -DLMZIP_FUZZ=ON -DLMZIP_BENCH=OFF -DLMZIP_TRAIN=OFF \
//       -DCMAKE_CXX_FLAGS="-fsanitize=fuzzer-no-link,address,undefined"
//   cmake --build build-fuzz --target gguf_fuzzer
//   build-fuzz/gguf_fuzzer -max_len=65536 fuzz/corpus/gguf
// (the CMAKE_CXX_FLAGS instrument the library too, so coverage guides into gguf.cpp).
// Inputs that once crashed live in fuzz/corpus/gguf/ and are replayed by tests/gguf_test.cpp.
#include <cstddef>
#include <cstdint>
#include <algorithm>
#include <span>
#include <vector>

#include "gguf/gguf.h"
#include "llm/llm_config.h"
#include "llm/llm_model.h"
#include "lmzip/model.h"
#include "transformer/transformer.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::span<const uint8_t> bytes(data, size);
  lmzip::Result<lmzip::gguf::File> f = lmzip::gguf::gguf_parse(bytes);
  if (!f) return 0;
  // What parses must serialize, parse again and serialize to the same bytes
  // (bytes, not values: a NaN in a float array is not equal to itself).
  std::vector<uint8_t> again = lmzip::gguf::gguf_serialize(*f);
  lmzip::Result<lmzip::gguf::File> g = lmzip::gguf::gguf_parse(again);
  if (!g || lmzip::gguf::gguf_serialize(*g) != again) __builtin_trap();
  // And the model loader must validate it without crashing; small valid
  // models get a few predictions.
  if (lmzip::llm_arch_known(*f)) {
    auto llm = lmzip::LlmModel::from_gguf(*f, lmzip::Sha256{}, size, "fuzz", "fuzz");
    if (llm && (*llm)->info().parameters < (1u << 20)) {
      // A few predictions, and the token text of the input's own bytes.
      auto p = (*llm)->make_predictor();
      std::vector<uint32_t> freq(size_t((*llm)->info().alphabet));
      for (int i = 0; i < 3; ++i) {
        p->predict(freq.data());
        p->update(uint32_t(i * 37) % (*llm)->info().alphabet);
      }
      std::vector<lmzip::Symbol> ids;
      if ((*llm)->tokens(bytes.subspan(0, std::min<size_t>(size, 256)), ids))
        for (size_t i = 0; i < ids.size(); ++i) (void)(*llm)->text(ids[i], i == 0);
    }
    return 0;
  }
  auto m = lmzip::TransformerModel::from_gguf(*f, lmzip::Sha256{}, size);
  if (m && (*m)->config().parameters() < (1u << 20)) {
    auto p = (*m)->make_predictor();
    uint32_t freq[256];
    for (int i = 0; i < 3; ++i) {
      p->predict(freq);
      p->update(uint32_t(i * 37));
    }
  }
  return 0;
}
