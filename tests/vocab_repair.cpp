// Repairs the damaged shared vocabulary files (the damage: vocab_repair.h).
// The damaged file is walked as GGUF metadata (neither file has tensors),
// rebuilding the original bytes field by field: a field whose damaged bytes
// are valid UTF-8 without U+FFFD came through unchanged; a damaged one is
// given candidate original values, and a candidate is taken only if damaging
// it gives exactly the damaged bytes found there. This treats each field's
// damage as independent of its neighbours, true for these files (no UTF-8
// sequence spans two fields); were it not, a candidate would fail to match and
// the repair would report the offset instead of guessing.
#include "vocab_repair.h"

#include <cstring>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "tokenizer/tokenizer_utf8.h"

namespace lmzip::test {

namespace {

using Bytes = std::vector<uint8_t>;
constexpr uint8_t kReplacement[3] = {0xEF, 0xBF, 0xBD};  // U+FFFD in UTF-8

std::string_view as_text(std::span<const uint8_t> b) { return {reinterpret_cast<const char*>(b.data()), b.size()}; }

template <class T>
Bytes little_endian(T v) {
  Bytes b(sizeof(T));
  std::memcpy(b.data(), &v, sizeof(T));  // the test machines are little-endian, as GGUF is
  return b;
}

// Candidate original bytes for the damaged field `index` of `key` (index -1:
// the key's scalar value or its array's count).
using Guess = std::function<std::vector<Bytes>(const std::string& key, int64_t index)>;

class Repair {
 public:
  Repair(std::span<const uint8_t> damaged, Guess guess) : d_(damaged), guess_(std::move(guess)) {}

  Result<Bytes> run() {
    if (!intact(16)) return fail("header");  // magic, version, tensor count
    if (last<uint64_t>() != 0) return fail("the repair reads metadata only, the file has tensors");
    if (!intact(8)) return fail("metadata count");
    const uint64_t n_kv = last<uint64_t>();
    for (uint64_t i = 0; i < n_kv; ++i) {
      std::string key;
      if (!intact_string(&key)) return fail("key " + std::to_string(i));
      if (!intact(4)) return fail("type of " + key);
      if (Status s = value(key, last<uint32_t>()); !s) return s;
    }
    if (pos_ != d_.size()) return fail("bytes after the metadata");
    return std::move(out_);
  }

 private:
  static uint64_t fixed_size(uint32_t type) {
    switch (type) {
      case 0: case 1: case 7: return 1;    // u8 i8 bool
      case 2: case 3: return 2;            // u16 i16
      case 4: case 5: case 6: return 4;    // u32 i32 f32
      case 10: case 11: case 12: return 8; // u64 i64 f64
      default: return 0;
    }
  }

  Status value(const std::string& key, uint32_t type) {
    if (type == 8) return string(key, -1);
    if (type != 9) return field(key, -1, fixed_size(type));
    if (!intact(4)) return fail("element type of " + key);
    const uint32_t element_type = last<uint32_t>();
    if (Status s = field(key, -1, 8); !s) return s;
    const uint64_t count = last<uint64_t>();
    for (uint64_t i = 0; i < count; ++i) {
      Status s = element_type == 8 ? string(key, int64_t(i)) : field(key, int64_t(i), fixed_size(element_type));
      if (!s) return s;
    }
    return {};
  }

  // A binary field of n bytes: as found, or the one candidate whose damage is what was found.
  Status field(const std::string& key, int64_t index, uint64_t n) {
    if (n == 0) return fail("unknown value type in " + key);
    if (intact(n)) return {};
    for (const Bytes& candidate : guess_(key, index))
      if (candidate.size() == n && accept(candidate)) return {};
    return fail(place(key, index) + ": no known value explains the damaged bytes");
  }

