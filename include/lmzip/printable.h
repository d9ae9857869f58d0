// Text that came from a file (a model's name and metadata, a file name, an
// error message quoting them) made safe to print: a terminal must never receive its control
// bytes (an escape sequence could rewrite the screen) or broken UTF-8.
#pragma once

#include <string>
#include <string_view>

namespace lmzip {

// `text` with every byte that is not printable ASCII or part of a valid
// UTF-8 sequence of a printable character written as \xNN (C0 and C1
// controls and DEL included); a backslash stays as it is.
std::string printable(std::string_view text);

}  // namespace lmzip
