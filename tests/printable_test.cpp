// lmzip::printable: what came from a file never reaches a terminal as control bytes.
#include <gtest/gtest.h>

#include "lmzip/printable.h"

namespace lmzip::test {
namespace {

TEST(Printable, EscapesControlsAndBrokenUtf8) {
  EXPECT_EQ(printable("plain name-1.0 \\ ok"), "plain name-1.0 \\ ok");
  EXPECT_EQ(printable("\x1b[31mred\x7f\n"), "\\x1b[31mred\\x7f\\x0a");
  EXPECT_EQ(printable("caf\xc3\xa9 \xe2\x82\xac"), "caf\xc3\xa9 \xe2\x82\xac");  // é, €: printable UTF-8
  EXPECT_EQ(printable("\xc2\x9b" "2J"), "\\xc2\\x9b2J");                     // U+009B, a C1 control (CSI)
  EXPECT_EQ(printable("\xff\xfe\xc3"), "\\xff\\xfe\\xc3");                   // not UTF-8; cut short
  EXPECT_EQ(printable(std::string("a\0b", 3)), "a\\x00b");
}

}  // namespace
}  // namespace lmzip::test
