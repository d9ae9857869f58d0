// Tokenizers of pretrained models (src/tokenizer): llama.cpp's test vectors
// for GPT-2's byte-level BPE and LLaMA's SentencePiece vocabularies (on the
// repaired shared files, vocab_repair.h), round trips, llama2.c's tokenizer
// file, and the checks that reject bad vocabularies. Conventions:
// docs/TOKENIZERS.md.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <map>
#include <random>
#include <sstream>

#include "common/file_read.h"
#include "gguf/gguf.h"
#include "tokenizer/tokenizer.h"
#include "vocab_repair.h"

namespace lmzip {
namespace {

using Ids = std::vector<int32_t>;
const std::string kSpace = "\xE2\x96\x81";  // U+2581

std::string ids_text(const Ids& ids) {
  std::ostringstream s;
  for (int32_t id : ids) s << ' ' << id;
  return s.str();
}

// ---- llama.cpp's vocabularies and test vectors ---------------------------------

struct Vector {
  std::string text;
  Ids ids;
};

// As llama.cpp's tests/test-tokenizer-0.cpp reads them: texts in .inp split
// by "\n__ggml_vocab_test__\n", one line of ids per text in .out.
std::vector<Vector> read_vectors(const std::string& vocab_path) {
  auto inp = file_read_all(vocab_path + ".inp");
  auto out = file_read_all(vocab_path + ".out");
  if (!inp || !out) return {};
  const std::string raw(inp->begin(), inp->end());
  const std::string sep = "\n__ggml_vocab_test__\n";
  std::vector<Vector> vectors;
  for (size_t pos = 0; pos < raw.size();) {
    const size_t next = raw.find(sep, pos);
    vectors.push_back({raw.substr(pos, next == std::string::npos ? std::string::npos : next - pos), {}});
    pos = next == std::string::npos ? raw.size() : next + sep.size();
  }
  std::istringstream lines(std::string(out->begin(), out->end()));
  std::string line;
  for (Vector& v : vectors) {
    if (!std::getline(lines, line)) return {};
    std::istringstream ids(line);
    for (int32_t id; ids >> id;) v.ids.push_back(id);
  }
  return vectors;
}

struct VocabCase {
  const char* name;
  const char* file;  // under model/llama_cpp_vocab/
  Result<std::vector<uint8_t>> (*repair)(std::span<const uint8_t>);
};

struct LoadedVocab {
  std::vector<uint8_t> damaged, repaired;
  std::unique_ptr<Tokenizer> tokenizer;
  std::vector<Vector> vectors;
  std::string error;  // why the vocabulary could not be loaded
};

std::string vocab_path(const VocabCase& c) { return std::string(LMZIP_DATA_DIR) + "/model/llama_cpp_vocab/" + c.file; }

// Read, repaired and parsed once per file (the repair walks every field).
const LoadedVocab* load(const VocabCase& c) {
  static std::map<std::string, LoadedVocab> cache;
  auto [it, fresh] = cache.try_emplace(c.file);
  LoadedVocab& v = it->second;
  if (!fresh) return v.damaged.empty() ? nullptr : &v;
  auto bytes = file_read_all(vocab_path(c));
  if (!bytes) return nullptr;
  v.damaged = std::move(*bytes);
  auto repaired = c.repair(v.damaged);
  if (!repaired) {
    v.error = repaired.status().message();
    return &v;
  }
  v.repaired = std::move(*repaired);
  auto file = gguf::gguf_parse(v.repaired);
  if (!file) {
    v.error = file.status().message();
    return &v;
  }
  auto tokenizer = tokenizer_create(*file);
  if (!tokenizer) {
    v.error = tokenizer.status().message();
    return &v;
  }
  v.tokenizer = std::move(*tokenizer);
  v.vectors = read_vectors(vocab_path(c));
  return &v;
}

class TokenizerLlamaCpp : public ::testing::TestWithParam<VocabCase> {
 protected:
  void SetUp() override {
    vocab_ = load(GetParam());
    if (!vocab_) GTEST_SKIP() << vocab_path(GetParam()) << " is missing";
    ASSERT_TRUE(vocab_->error.empty()) << vocab_->error;
  }
  const Tokenizer& tokenizer() const { return *vocab_->tokenizer; }
  const LoadedVocab* vocab_ = nullptr;
};

// The repair is right only if damaging it again gives the shared file back.
TEST_P(TokenizerLlamaCpp, RepairDamagesBackToTheSharedFile) {
  EXPECT_EQ(test::utf8_damage(vocab_->repaired), vocab_->damaged);
  EXPECT_LT(vocab_->repaired.size(), vocab_->damaged.size());
}

// The library must refuse the damaged file with a message, whichever check sees it first.
TEST_P(TokenizerLlamaCpp, DamagedFileIsRejected) {
  auto file = gguf::gguf_parse(vocab_->damaged);
  Status status = file.status();
  if (file) {
    auto tokenizer = tokenizer_create(*file);
    ASSERT_FALSE(tokenizer) << "the damaged file was accepted";
    status = tokenizer.status();
  }
  EXPECT_EQ(status.code(), ErrorCode::bad_model_file);
  EXPECT_FALSE(status.message().empty());
  std::cout << "  " << GetParam().file << " (damaged): " << status.message() << "\n";
}

// llama.cpp's vectors, encoded without BOS as test-tokenizer-0 does, and decoded back.
TEST_P(TokenizerLlamaCpp, TestVectors) {
  ASSERT_EQ(vocab_->vectors.size(), 46u) << "the .inp / .out files did not parse";
  for (const Vector& v : vocab_->vectors) {
    const Ids ids = tokenizer().encode(v.text);
    EXPECT_EQ(ids_text(ids), ids_text(v.ids)) << "text: '" << v.text << "'";
    EXPECT_EQ(tokenizer().decode(ids), v.text);
  }
}

TEST_P(TokenizerLlamaCpp, EmptyTextHasNoTokens) { EXPECT_TRUE(tokenizer().encode("").empty()); }

// Bytes that are no UTF-8 are accepted and come back: each stands alone, a
// byte token (SPM: <0xXX>; BPE: the byte's character).
TEST_P(TokenizerLlamaCpp, InvalidUtf8RoundTrips) {
  // Lone bytes, an overlong '/', a surrogate, above U+10FFFF, truncated
  // sequences (one before a space that SPM turns into U+2581), Latin-1, NUL.
  const std::vector<std::string> texts = {"\xFF",         "\x80\x80",        "a\xC0\xAF" "b", "\xED\xA0\x80",
                                          "\xF4\x90\x80\x80", "x\xE2\x82",       "\xE2\x96 ",    " \xE2\x96\x20\x81",
                                          "\xF0\x9F\x98",     "caf\xE9 ok",      std::string("\0\x01\x7F", 3)};
  for (const std::string& text : texts) {
    const Ids ids = tokenizer().encode(text);
    EXPECT_EQ(tokenizer().decode(ids), text) << ids_text(ids);
  }
  // One token per invalid byte, the valid text around it tokenized as usual.
  EXPECT_EQ(tokenizer().encode("\xFF\xFE").size(), tokenizer().encode("\xFF").size() + 1);
}

// Random strings from pieces that stress the tokenizers: spaces, newlines,
// letters, digits, punctuation, multi-byte characters, invalid bytes.
std::string random_text(std::mt19937& rng) {
  static const std::vector<std::string> pieces = {" ", "  ", "\n", "\t", "a", "Hello", "'s", "'ll", "3", "42", ".", "!?",
                                                  "\xC3\xA9", "\xE4\xB8\xAD", "\xF0\x9F\xA6\x99", "\xE2\x80\x8D",
                                                  "\xFF", "\x80", "\xE2\x96", "\xC3", std::string(1, '\0')};
  std::string s;
  const size_t n = rng() % 24;
  for (size_t i = 0; i < n; ++i) s += rng() % 4 ? pieces[rng() % pieces.size()] : std::string(1, char(rng()));
  return s;
}

TEST_P(TokenizerLlamaCpp, RandomTextRoundTrips) {
  std::mt19937 rng(18);
  for (int i = 0; i < 3000; ++i) {
    const std::string text = random_text(rng);
    if (text.find(kSpace) != std::string::npos) continue;  // SPM: U+2581 is a space (below)
    const Ids ids = tokenizer().encode(text);
    ASSERT_EQ(tokenizer().decode(ids), text) << ids_text(ids);
  }
}

// Ids the vocabulary does not have are skipped, not a crash.
TEST_P(TokenizerLlamaCpp, DecodeSkipsUnknownIds) {
  Ids ids = tokenizer().encode("Hello");
  ids.push_back(-1);
  ids.push_back(int32_t(tokenizer().vocab().tokens.size()));
  EXPECT_EQ(tokenizer().decode(ids), "Hello");
}

INSTANTIATE_TEST_SUITE_P(, TokenizerLlamaCpp,
                         ::testing::Values(VocabCase{"Gpt2", "ggml-vocab-gpt-2.gguf", test::vocab_repair_gpt2},
                                           VocabCase{"LlamaSpm", "ggml-vocab-llama-spm.gguf", test::vocab_repair_spm}),
                         [](const auto& info) { return std::string(info.param.name); });

const Tokenizer* llama_spm() {
  const LoadedVocab* v = load({"LlamaSpm", "ggml-vocab-llama-spm.gguf", test::vocab_repair_spm});
  return v && v->tokenizer ? v->tokenizer.get() : nullptr;
}

// The rule the SPM repair assumed, on the repaired file: types from the intact
// type array, and the 16 pieces that score -1e9 are exactly the runs of U+2581.
TEST(TokenizerLlamaSpm, ScoresFollowTheRule) {
  const Tokenizer* t = llama_spm();
  if (!t) GTEST_SKIP() << "the LLaMA vocabulary is missing";
  const TokenizerVocab& v = t->vocab();
  ASSERT_EQ(v.tokens.size(), 32000u);
  int runs = 0;
  for (size_t id = 0; id < v.tokens.size(); ++id) {
    ASSERT_EQ(v.types[id] == TokenType::normal, id >= 259) << id;
    std::string rest = v.tokens[id];
    while (rest.rfind(kSpace, 0) == 0) rest.erase(0, kSpace.size());
    const bool run = id >= 259 && rest.empty();
    runs += run;
    const float expected = id < 259 ? 0.0f : run ? -1e9f : -float(id - 259);
    ASSERT_EQ(v.scores[id], expected) << id;
  }
  EXPECT_EQ(runs, 16);
  EXPECT_EQ(v.bos_id, 1);
  EXPECT_EQ(v.eos_id, 2);
  EXPECT_EQ(v.unk_id, 0);
  EXPECT_TRUE(v.add_bos);
  EXPECT_TRUE(v.add_space_prefix);
}

// SentencePiece writes a space as U+2581, so U+2581 in the text comes back as a space.
TEST(TokenizerLlamaSpm, U2581DecodesAsSpace) {
  const Tokenizer* t = llama_spm();
  if (!t) GTEST_SKIP() << "the LLaMA vocabulary is missing";
  EXPECT_EQ(t->decode(t->encode("a" + kSpace + "b")), "a b");
  EXPECT_EQ(t->encode("a" + kSpace + "b"), t->encode("a b"));
}

// ---- llama2.c's tokenizer file (stories260K) ------------------------------------

class TokenizerLlama2c : public ::testing::Test {
 protected:
  void SetUp() override {
    auto bytes = file_read_all(std::string(LMZIP_DATA_DIR) + "/model/llama2c_stories260K/tok512.bin");
    if (!bytes) GTEST_SKIP() << "llama2c_stories260K/tok512.bin is missing";
    bytes_ = std::move(*bytes);
    auto t = tokenizer_create_llama2c(bytes_, 512);
    ASSERT_TRUE(t) << t.status().message();
    tokenizer_ = std::move(*t);
  }
  std::vector<uint8_t> bytes_;
  std::unique_ptr<Tokenizer> tokenizer_;
};

// Worked by hand from the file's scores: "▁Once▁upon▁a▁time" merges into
// ▁Once 403, ▁upon 407, ▁a 261, ▁time 378 (e.g. ▁t -0 first, then im -29,
// ime -110, ▁time -119); a newline is no piece: ▁ 410 and byte <0x0A> 3 + 10;
// ü is no piece either: bytes C3 BC as 3 + 0xC3, 3 + 0xBC.
TEST_F(TokenizerLlama2c, HandCheckedTokenizations) {
  EXPECT_EQ(tokenizer_->encode("Once upon a time"), (Ids{403, 407, 261, 378}));
  EXPECT_EQ(tokenizer_->encode("the"), (Ids{265}));
  EXPECT_EQ(tokenizer_->encode(" "), (Ids{410, 410}));
  EXPECT_EQ(tokenizer_->encode("\n"), (Ids{410, 13}));
  EXPECT_EQ(tokenizer_->encode("Lily"), (Ids{317}));
  EXPECT_EQ(tokenizer_->encode("\xC3\xA9"), (Ids{410, 485}));  // é is a piece
  EXPECT_EQ(tokenizer_->encode("\xC3\xBC"), (Ids{410, 3 + 0xC3, 3 + 0xBC}));
  const TokenizerVocab& v = tokenizer_->vocab();
  EXPECT_EQ(v.tokens[1], "<s>");
  EXPECT_EQ(v.tokens[410], kSpace);  // llama2.c's " " is SentencePiece's U+2581
  EXPECT_EQ(v.types[13], TokenType::byte);
}

// llama2.c's own encoder (run.c) agrees on a longer sentence.
TEST_F(TokenizerLlama2c, MatchesLlama2cOnAStorySentence) {
  EXPECT_EQ(tokenizer_->encode("Lily's mom said, \"Lily, let's go to the park.\""),
            (Ids{317, 439, 419, 357, 336, 432, 313, 438, 310, 432, 278, 316, 439, 419, 298, 414, 267, 265, 282, 295,
                 433, 426, 436}));
}

TEST_F(TokenizerLlama2c, TextsRoundTrip) {
  for (const char* text : {"", "Once upon a time, there was a little girl named Lily.\nShe loved to play outside.",
                           "  two spaces", "trailing  ", "\t\ttabs", "\xE4\xB8\xAD\xE6\x96\x87 and \xF0\x9F\x98\x81",
                           "\xFF\xFE invalid \xC3"}) {
    const Ids ids = tokenizer_->encode(text);
    EXPECT_EQ(tokenizer_->decode(ids), text) << ids_text(ids);
  }
}

TEST_F(TokenizerLlama2c, BadFilesAreRejected) {
  auto expect_bad = [](std::span<const uint8_t> bytes, int32_t n, const std::string& why) {
    auto t = tokenizer_create_llama2c(bytes, n);
    ASSERT_FALSE(t) << why;
    EXPECT_EQ(t.status().code(), ErrorCode::bad_model_file) << why;
    EXPECT_NE(t.status().message().find("llama2.c"), std::string::npos) << t.status().message();
  };
  expect_bad(bytes_, 511, "bytes left over");
  expect_bad(bytes_, 513, "one token short");
  expect_bad(std::span(bytes_).first(bytes_.size() - 1), 512, "truncated");
  expect_bad(std::span(bytes_).first(3), 512, "no header");
  std::vector<uint8_t> no_bos = bytes_;
  const size_t bos_text = 4 + (8 + 5) + 8;  // max length, <unk>, then token 1's score and length
  no_bos[bos_text] = 'X';
  expect_bad(no_bos, 512, "token 1 is not <s>");
  std::vector<uint8_t> nan_score = bytes_;
  const float nan = std::nanf("");
  std::memcpy(&nan_score[4], &nan, 4);
  expect_bad(nan_score, 512, "NaN score");
}

// ---- vocabularies the checks must refuse ---------------------------------------

// A small SPM vocabulary in GGUF form: the specials, the 256 byte tokens, a few pieces.
gguf::File small_spm() {
  gguf::File f;
  std::vector<std::string> tokens = {"<unk>", "<s>", "</s>"};
  std::vector<int32_t> types = {2, 3, 3};
  for (int b = 0; b < 256; ++b) {
    char name[8];
    std::snprintf(name, sizeof name, "<0x%02X>", b);
    tokens.push_back(name);
    types.push_back(6);
  }
  for (const std::string& piece : {kSpace, std::string("a"), kSpace + "a"}) {
    tokens.push_back(piece);
    types.push_back(1);
  }
  f.metadata["tokenizer.ggml.model"] = std::string("llama");
  f.metadata["tokenizer.ggml.tokens"] = tokens;
  f.metadata["tokenizer.ggml.token_type"] = types;
  f.metadata["tokenizer.ggml.scores"] = std::vector<float>(tokens.size(), 0.0f);
  f.metadata["tokenizer.ggml.bos_token_id"] = uint32_t(1);
  return f;
}

// A small GPT-2 vocabulary: the 256 byte characters and one merge "Ġ a".
gguf::File small_bpe() {
  gguf::File f;
  std::vector<std::string> tokens;  // token b: byte b's character (GPT-2's bytes_to_unicode)
  unsigned extra = 0;
  for (unsigned b = 0; b < 256; ++b) {
    const bool printable = (b >= 0x21 && b <= 0x7E) || (b >= 0xA1 && b <= 0xAC) || b >= 0xAE;
    const unsigned cp = printable ? b : 0x100 + extra++;
    tokens.push_back(cp < 0x80 ? std::string(1, char(cp)) : std::string{char(0xC0 | cp >> 6), char(0x80 | (cp & 0x3F))});
  }
  tokens.push_back("\xC4\xA0" "a");  // "Ġa"
  f.metadata["tokenizer.ggml.model"] = std::string("gpt2");
  f.metadata["tokenizer.ggml.pre"] = std::string("gpt-2");
  f.metadata["tokenizer.ggml.tokens"] = tokens;
  f.metadata["tokenizer.ggml.token_type"] = std::vector<int32_t>(tokens.size(), 1);
  f.metadata["tokenizer.ggml.merges"] = std::vector<std::string>{"\xC4\xA0 a"};
  return f;
}

TEST(TokenizerVocab, SmallVocabulariesWork) {
  auto spm = tokenizer_create(small_spm());
  ASSERT_TRUE(spm) << spm.status().message();
  EXPECT_EQ((*spm)->encode("a a"), (Ids{261, 261}));  // "▁a▁a": ▁a twice
  auto bpe = tokenizer_create(small_bpe());
  ASSERT_TRUE(bpe) << bpe.status().message();
  EXPECT_EQ((*bpe)->encode("a a"), (Ids{'a', 256}));  // words "a" and " a" = "Ġa"
}

TEST(TokenizerVocab, PreTokenizersCutWordsAsTheirRegexesSay) {
  // With a merge "3 4": GPT-2 keeps "12345" one word (the merge applies);
  // Llama 3 cuts digits in threes ("123" "45") and Qwen 2 one by one, so it cannot.
  auto with = [](const char* pre) {
    gguf::File f = small_bpe();
    auto tokens = std::get<std::vector<std::string>>(f.metadata["tokenizer.ggml.tokens"]);
    tokens.push_back("34");
    f.metadata["tokenizer.ggml.tokens"] = tokens;
    f.metadata["tokenizer.ggml.token_type"] = std::vector<int32_t>(tokens.size(), 1);
    f.metadata["tokenizer.ggml.merges"] = std::vector<std::string>{"\xC4\xA0 a", "3 4"};
    f.metadata["tokenizer.ggml.pre"] = std::string(pre);
    auto t = tokenizer_create(f);
    EXPECT_TRUE(t) << pre << ": " << t.status().message();
    return t ? (*t)->encode("12345") : Ids{};
  };
  EXPECT_EQ(with("gpt-2"), (Ids{'1', '2', 257, '5'}));
  EXPECT_EQ(with("llama-bpe"), (Ids{'1', '2', '3', '4', '5'}));
  EXPECT_EQ(with("qwen2"), (Ids{'1', '2', '3', '4', '5'}));
}

TEST(TokenizerVocab, BadVocabulariesAreRejected) {
  struct Case {
    const char* expect;  // in the message
    gguf::File (*make)();
    void (*spoil)(gguf::File&);
  };
  const Case cases[] = {
      {"tokenizer.ggml.model is missing", small_spm, [](gguf::File& f) { f.metadata.erase("tokenizer.ggml.model"); }},
      {"'bert' is not supported", small_spm, [](gguf::File& f) { f.metadata["tokenizer.ggml.model"] = std::string("bert"); }},
      {"tokenizer.ggml.tokens is missing", small_spm, [](gguf::File& f) { f.metadata["tokenizer.ggml.tokens"] = 3u; }},
      {"tokenizer.ggml.scores is missing", small_spm, [](gguf::File& f) { f.metadata.erase("tokenizer.ggml.scores"); }},
      {"token types for", small_spm, [](gguf::File& f) { std::get<std::vector<int32_t>>(f.metadata["tokenizer.ggml.token_type"]).pop_back(); }},
      {"scores for", small_spm, [](gguf::File& f) { std::get<std::vector<float>>(f.metadata["tokenizer.ggml.scores"]).push_back(0); }},
      {"has type 7", small_spm, [](gguf::File& f) { std::get<std::vector<int32_t>>(f.metadata["tokenizer.ggml.token_type"])[5] = 7; }},
      {"not a number", small_spm, [](gguf::File& f) { std::get<std::vector<float>>(f.metadata["tokenizer.ggml.scores"])[9] = std::nanf(""); }},
      {"repeats", small_spm, [](gguf::File& f) { std::get<std::vector<std::string>>(f.metadata["tokenizer.ggml.tokens"])[260] = "<s>"; }},
      {"is empty", small_spm, [](gguf::File& f) { std::get<std::vector<std::string>>(f.metadata["tokenizer.ggml.tokens"])[260] = ""; }},
      {"outside the vocabulary", small_spm, [](gguf::File& f) { f.metadata["tokenizer.ggml.eos_token_id"] = 262u; }},
      {"is not a u32", small_spm, [](gguf::File& f) { f.metadata["tokenizer.ggml.eos_token_id"] = std::string("2"); }},
      {"wants a BOS token", small_spm, [](gguf::File& f) { f.metadata.erase("tokenizer.ggml.bos_token_id"); f.metadata["tokenizer.ggml.add_bos_token"] = true; }},
      {"user-defined", small_spm, [](gguf::File& f) { std::get<std::vector<int32_t>>(f.metadata["tokenizer.ggml.token_type"])[260] = 4; }},
      {"byte token <0x41>", small_spm, [](gguf::File& f) { std::get<std::vector<int32_t>>(f.metadata["tokenizer.ggml.token_type"])[3 + 0x41] = 1; }},
      {"U+2581", small_spm, [](gguf::File& f) { std::get<std::vector<std::string>>(f.metadata["tokenizer.ggml.tokens"])[259] = "b"; }},
      {"pre-tokenizer 'smollm'", small_bpe, [](gguf::File& f) { f.metadata["tokenizer.ggml.pre"] = std::string("smollm"); }},
      {"pre-tokenizer ''", small_bpe, [](gguf::File& f) { f.metadata.erase("tokenizer.ggml.pre"); }},
      {"tokenizer.ggml.merges is missing", small_bpe, [](gguf::File& f) { f.metadata.erase("tokenizer.ggml.merges"); }},
      {"is not 'left right'", small_bpe, [](gguf::File& f) { f.metadata["tokenizer.ggml.merges"] = std::vector<std::string>{"ab"}; }},
      {"makes no token", small_bpe, [](gguf::File& f) { f.metadata["tokenizer.ggml.merges"] = std::vector<std::string>{"a b"}; }},
      {"without the token for byte", small_bpe, [](gguf::File& f) { std::get<std::vector<std::string>>(f.metadata["tokenizer.ggml.tokens"])[0] = "x!"; }},
      {"not made of GPT-2 byte characters", small_bpe, [](gguf::File& f) { std::get<std::vector<std::string>>(f.metadata["tokenizer.ggml.tokens"])[256] = "\xE4\xB8\xAD"; }},
  };
  ASSERT_TRUE(tokenizer_create(small_spm()));
  for (const Case& c : cases) {
    gguf::File f = c.make();
    c.spoil(f);
    auto t = tokenizer_create(f);
    ASSERT_FALSE(t) << c.expect;
    EXPECT_EQ(t.status().code(), ErrorCode::bad_model_file) << c.expect;
    EXPECT_NE(t.status().message().find(c.expect), std::string::npos) << t.status().message();
  }
}

}  // namespace
}  // namespace lmzip
