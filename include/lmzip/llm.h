// Pretrained LLMs as lmzip models (docs/LLM.md): llama-family and qwen2 GGUF
// files run with their own tokenizers through model_open (lmzip/model.h).
// This header makes such files: a converter from llama2.c checkpoints and
// random-weight models for tests and benchmarks.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "lmzip/error.h"

namespace lmzip {

// Writes a llama GGUF from a llama2.c checkpoint (`model.bin`: 7 int32 of
// hyper-parameters, then f32 weights) and its tokenizer (`tok*.bin`); `name`
// becomes general.name (empty: the checkpoint's file name without extension).
Status model_convert_llama2c(const std::string& checkpoint, const std::string& tokenizer, const std::string& out,
                             const std::string& name);

// A llama-shaped model with random weights of one tensor type, and a
// generated SentencePiece vocabulary of `vocab` tokens (259 of them bytes
// and controls). Its bytes are a function of the spec alone.
struct LlmRandomSpec {
  std::string arch = "llama";  // or "qwen2" (biases on q, k, v)
  uint32_t d = 256;
  uint32_t layers = 2;
  uint32_t heads = 4;
  uint32_t kv_heads = 2;
  uint32_t ffn = 512;
  uint32_t vocab = 1024;
  uint32_t context_length = 2048;
  std::string type = "f32";  // tensor type of the matrices: f32, f16, bf16, q8_0, q4_0, q4_k, q6_k
  uint64_t seed = 1;
  std::string name;  // empty: "lmzip-random-llm-<type>-<d>x<layers>"
};
Status model_random_llm_write(const LlmRandomSpec& spec, const std::string& path);

// What any GGUF file holds, whether or not lmzip runs it, as (key, value)
// lines: architecture, name, parameters, tensor types with their counts, the
// tokenizer and its vocabulary. An error only when the file is no GGUF.
Result<std::vector<std::pair<std::string, std::string>>> model_file_describe(const std::string& path);

}  // namespace lmzip