  // A string: its bytes are text, untouched by the damage; its length may
  // have lost a byte.
  Status string(const std::string& key, int64_t index) {
    if (!intact(8)) {
      std::optional<uint64_t> length = lost_length();
      if (!length || !accept(little_endian(*length))) return fail(place(key, index) + ": no single length fits");
    }
    const uint64_t length = last<uint64_t>();
    if (length > d_.size() - pos_ || !is_text(pos_, length)) return fail(place(key, index) + " is not text");
    take(length);
    return {};
  }

  // A length whose low bytes hold one replacement: the value of the lost
  // byte (0x80..0xFF) after which this string and the next are text.
  std::optional<uint64_t> lost_length() const {
    Bytes known;  // the length's bytes, the lost one as 0
    int lost = -1;
    size_t p = pos_;
    while (known.size() < 8 && p < d_.size()) {
      if (d_.size() - p >= 3 && std::memcmp(&d_[p], kReplacement, 3) == 0) {
        if (lost >= 0) return std::nullopt;  // more than one lost byte: not this damage
        lost = int(known.size());
        known.push_back(0);
        p += 3;
      } else {
        known.push_back(d_[p++]);
      }
    }
    if (lost < 0 || known.size() < 8) return std::nullopt;
    std::optional<uint64_t> found;
    for (unsigned v = 0x80; v <= 0xFF; ++v) {
      known[lost] = uint8_t(v);
      uint64_t length, next;
      std::memcpy(&length, known.data(), 8);
      if (length > d_.size() - p || d_.size() - p - length < 8 || !is_text(p, length)) continue;
      std::memcpy(&next, &d_[p + length], 8);
      const size_t after = p + length + 8;
      if (next > d_.size() - after || !is_text(after, next)) continue;
      if (found) return std::nullopt;  // two values fit: ambiguous
      found = length;
    }
    return found;
  }

  bool valid_utf8(size_t p, uint64_t n) const {
    const std::string_view text = as_text(d_.subspan(p, n));
    for (size_t i = 0, length; i < text.size(); i += length)
      if ((length = utf8_char_length(text, i)) == 0) return false;
    return true;
  }
  // The strings of these files (keys, token texts, merges) are valid UTF-8
  // without NUL. Lengths are small, so their high bytes are NUL: a wrong
  // length that would run over the next string's length is no text.
  bool is_text(size_t p, uint64_t n) const {
    return valid_utf8(p, n) && as_text(d_.subspan(p, n)).find('\0') == std::string_view::npos;
  }

  // The next n damaged bytes are the original ones when they hold no U+FFFD
  // and are valid UTF-8 by themselves: a damaged field shows U+FFFD, or the
  // start of one, among its first n bytes.
  bool intact(uint64_t n) {
    if (n > d_.size() - pos_ || !valid_utf8(pos_, n)) return false;
    if (as_text(d_.subspan(pos_, n)).find(as_text(kReplacement)) != std::string_view::npos) return false;
    take(n);
    return true;
  }

  bool intact_string(std::string* s) {
    if (!intact(8)) return false;
    const uint64_t length = last<uint64_t>();
    if (!intact(length)) return false;
    s->assign(reinterpret_cast<const char*>(out_.data() + out_.size() - length), length);
    return true;
  }

  // Takes `original` when damaging it gives the next damaged bytes.
  bool accept(const Bytes& original) {
    const Bytes damaged = utf8_damage(original);
    if (damaged.size() > d_.size() - pos_ || std::memcmp(damaged.data(), &d_[pos_], damaged.size()) != 0) return false;
    out_.insert(out_.end(), original.begin(), original.end());
    pos_ += damaged.size();
    return true;
  }

  // The value the last sizeof(T) rebuilt bytes hold.
  template <class T>
  T last() const {
    T v;
    std::memcpy(&v, out_.data() + out_.size() - sizeof(T), sizeof(T));
    return v;
  }

  void take(uint64_t n) {
    out_.insert(out_.end(), d_.begin() + pos_, d_.begin() + pos_ + n);
    pos_ += n;
  }

