// `lmzip model info FILE`, `lmzip model random ... -o FILE` and
// `lmzip model convert MODEL.bin TOKENIZER.bin -o FILE`.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <string>

#include "commands.h"
#include "lmzip/llm.h"
#include "lmzip/model.h"
#include "lmzip/model_random.h"
#include "environment.h"
#include "lmzip/printable.h"

namespace {

std::string with_commas(uint64_t v) {
  std::string s = std::to_string(v);
  for (int i = int(s.size()) - 3; i > 0; i -= 3) s.insert(size_t(i), ",");
  return s;
}

int info_print(const std::string& file) {
  auto m = lmzip::model_open(file, lmzip::cli::model_dirs_from_environment());
  if (!m) {
    // A GGUF file lmzip cannot run still gets described.
    auto d = lmzip::model_file_describe(file);
    if (!d) {
      std::fprintf(stderr, "lmzip: %s\n", lmzip::printable(m.status().message()).c_str());
      return 1;
    }
    for (const auto& [k, v] : *d) std::printf("%-22s %s\n", lmzip::printable(k).c_str(), lmzip::printable(v).c_str());
    std::printf("%-22s no: %s\n", "usable", lmzip::printable(m.status().message()).c_str());
    return 0;
  }
  const lmzip::ModelInfo& info = (*m)->info();
  std::printf("%-22s %s\n", "name", lmzip::printable(info.name).c_str());
  std::printf("%-22s %s\n", "sha256", lmzip::sha256_hex(info.identity).c_str());
  std::printf("%-22s %s\n", "parameters", with_commas(info.parameters).c_str());
  std::printf("%-22s %s\n", "bytes", with_commas(info.file_bytes).c_str());
  std::printf("%-22s %u\n", "default_chunk_size", (*m)->default_chunk_size());
  for (const auto& [k, v] : info.properties)
    std::printf("%-22s %s\n", lmzip::printable(k).c_str(), lmzip::printable(v).c_str());
  return 0;
}

}  // namespace

int model_command(int argc, char** argv) {
  CLI::App app{"Describe or create lmzip model files."};
  app.name("lmzip model");
  app.require_subcommand(1);
  std::string info_file;
  auto* info = app.add_subcommand("info", "print a model's name, SHA-256, parameters, size and hyper-parameters");
  info->add_option("FILE", info_file, "a .gguf model file or a built-in model name")->required();

  lmzip::RandomModelSpec spec;
  lmzip::LlmRandomSpec llm;
  std::string out, arch = "lmzipbt";
  auto* rnd = app.add_subcommand("random", "write a transformer model with random weights (tests, benchmarks)");
  rnd->add_option("--arch", arch, "lmzipbt (lmzip's byte transformer), llama or qwen2 (a token model)")
      ->check(CLI::IsMember({"lmzipbt", "llama", "qwen2"}))
      ->capture_default_str();
  rnd->add_option("--kv-heads", llm.kv_heads, "llama, qwen2: key/value heads")->capture_default_str();
  rnd->add_option("--vocab", llm.vocab, "llama, qwen2: vocabulary size")->capture_default_str();
  rnd->add_option("--type", llm.type, "llama, qwen2: tensor type of the matrices (f32, f16, bf16, q8_0, q4_0, q4_k, q6_k)")
      ->capture_default_str();
  rnd->add_option("--d", spec.d, "embedding width")->capture_default_str();
  rnd->add_option("--layers", spec.layers, "blocks")->capture_default_str();
  rnd->add_option("--heads", spec.heads, "attention heads")->capture_default_str();
  rnd->add_option("--ffn", spec.ffn, "feed-forward width (0: 4 d)")->capture_default_str();
  rnd->add_option("--ctx", spec.context_length, "context length (default chunk size)")->capture_default_str();
  rnd->add_option("--window", spec.window, "attention window in positions")->capture_default_str();
  rnd->add_option("--seed", spec.seed, "random seed")->capture_default_str();
  rnd->add_flag("--f16", spec.f16, "store weights as f16");
  rnd->add_option("--name", spec.name, "model name (default lmzip-random-<d>x<layers>-s<seed>)");
  rnd->add_option("-o,--output", out, "output .gguf file")->required();
  std::string bin, tok, conv_out, conv_name;
  auto* conv = app.add_subcommand("convert", "turn a llama2.c checkpoint and its tokenizer into a llama GGUF model");
  conv->add_option("MODEL", bin, "llama2.c checkpoint (.bin)")->required();
  conv->add_option("TOKENIZER", tok, "llama2.c tokenizer (tok*.bin)")->required();
  conv->add_option("-o,--output", conv_out, "output .gguf file")->required();
  conv->add_option("--name", conv_name, "model name (default: the checkpoint's file name)");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  if (info->parsed()) return info_print(info_file);
  lmzip::Status s;
  if (conv->parsed()) {
    s = lmzip::model_convert_llama2c(bin, tok, conv_out, conv_name);
    out = conv_out;
  } else if (arch != "lmzipbt") {
    llm.arch = arch;
    llm.d = spec.d, llm.layers = spec.layers, llm.heads = spec.heads, llm.seed = spec.seed, llm.name = spec.name;
    llm.ffn = spec.ffn ? spec.ffn : 4 * spec.d;
    llm.context_length = spec.context_length;
    s = lmzip::model_random_llm_write(llm, out);
  } else {
    s = lmzip::model_random_write(spec, out);
  }
  if (!s) {
    std::fprintf(stderr, "lmzip: %s\n", lmzip::printable(s.message()).c_str());
    return 1;
  }
  return info_print(out);
}
