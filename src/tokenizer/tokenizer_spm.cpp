// SentencePiece encoding as llama.cpp's llm_tokenizer_spm_session does it
// (src/llama-vocab.cpp), so the ids are the ones the model was run on:
// symbols start as characters and the adjacent pair whose concatenation is
// the piece with the highest score merges first (tokenizer_merge.h). Two
// choices differ from llama.cpp only where it would lose bytes (neither
// changes the ids for LLaMA's vocabulary, whose test vectors pass):
//  - a byte that starts no valid UTF-8 character is a symbol of its own
//    (llama.cpp takes the length its lead byte announces, which can swallow
//    the U+2581 of a following space into byte tokens);
//  - only tokens that stand for text (normal, unused) take part in merges,
//    so a merge can never produce a control token, which decodes to nothing.
#include "tokenizer/tokenizer_spm.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <optional>
#include <unordered_map>

#include "tokenizer/tokenizer_merge.h"
#include "tokenizer/tokenizer_utf8.h"

namespace lmzip {

namespace {

constexpr std::string_view kSpace = "\xE2\x96\x81";  // U+2581, SentencePiece's space

bool stands_for_text(TokenType t) { return t == TokenType::normal || t == TokenType::unused; }

// Lets the text -> id map be searched with string_views: no string is built per lookup.
struct TextHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

class SpmTokenizer final : public Tokenizer {
 public:
  explicit SpmTokenizer(TokenizerVocab vocab) : vocab_(std::move(vocab)) {}
  Status init();
  std::vector<int32_t> encode(std::string_view text) const override;
  std::string decode(std::span<const int32_t> ids) const override;
  std::string_view piece(int32_t id, bool first) const override {
    std::string_view p = pieces_[size_t(id)];
    // As llama.cpp's detokenize: the first token loses the space encode put in front.
    if (first && vocab_.add_space_prefix && !p.empty() && p[0] == ' ') p.remove_prefix(1);
    return p;
  }
  const TokenizerVocab& vocab() const override { return vocab_; }

 private:
  TokenizerVocab vocab_;
  std::unordered_map<std::string, int32_t, TextHash, std::equal_to<>> text_ids_;  // pieces merges may produce
  std::array<int32_t, 256> byte_ids_;  // byte -> its <0xXX> token
  std::vector<std::string> pieces_;    // id -> the bytes it decodes to
};

Status SpmTokenizer::init() {
  auto bad = [](const std::string& what) { return Status(ErrorCode::bad_model_file, "tokenizer: " + what); };
  auto byte_name = [](unsigned b) {
    char name[8];
    std::snprintf(name, sizeof name, "<0x%02X>", b);  // as llama.cpp spells them
    return std::string(name);
  };
  std::unordered_map<std::string, unsigned> byte_of;
  for (unsigned b = 0; b < 256; ++b) byte_of.emplace(byte_name(b), b);
  byte_ids_.fill(-1);
  pieces_.resize(vocab_.tokens.size());
  for (size_t i = 0; i < vocab_.tokens.size(); ++i) {
    const std::string& text = vocab_.tokens[i];
    if (stands_for_text(vocab_.types[i])) {
      text_ids_.emplace(text, int32_t(i));
      for (size_t p = 0; p < text.size();) {  // U+2581 -> space
        const bool space = text.compare(p, kSpace.size(), kSpace) == 0;
        pieces_[i] += space ? ' ' : text[p];
        p += space ? kSpace.size() : 1;
      }
    } else if (vocab_.types[i] == TokenType::byte) {
      auto it = byte_of.find(text);
      if (it == byte_of.end()) return bad("byte token " + std::to_string(i) + " is not written <0xXX>");
      byte_ids_[it->second] = int32_t(i);  // texts are distinct (vocab_check): one token per byte
      pieces_[i] = std::string(1, char(it->second));
    }  // control and unknown tokens stand for no bytes
  }
  for (unsigned b = 0; b < 256; ++b)
    if (byte_ids_[b] < 0) return bad("SPM vocabulary without the byte token " + byte_name(b));
  if (!text_ids_.count(kSpace)) return bad("SPM vocabulary without the piece U+2581 (a space)");
  return {};
}

std::vector<int32_t> SpmTokenizer::encode(std::string_view text) const {
  std::vector<int32_t> out;
  if (text.empty()) return out;  // llama.cpp: no space in front of nothing
  std::string s = vocab_.add_space_prefix ? std::string(kSpace) : std::string();
  for (char c : text) s += c == ' ' ? kSpace : std::string_view(&c, 1);

  std::vector<size_t> sizes;  // the characters; a byte that starts none stands alone
  for (size_t pos = 0; pos < s.size(); pos += sizes.back())
    sizes.push_back(std::max<size_t>(1, utf8_char_length(s, pos)));
  auto score = [&](std::string_view left, std::string_view right) -> std::optional<float> {
    auto it = text_ids_.find(std::string_view(left.data(), left.size() + right.size()));  // adjacent in s
    if (it == text_ids_.end()) return std::nullopt;
    return vocab_.scores[it->second];
  };
  for (std::string_view piece : pieces_merge(s, sizes, score)) {
    auto it = text_ids_.find(piece);
    if (it != text_ids_.end()) {
      out.push_back(it->second);
    } else {  // a character that is no piece: SentencePiece's byte fallback
      for (char c : piece) out.push_back(byte_ids_[uint8_t(c)]);
    }
  }
  return out;
}

std::string SpmTokenizer::decode(std::span<const int32_t> ids) const {
  std::string text;
  for (size_t i = 0; i < ids.size(); ++i) {
    if (ids[i] < 0 || size_t(ids[i]) >= pieces_.size()) continue;
    text += piece(ids[i], i == 0);
  }
  return text;
}

}  // namespace

Result<std::unique_ptr<Tokenizer>> spm_tokenizer_create(TokenizerVocab vocab) {
  auto tokenizer = std::make_unique<SpmTokenizer>(std::move(vocab));
  if (Status s = tokenizer->init(); !s) return s;
  return std::unique_ptr<Tokenizer>(std::move(tokenizer));
}

}  // namespace lmzip
