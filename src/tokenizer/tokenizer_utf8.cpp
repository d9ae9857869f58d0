// UTF-8 validity per the Unicode standard's table 3-7 (well-formed byte
// sequences): the lead byte fixes the length and the range of the second
// byte; the later bytes are plain continuations 80..BF.
#include "tokenizer/tokenizer_utf8.h"

#include <cstdint>

namespace lmzip {

size_t utf8_char_length(std::string_view text, size_t pos) {
  const uint8_t lead = uint8_t(text[pos]);
  if (lead < 0x80) return 1;
  size_t length;
  uint8_t low = 0x80, high = 0xBF;  // the second byte's range
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    if (lead == 0xE0) low = 0xA0;   // not overlong
    if (lead == 0xED) high = 0x9F;  // not a surrogate
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    if (lead == 0xF0) low = 0x90;   // not overlong
    if (lead == 0xF4) high = 0x8F;  // not above U+10FFFF
  } else {
    return 0;  // a continuation byte, C0, C1 or F5..FF
  }
  if (text.size() - pos < length) return 0;
  for (size_t i = 1; i < length; ++i) {
    const uint8_t b = uint8_t(text[pos + i]);
    if (b < (i == 1 ? low : 0x80) || b > (i == 1 ? high : 0xBF)) return 0;
  }
  return length;
}

}  // namespace lmzip
