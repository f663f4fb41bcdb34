#include "storage/utf8.h"

#include <doctest/doctest.h>

#include <string>

#include "storage/error.h"

namespace ib::storage {
namespace {

TEST_CASE("utf8: strict sequence lengths") {
  CHECK(Utf8SequenceLength("a", 0) == 1);
  CHECK(Utf8SequenceLength("\xC3\xA9", 0) == 2);
  CHECK(Utf8SequenceLength("\xE2\x82\xAC", 0) == 3);
  CHECK(Utf8SequenceLength("\xF0\x9F\x98\x80", 0) == 4);
  CHECK(Utf8SequenceLength("\xC0\xAF", 0) == 0);          // overlong '/'
  CHECK(Utf8SequenceLength("\xE0\x80\xAF", 0) == 0);      // overlong
  CHECK(Utf8SequenceLength("\xED\xA0\x80", 0) == 0);      // surrogate
  CHECK(Utf8SequenceLength("\xF4\x90\x80\x80", 0) == 0);  // past U+10FFFF
  CHECK(Utf8SequenceLength("\xC3", 0) == 0);              // cut short
  CHECK(Utf8SequenceLength("\x80", 0) == 0);              // lone continuation
}

TEST_CASE("utf8: invalid bytes become U+FFFD, valid text is unchanged") {
  CHECK(ToValidUtf8("caf\xC3\xA9") == "caf\xC3\xA9");
  CHECK(ToValidUtf8("a\xFF"
                    "b\x80") ==
        "a\xEF\xBF\xBD"
        "b\xEF\xBF\xBD");
  CHECK(ToValidUtf8("\xE2\x82") == "\xEF\xBF\xBD\xEF\xBF\xBD");
}

TEST_CASE("utf8: error messages echoing request bytes are valid UTF-8") {
  Error e = Error::InvalidTextRepresentation("integer", "1\xFF");
  CHECK(e.message() == "invalid input syntax for type integer: \"1\xEF\xBF\xBD\"");
}

}  // namespace
}  // namespace ib::storage
