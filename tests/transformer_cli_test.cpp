// `lmzip model random` and `lmzip model info` (tools/lmzip/model_command.cpp).
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>

#include "common/sha256.h"
#include "transformer/transformer.h"

namespace lmzip {
namespace {

std::string run(const std::string& cmd, int* rc) {
  std::string out;
  FILE* p = popen((cmd + " 2>&1").c_str(), "r");
  if (!p) return out;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  *rc = pclose(p);
  return out;
}

TEST(TransformerCli, RandomThenInfo) {
  const auto path = std::filesystem::temp_directory_path() / "lmzip_cli_random.gguf";
  int rc = -1;
  std::string out = run(std::string(LMZIP_CLI_PATH) + " model random --d 32 --layers 2 --heads 2 --ctx 128 --window 64 --seed 3 -o " +
                            path.string(), &rc);
  ASSERT_EQ(rc, 0) << out;
  std::ifstream in(path, std::ios::binary);
  std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto m = transformer_model_parse(bytes, "cli");
  ASSERT_TRUE(m);
  out = run(std::string(LMZIP_CLI_PATH) + " model info " + path.string(), &rc);
  ASSERT_EQ(rc, 0) << out;
  EXPECT_NE(out.find(sha256_hex(sha256_bytes(bytes))), std::string::npos) << out;
  EXPECT_NE(out.find("lmzip-random-32x2-s3"), std::string::npos) << out;
  EXPECT_NE(out.find("embedding_length       32"), std::string::npos) << out;
  EXPECT_NE(out.find("default_chunk_size     128"), std::string::npos) << out;
  // Same spec, same bytes (the identity is reproducible).
  const auto path2 = std::filesystem::temp_directory_path() / "lmzip_cli_random2.gguf";
  run(std::string(LMZIP_CLI_PATH) + " model random --d 32 --layers 2 --heads 2 --ctx 128 --window 64 --seed 3 -o " +
          path2.string(), &rc);
  std::ifstream in2(path2, std::ios::binary);
  std::vector<uint8_t> bytes2((std::istreambuf_iterator<char>(in2)), std::istreambuf_iterator<char>());
  EXPECT_EQ(bytes, bytes2);
  std::filesystem::remove(path);
  std::filesystem::remove(path2);
  // Errors: bad shape, missing file.
  out = run(std::string(LMZIP_CLI_PATH) + " model random --d 30 --heads 4 -o " + path.string(), &rc);
  EXPECT_NE(rc, 0) << out;
  out = run(std::string(LMZIP_CLI_PATH) + " model info " + path.string() + ".missing", &rc);
  EXPECT_NE(rc, 0) << out;
}

// A model file's text reaches the terminal escaped (issue 15, failure 4):
// `model info` and the error that refuses to store such a name.
TEST(TransformerCli, ControlBytesFromAModelFileAreEscaped) {
  RandomModelOptions o;
  o.d = 8;
  o.heads = 2;
  o.layers = 1;
  gguf::File f = transformer_random_gguf(o);
  f.metadata["general.name"] = std::string("red\x1b[31m\xff\xfe\nend\xc2\x9b");
  const auto path = std::filesystem::temp_directory_path() / "lmzip_cli_escape.gguf";
  {
    const auto bytes = gguf::gguf_serialize(f);
    std::ofstream(path, std::ios::binary).write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));
  }
  int rc = -1;
  std::string out = run(std::string(LMZIP_CLI_PATH) + " model info " + path.string(), &rc);
  EXPECT_EQ(rc, 0) << out;
  EXPECT_NE(out.find("red\\x1b[31m\\xff\\xfe\\x0aend\\xc2\\x9b"), std::string::npos) << out;
  out = run("(echo hi | " + std::string(LMZIP_CLI_PATH) + " -c -m " + path.string() + " 2>&1 >/dev/null)", &rc);
  EXPECT_NE(rc, 0) << out;
  EXPECT_NE(out.find("red\\x1b[31m"), std::string::npos) << out;
  for (const std::string& raw : {std::string("\x1b"), std::string("\xff"), std::string("\xc2\x9b")})
    EXPECT_EQ(out.find(raw), std::string::npos) << out;
  std::filesystem::remove(path);
}

TEST(TransformerModelLoad, RejectsBadFilesWithMessages) {
  auto check = [](gguf::File f, const std::string& expect) {
    auto bytes = gguf::gguf_serialize(f);
    auto m = transformer_model_parse(bytes, "x");
    ASSERT_FALSE(m) << expect;
    EXPECT_EQ(m.status().code(), ErrorCode::bad_model_file);
    EXPECT_NE(m.status().message().find(expect), std::string::npos) << m.status().message();
  };
  RandomModelOptions o;
  o.d = 8;
  o.heads = 2;
  o.layers = 1;
  const gguf::File good = transformer_random_gguf(o);
  {
    auto bytes = gguf::gguf_serialize(good);
    auto m = transformer_model_parse(bytes, "good");
    ASSERT_TRUE(m);
    EXPECT_EQ((*m)->identity(), sha256_bytes(bytes));
    EXPECT_EQ((*m)->info().file_bytes, bytes.size());
    EXPECT_EQ((*m)->info().parameters, (*m)->config().parameters());
    EXPECT_EQ((*m)->default_chunk_size(), o.context_length);
  }
  gguf::File f = good;
  f.metadata["general.architecture"] = std::string("llama");
  check(f, "general.architecture");
  f = good;
  f.metadata.erase("lmzipbt.block_count");
  check(f, "lmzipbt.block_count");
  f = good;
  f.metadata["lmzipbt.embedding_length"] = 1.5f;
  check(f, "must be a u32");
  f = good;
  f.metadata["lmzipbt.attention.head_count"] = uint32_t(3);
  check(f, "even head size");
  f = good;
  f.metadata["lmzipbt.vocab_size"] = uint32_t(257);
  check(f, "vocab_size");
  f = good;
  f.metadata["lmzipbt.rope.freq_base"] = -1.0f;
  check(f, "freq_base");
  f = good;
  f.metadata["general.name"] = std::string();
  check(f, "general.name");
  f = good;
  f.tensors.pop_back();
  check(f, "missing tensor 'output.weight'");
  f = good;
  f.tensors[1].dims = {4};
  f.tensors[1].data.resize(16);
  check(f, "blk.0.attn_norm.weight");
  f = good;
  f.tensors.push_back(f.tensors[0]);
  f.tensors.back().name = "extra.weight";
  check(f, "unexpected tensor 'extra.weight'");
  f = good;
  const float nan = std::nanf("");
  std::memcpy(f.tensors[2].data.data() + 8, &nan, 4);
  check(f, "NaN");
}

}  // namespace
}  // namespace lmzip
