// Byte-level BPE as llama.cpp's llm_tokenizer_bpe_session does it
// (src/llama-vocab.cpp) for its pre-tokenizers (PreTokenizer below), the regex run by PCRE2
// in UTF mode with Unicode properties (UCP), as the regex was written for.
//
// Invalid UTF-8: PCRE2 refuses (and must never be given) an invalid subject,
// so the regex runs on each maximal valid stretch of the text, and every byte
// that starts no valid character is a word of its own, one byte token. Lossless:
// decode gives back any byte string. llama.cpp instead replaces such a byte
// by U+FFFD, which loses it; for valid UTF-8 the two agree.
#include "tokenizer/tokenizer_bpe.h"

#include <array>
#include <optional>
#include <unordered_map>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "tokenizer/tokenizer_merge.h"
#include "tokenizer/tokenizer_utf8.h"

namespace lmzip {

namespace {

// The pre-tokenizers lmzip runs, by `tokenizer.ggml.pre` (llama.cpp's names
// and regexes, src/llama-vocab.cpp). Only GPT-2's is checked against
// llama.cpp's expected tokenisations here (the other vocabularies' test
// files are not in ../shared/data); a tokenisation that differed from
// llama.cpp's would still code losslessly, at some cost in prediction.
struct PreTokenizer {
  std::vector<std::string_view> names;
  const char* pattern;
  bool ignore_merges;  // a word that is a token as a whole is that token (Llama 3)
};

const std::vector<PreTokenizer>& pre_tokenizers() {
  static const std::vector<PreTokenizer> kPre = {
      {{"gpt-2", "gpt2", "mpt", "olmo", "jais", "trillion"},
       R"('s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+)",
       false},
      {{"llama3", "llama-v3", "llama-bpe", "falcon3"},
       R"((?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+)",
       true},
      {{"qwen2", "deepseek-r1-qwen", "stablelm2", "hunyuan"},
       R"((?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+)",
       false},
  };
  return kPre;
}

// GPT-2's bytes_to_unicode: printable Latin-1 bytes stand for themselves, the
// other 68 bytes for U+0100.. in byte order, so every token is printable text.
struct ByteChars {
  std::array<std::string, 256> utf8;        // byte -> its character, UTF-8
  std::array<int16_t, 0x144> byte_of;       // code point -> byte, -1 for none
  ByteChars() {
    byte_of.fill(-1);
    unsigned extra = 0;
    for (unsigned b = 0; b < 256; ++b) {
      const bool printable = (b >= 0x21 && b <= 0x7E) || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE);
      const unsigned cp = printable ? b : 0x100 + extra++;
      byte_of[cp] = int16_t(b);
      utf8[b] = cp < 0x80 ? std::string(1, char(cp)) : std::string{char(0xC0 | cp >> 6), char(0x80 | (cp & 0x3F))};
    }
  }
};
const ByteChars& byte_chars() {
  static const ByteChars chars;
  return chars;
}

class BpeTokenizer final : public Tokenizer {
 public:
  explicit BpeTokenizer(TokenizerVocab vocab) : vocab_(std::move(vocab)) {}
  Status init();
  std::vector<int32_t> encode(std::string_view text) const override;
  std::string decode(std::span<const int32_t> ids) const override;
  std::string_view piece(int32_t id, bool) const override { return pieces_[size_t(id)]; }
  const TokenizerVocab& vocab() const override { return vocab_; }

 private:
  // The words of one valid UTF-8 stretch, as GPT-2's regex cuts it.
  std::vector<std::string_view> split_words(std::string_view run) const;
  void encode_word(std::string_view word, std::vector<int32_t>* out) const;