  static std::string place(const std::string& key, int64_t index) {
    return index < 0 ? key : key + "[" + std::to_string(index) + "]";
  }
  Status fail(const std::string& what) const {
    return Status(ErrorCode::corrupt, "vocab repair at damaged offset " + std::to_string(pos_) + ": " + what);
  }

  std::span<const uint8_t> d_;
  Guess guess_;
  size_t pos_ = 0;
  Bytes out_;
};

}  // namespace

std::vector<uint8_t> utf8_damage(std::span<const uint8_t> bytes) {
  const std::string_view text = as_text(bytes);
  Bytes out;
  for (size_t i = 0; i < text.size();) {
    if (size_t n = utf8_char_length(text, i)) {
      out.insert(out.end(), bytes.begin() + i, bytes.begin() + i + n);
      i += n;
      continue;
    }
    // The maximal subpart: a lead byte and the continuation bytes that could
    // still have completed it (Unicode 3.9, "U+FFFD substitution of maximal subparts").
    const uint8_t lead = bytes[i];
    const size_t need = lead >= 0xF0 && lead <= 0xF4 ? 4 : lead >= 0xE0 && lead <= 0xEF ? 3 : lead >= 0xC2 && lead <= 0xDF ? 2 : 1;
    size_t j = i + 1;
    for (; j < bytes.size() && j - i < need; ++j) {
      const bool second = j == i + 1;  // its range depends on the lead byte (as in utf8_char_length)
      const uint8_t low = second && lead == 0xE0 ? 0xA0 : second && lead == 0xF0 ? 0x90 : 0x80;
      const uint8_t high = second && lead == 0xED ? 0x9F : second && lead == 0xF4 ? 0x8F : 0xBF;
      if (bytes[j] < low || bytes[j] > high) break;
    }
    out.insert(out.end(), kReplacement, kReplacement + 3);
    i = j;
  }
  return out;
}

Result<std::vector<uint8_t>> vocab_repair_gpt2(std::span<const uint8_t> damaged) {
  // GPT-2's published configuration: 50257 tokens, 50000 merges,
  // <|endoftext|> = 50256 as BOS and EOS, layer_norm_epsilon 1e-5.
  Guess known = [](const std::string& key, int64_t index) -> std::vector<Bytes> {
    if (index >= 0) return {};
    if (key == "gpt2.attention.layer_norm_epsilon") return {little_endian(1e-5f)};
    if (key == "tokenizer.ggml.tokens" || key == "tokenizer.ggml.token_type")
      return {little_endian(uint64_t(50257))};
    if (key == "tokenizer.ggml.merges") return {little_endian(uint64_t(50000))};
    if (key == "tokenizer.ggml.bos_token_id" || key == "tokenizer.ggml.eos_token_id")
      return {little_endian(uint32_t(50256))};
    return {};
  };
  return Repair(damaged, known).run();
}

Result<std::vector<uint8_t>> vocab_repair_spm(std::span<const uint8_t> damaged) {
  // LLaMA's configuration: rms_norm_eps 1e-5, head dimension 4096 / 32 = 128.
  // Scores: ids 0..258 (<unk> <s> </s>, <0x00>..<0xFF>) score 0, which the
  // damage leaves alone; piece id scores -(id - 259), or -1e9 for the runs of
  // U+2581. The two candidates never damage alike (the first byte of an
  // integer float is 00, of -1e9 it is 28), so the surviving bytes choose.
  Guess rule = [](const std::string& key, int64_t index) -> std::vector<Bytes> {
    if (key == "llama.attention.layer_norm_rms_epsilon") return {little_endian(1e-5f)};
    if (key == "llama.rope.dimension_count") return {little_endian(uint32_t(128))};
    if (key == "tokenizer.ggml.scores" && index >= 259)
      return {little_endian(-float(index - 259)), little_endian(-1e9f)};
    return {};
  };
  return Repair(damaged, rule).run();
}

}  // namespace lmzip::test
