// The LLMs the tests run: stories260K converted from llama2.c's files (the
// real pretrained model) and random-weight llama / qwen2 models.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "kernels/kernels.h"
#include "lmzip/engine.h"
#include "lmzip/llm.h"
#include "lmzip/model.h"
#include "test_util.h"

namespace lmzip::test {

inline const std::string kStories = std::string(LMZIP_DATA_DIR) + "/model/llama2c_stories260K/";

struct KernelGuard {
  std::string saved = kernels().name;
  ~KernelGuard() { kernels_select(saved.c_str()); }
};

inline std::shared_ptr<const Model> open_model(const std::string& path) {
  auto m = model_open(path);
  EXPECT_TRUE(m) << m.status().message();
  return m ? *m : nullptr;
}

// stories260K converted once per test program.
inline const std::shared_ptr<const Model>& stories() {
  static TempDir dir;
  static std::shared_ptr<const Model> m = [] {
    const std::string out = dir.file("stories260K.gguf");
    Status st = model_convert_llama2c(kStories + "stories260K.bin", kStories + "tok512.bin", out, "");
    EXPECT_TRUE(st) << st.message();
    return open_model(out);
  }();
  return m;
}

inline std::shared_ptr<const Model> random_llm(const TempDir& dir, LlmRandomSpec spec) {
  const std::string path = dir.file("r-" + spec.arch + "-" + spec.type + ".gguf");
  Status st = model_random_llm_write(spec, path);
  EXPECT_TRUE(st) << st.message();
  return open_model(path);
}

}  // namespace lmzip::test
