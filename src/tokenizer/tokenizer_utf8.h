// Where the characters of a byte string are, for tokenizers that must accept
// any bytes: a valid UTF-8 character is one symbol, and a byte that starts
// none stands alone, so no byte is ever lost or merged into a neighbour.
#pragma once

#include <cstddef>
#include <string_view>

namespace lmzip {

// Length (1..4) of the valid UTF-8 character at text[pos], 0 when the byte
// there starts none. Valid as Unicode defines it (and PCRE2 checks it): no
// overlong forms, no surrogates, nothing above U+10FFFF.
size_t utf8_char_length(std::string_view text, size_t pos);

}  // namespace lmzip
