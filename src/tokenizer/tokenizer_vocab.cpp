// Reads and checks a tokenizer vocabulary. Both readers end in vocab_check,
// so a vocabulary that reaches a tokenizer has one type in 1..6 and (SPM) one
// score that is a number per token, distinct non-empty texts and ids inside
// the vocabulary.
#include "tokenizer/tokenizer_vocab.h"

#include <cmath>
#include <cstring>
#include <limits>
#include <unordered_set>

namespace lmzip {

namespace {

Status bad(const std::string& what) { return Status(ErrorCode::bad_model_file, "tokenizer: " + what); }

template <class T>
const T* find_as(const gguf::File& file, const std::string& key) {
  const gguf::Value* v = file.find(key);
  return v ? std::get_if<T>(v) : nullptr;
}

// An optional u32 id key: -1 when absent, an error when mistyped or outside the vocabulary.
Status read_id(const gguf::File& file, const std::string& key, size_t n_tokens, int32_t* id) {
  const gguf::Value* v = file.find(key);
  if (!v) return {};
  const uint32_t* u = std::get_if<uint32_t>(v);
  if (!u) return bad(key + " is not a u32");
  if (*u >= n_tokens)
    return bad(key + " = " + std::to_string(*u) + " is outside the vocabulary of " + std::to_string(n_tokens));
  *id = int32_t(*u);
  return {};
}

Status read_flag(const gguf::File& file, const std::string& key, bool* flag) {
  const gguf::Value* v = file.find(key);
  if (!v) return {};
  const bool* b = std::get_if<bool>(v);
  if (!b) return bad(key + " is not a bool");
  *flag = *b;
  return {};
}

// What every reader guarantees to the tokenizers; `source` starts each message.
Status vocab_check(const TokenizerVocab& vocab, const std::string& source) {
  auto fail = [&](const std::string& what) { return bad(source + what); };
  const size_t n = vocab.tokens.size();
  if (n == 0) return fail("the vocabulary is empty");
  if (n > size_t(std::numeric_limits<int32_t>::max())) return fail("more tokens than int32 ids");
  if (vocab.types.size() != n)
    return fail(std::to_string(vocab.types.size()) + " token types for " + std::to_string(n) + " tokens");
  if (vocab.kind == TokenizerKind::spm && vocab.scores.size() != n)
    return fail(std::to_string(vocab.scores.size()) + " scores for " + std::to_string(n) + " tokens");
  std::unordered_set<std::string_view> seen;
  for (size_t i = 0; i < n; ++i) {
    // Empty texts and duplicates would make text -> id ambiguous.
    if (vocab.tokens[i].empty()) return fail("token " + std::to_string(i) + " is empty");
    if (!seen.insert(vocab.tokens[i]).second)
      return fail("token " + std::to_string(i) + " repeats an earlier token's text");
    const int32_t t = int32_t(vocab.types[i]);
    if (t < int32_t(TokenType::normal) || t > int32_t(TokenType::byte))
      return fail("token " + std::to_string(i) + " has type " + std::to_string(t) + " (1..6 allowed)");
  }
  // A NaN score would break the merge order (comparisons with NaN are not an order).
  for (size_t i = 0; i < vocab.scores.size(); ++i)
    if (std::isnan(vocab.scores[i])) return fail("score of token " + std::to_string(i) + " is not a number");
  if (vocab.add_bos && vocab.bos_id < 0) return fail("the model wants a BOS token but names none");
  if (vocab.add_eos && vocab.eos_id < 0) return fail("the model wants an EOS token but names none");
  return {};
}

// SentencePiece's byte pieces "<0xXX>" (upper-case hex, as llama.cpp looks them up).
bool is_byte_piece(const std::string& s) {
  auto hex = [](char c) { return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F'); };
  return s.size() == 6 && s.compare(0, 3, "<0x") == 0 && hex(s[3]) && hex(s[4]) && s[5] == '>';
}

// llama2.c's export wrote BOS and EOS between newlines: {as stored, as SentencePiece names it}.
constexpr const char* kLlama2cSpecial[3][2] = {{"<unk>", "<unk>"}, {"\n<s>\n", "<s>"}, {"\n</s>\n", "</s>"}};

}  // namespace

Result<TokenizerVocab> tokenizer_vocab_read(const gguf::File& file) {
  TokenizerVocab vocab;
  const auto* model = find_as<std::string>(file, "tokenizer.ggml.model");
  if (!model) return bad("tokenizer.ggml.model is missing or not a string");
  if (*model == "llama") {
    vocab.kind = TokenizerKind::spm;
  } else if (*model == "gpt2") {
    vocab.kind = TokenizerKind::bpe;
  } else {
    return bad("tokenizer.ggml.model '" + *model + "' is not supported (llama, gpt2)");
  }
  const bool spm = vocab.kind == TokenizerKind::spm;

  const auto* tokens = find_as<std::vector<std::string>>(file, "tokenizer.ggml.tokens");
  if (!tokens) return bad("tokenizer.ggml.tokens is missing or not an array of strings");
  vocab.tokens = *tokens;
  const auto* types = find_as<std::vector<int32_t>>(file, "tokenizer.ggml.token_type");
  if (!types) return bad("tokenizer.ggml.token_type is missing or not an array of int32");
  for (int32_t t : *types) vocab.types.push_back(TokenType(t));  // range checked by vocab_check
  if (spm) {
    const auto* scores = find_as<std::vector<float>>(file, "tokenizer.ggml.scores");
    if (!scores) return bad("tokenizer.ggml.scores is missing or not an array of float32");
    vocab.scores = *scores;
  } else {
    const auto* merges = find_as<std::vector<std::string>>(file, "tokenizer.ggml.merges");
    if (!merges) return bad("tokenizer.ggml.merges is missing or not an array of strings");
    vocab.merges = *merges;
  }
  if (const gguf::Value* pre = file.find("tokenizer.ggml.pre")) {
    const auto* s = std::get_if<std::string>(pre);
    if (!s) return bad("tokenizer.ggml.pre is not a string");
    vocab.pre = *s;
  }

  const size_t n = vocab.tokens.size();
  for (auto [key, id] : {std::pair{"tokenizer.ggml.bos_token_id", &vocab.bos_id},
                         std::pair{"tokenizer.ggml.eos_token_id", &vocab.eos_id},
                         std::pair{"tokenizer.ggml.unknown_token_id", &vocab.unk_id},
                         std::pair{"tokenizer.ggml.padding_token_id", &vocab.pad_id}})
    if (Status s = read_id(file, key, n, id); !s) return s;
  // llama.cpp's defaults: an SPM model starts with BOS and gets a space in front of its text.
  vocab.add_bos = spm && vocab.bos_id >= 0;
  vocab.add_space_prefix = spm;
  for (auto [key, flag] : {std::pair{"tokenizer.ggml.add_bos_token", &vocab.add_bos},
                           std::pair{"tokenizer.ggml.add_eos_token", &vocab.add_eos},
                           std::pair{"tokenizer.ggml.add_space_prefix", &vocab.add_space_prefix}})
    if (Status s = read_flag(file, key, flag); !s) return s;

  if (Status s = vocab_check(vocab, ""); !s) return s;
  return vocab;
}

void tokenizer_vocab_write(const TokenizerVocab& vocab, gguf::File& file) {
  auto& md = file.metadata;
  for (auto it = md.begin(); it != md.end();) it = it->first.rfind("tokenizer.ggml.", 0) == 0 ? md.erase(it) : std::next(it);
  md["tokenizer.ggml.model"] = std::string(vocab.kind == TokenizerKind::spm ? "llama" : "gpt2");
  md["tokenizer.ggml.tokens"] = vocab.tokens;
  std::vector<int32_t> types;
  for (TokenType t : vocab.types) types.push_back(int32_t(t));
  md["tokenizer.ggml.token_type"] = types;
  if (vocab.kind == TokenizerKind::spm) md["tokenizer.ggml.scores"] = vocab.scores;
  else md["tokenizer.ggml.merges"] = vocab.merges;
  if (!vocab.pre.empty()) md["tokenizer.ggml.pre"] = vocab.pre;
  for (auto [key, id] : {std::pair{"tokenizer.ggml.bos_token_id", vocab.bos_id},
                         std::pair{"tokenizer.ggml.eos_token_id", vocab.eos_id},
                         std::pair{"tokenizer.ggml.unknown_token_id", vocab.unk_id},
                         std::pair{"tokenizer.ggml.padding_token_id", vocab.pad_id}})
    if (id >= 0) md[key] = uint32_t(id);
  md["tokenizer.ggml.add_bos_token"] = vocab.add_bos;
  md["tokenizer.ggml.add_eos_token"] = vocab.add_eos;
  md["tokenizer.ggml.add_space_prefix"] = vocab.add_space_prefix;
}

Result<TokenizerVocab> tokenizer_vocab_read_llama2c(std::span<const uint8_t> bytes, int32_t n_tokens) {
  const std::string source = "llama2.c tokenizer file: ";
  auto bad_file = [&](const std::string& what) { return bad(source + what); };
  if (n_tokens < 3) return bad_file("a vocabulary needs at least <unk>, <s>, </s>");
  size_t pos = 0;
  auto read_i32 = [&](int32_t* v) {  // little-endian, like every llama2.c file
    if (bytes.size() - pos < 4) return false;
    uint32_t u = uint32_t(bytes[pos]) | uint32_t(bytes[pos + 1]) << 8 | uint32_t(bytes[pos + 2]) << 16 |
                 uint32_t(bytes[pos + 3]) << 24;
    std::memcpy(v, &u, 4);
    pos += 4;
    return true;
  };
  int32_t max_length;
  if (!read_i32(&max_length) || max_length < 1) return bad_file("no maximum token length");

  TokenizerVocab vocab;
  vocab.kind = TokenizerKind::spm;
  for (int32_t i = 0; i < n_tokens; ++i) {
    int32_t score_bits, length;
    if (!read_i32(&score_bits) || !read_i32(&length)) return bad_file("ends before token " + std::to_string(i));
    if (length < 1 || length > max_length || size_t(length) > bytes.size() - pos)
      return bad_file("token " + std::to_string(i) + " has length " + std::to_string(length));
    float score;
    std::memcpy(&score, &score_bits, 4);
    std::string text(reinterpret_cast<const char*>(bytes.data() + pos), size_t(length));
    pos += size_t(length);
    TokenType type = TokenType::normal;
    if (i < 3) {
      if (text != kLlama2cSpecial[i][0])
        return bad_file("token " + std::to_string(i) + " is not " + kLlama2cSpecial[i][1]);
      text = kLlama2cSpecial[i][1];
      type = i == 0 ? TokenType::unknown : TokenType::control;
    } else if (is_byte_piece(text)) {
      type = TokenType::byte;
    } else {  // the export replaced SentencePiece's U+2581 by spaces: put it back
      std::string escaped;
      for (char c : text) escaped += c == ' ' ? std::string("\xE2\x96\x81") : std::string(1, c);
      text = std::move(escaped);
    }
    vocab.tokens.push_back(std::move(text));
    vocab.types.push_back(type);
    vocab.scores.push_back(score);
  }
  if (pos != bytes.size())
    return bad_file(std::to_string(bytes.size() - pos) + " bytes after token " + std::to_string(n_tokens - 1) +
                    " (is the vocabulary size right?)");
  vocab.unk_id = 0;
  vocab.bos_id = 1;
  vocab.eos_id = 2;
  vocab.add_bos = true;  // llama2.c's run.c starts every prompt with BOS and a space
  vocab.add_space_prefix = true;
  if (Status s = vocab_check(vocab, source); !s) return s;
  return vocab;
}

}  // namespace lmzip