  TokenizerVocab vocab_;
  std::unique_ptr<pcre2_code, decltype(&pcre2_code_free)> regex_{nullptr, &pcre2_code_free};
  std::unordered_map<std::string, int32_t> text_ids_;  // tokens that stand for bytes, by text
  std::unordered_map<std::string, int32_t> ranks_;     // "left right" -> rank
  std::vector<std::string> pieces_;                    // id -> the bytes it decodes to
  bool ignore_merges_ = false;                         // the pre-tokenizer's (PreTokenizer)
};

Status BpeTokenizer::init() {
  auto bad = [](const std::string& what) { return Status(ErrorCode::bad_model_file, "tokenizer: " + what); };
  const PreTokenizer* pre = nullptr;
  for (const PreTokenizer& p : pre_tokenizers())
    for (std::string_view n : p.names)
      if (vocab_.pre == n) pre = &p;
  if (!pre)
    return bad("BPE pre-tokenizer '" + vocab_.pre + "' is not supported (gpt-2, llama-bpe, qwen2 and their aliases)");
  ignore_merges_ = pre->ignore_merges;
  const ByteChars& chars = byte_chars();
  pieces_.resize(vocab_.tokens.size());
  for (size_t i = 0; i < vocab_.tokens.size(); ++i) {
    if (vocab_.types[i] == TokenType::control || vocab_.types[i] == TokenType::unknown) continue;  // no bytes
    const std::string& text = vocab_.tokens[i];
    for (size_t pos = 0; pos < text.size();) {
      // Byte characters lie below U+0144: one or two UTF-8 bytes.
      const size_t n = utf8_char_length(text, pos);
      unsigned cp = 0xFFFF;
      if (n == 1) cp = uint8_t(text[pos]);
      if (n == 2) cp = (uint8_t(text[pos]) & 0x1Fu) << 6 | (uint8_t(text[pos + 1]) & 0x3Fu);
      if (cp >= chars.byte_of.size() || chars.byte_of[cp] < 0)
        return bad("BPE token " + std::to_string(i) + " is not made of GPT-2 byte characters");
      pieces_[i] += char(chars.byte_of[cp]);
      pos += n;
    }
    text_ids_.emplace(text, int32_t(i));
  }
  for (unsigned b = 0; b < 256; ++b)
    if (!text_ids_.count(chars.utf8[b])) return bad("BPE vocabulary without the token for byte " + std::to_string(b));
  for (size_t r = 0; r < vocab_.merges.size(); ++r) {
    const std::string& merge = vocab_.merges[r];
    const size_t space = merge.find(' ');
    if (space == 0 || space == std::string::npos || space + 1 == merge.size() ||
        merge.find(' ', space + 1) != std::string::npos)
      return bad("BPE merge " + std::to_string(r) + " is not 'left right'");
    // Every merged symbol must be a token: then encode always finds one.
    if (!text_ids_.count(merge.substr(0, space) + merge.substr(space + 1)))
      return bad("BPE merge " + std::to_string(r) + " makes no token");
    ranks_.emplace(merge, int32_t(r));  // a repeated rule keeps its first rank, as in llama.cpp
  }

  int error;
  PCRE2_SIZE offset;
  regex_.reset(pcre2_compile(reinterpret_cast<PCRE2_SPTR>(pre->pattern), PCRE2_ZERO_TERMINATED, PCRE2_UTF | PCRE2_UCP,
                             &error, &offset, nullptr));
  if (!regex_) return Status(ErrorCode::internal, "tokenizer: the '" + vocab_.pre + "' regex does not compile");
  pcre2_jit_compile(regex_.get(), PCRE2_JIT_COMPLETE);  // faster when available; the interpreter otherwise
  return {};
}

std::vector<std::string_view> BpeTokenizer::split_words(std::string_view run) const {
  std::vector<std::string_view> words;
  std::unique_ptr<pcre2_match_data, decltype(&pcre2_match_data_free)> match(
      pcre2_match_data_create_from_pattern(regex_.get(), nullptr), &pcre2_match_data_free);
  size_t pos = 0;
  while (pos < run.size()) {
    // NO_UTF_CHECK: the caller passes only valid UTF-8 (PCRE2 would otherwise check the stretch on every call).
    const int rc = pcre2_match(regex_.get(), reinterpret_cast<PCRE2_SPTR>(run.data()), run.size(), pos,
                               PCRE2_NO_UTF_CHECK, match.get(), nullptr);
    const PCRE2_SIZE* ovector = pcre2_get_ovector_pointer(match.get());
    // The regex matches every character, so a match starts at pos and is not
    // empty; should PCRE2 fail (a resource limit), the rest is one word and no byte is lost.
    const size_t end = rc > 0 && ovector[0] == pos && ovector[1] > pos ? ovector[1] : run.size();
    words.push_back(run.substr(pos, end - pos));
    pos = end;
  }
  return words;
}

void BpeTokenizer::encode_word(std::string_view word, std::vector<int32_t>* out) const {
  const ByteChars& chars = byte_chars();
  std::string s;  // the word in byte characters, one symbol per byte
  std::vector<size_t> sizes;
  for (char c : word) {
    s += chars.utf8[uint8_t(c)];
    sizes.push_back(chars.utf8[uint8_t(c)].size());
  }
  if (ignore_merges_)
    if (auto it = text_ids_.find(s); it != text_ids_.end()) {
      out->push_back(it->second);
      return;
    }
  auto rank = [&](std::string_view left, std::string_view right) -> std::optional<int32_t> {
    auto it = ranks_.find(std::string(left) + ' ' + std::string(right));
    if (it == ranks_.end()) return std::nullopt;
    return -it->second;  // the lowest rank merges first
  };
  // Every piece is a byte character or a merge's result, both checked to be tokens.
  for (std::string_view piece : pieces_merge(s, sizes, rank)) out->push_back(text_ids_.at(std::string(piece)));
}

std::vector<int32_t> BpeTokenizer::encode(std::string_view text) const {
  std::vector<int32_t> out;
  size_t run = 0;  // start of the current valid stretch
  auto encode_run = [&](size_t end) {
    for (std::string_view word : split_words(text.substr(run, end - run))) encode_word(word, &out);
  };
  for (size_t pos = 0; pos < text.size();) {
    const size_t n = utf8_char_length(text, pos);
    if (n > 0) {
      pos += n;
      continue;
    }
    encode_run(pos);
    encode_word(text.substr(pos, 1), &out);
    run = ++pos;
  }
  encode_run(text.size());
  return out;
}

std::string BpeTokenizer::decode(std::span<const int32_t> ids) const {
  std::string text;
  for (int32_t id : ids)
    if (id >= 0 && size_t(id) < pieces_.size()) text += pieces_[id];
  return text;
}

}  // namespace

Result<std::unique_ptr<Tokenizer>> bpe_tokenizer_create(TokenizerVocab vocab) {
  auto tokenizer = std::make_unique<BpeTokenizer>(std::move(vocab));
  if (Status s = tokenizer->init(); !s) return s;
  return std::unique_ptr<Tokenizer>(std::move(tokenizer));
}

}  // namespace lmzip
