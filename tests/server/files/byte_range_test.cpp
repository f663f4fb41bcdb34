#include "server/files/byte_range.h"

#include <doctest/doctest.h>

#include <optional>
#include <string>
#include <vector>

namespace ib::files {
namespace {

struct Case {
  std::optional<std::string> header;
  int64_t size;
  std::string expected;  // ByteRange::ToString()
};

TEST_CASE("files/byte_range: single ranges against the object size") {
  const std::vector<Case> cases = {
      {std::nullopt, 1000, "whole"},
      {"bytes=0-99", 1000, "0-99"},         // the start
      {"bytes=500-599", 1000, "500-599"},   // the middle
      {"bytes=900-", 1000, "900-999"},      // open end
      {"bytes=-100", 1000, "900-999"},      // the last 100 bytes
      {"bytes=990-2000", 1000, "990-999"},  // last clamped to the end
      {"bytes=-5000", 1000, "0-999"},       // suffix longer than the object
      {"bytes=999-999", 1000, "999-999"},   // the last byte
      {"bytes=0-0", 1, "0-0"},
      {"BYTES=1-2", 10, "1-2"},       // unit case-insensitive
      {" bytes= 1 - 2 ", 10, "1-2"},  // spaces tolerated
      {"bytes=1000-", 1000, "unsatisfiable"},
      {"bytes=1000-1001", 1000, "unsatisfiable"},
      {"bytes=-0", 1000, "unsatisfiable"},
      {"bytes=0-", 0, "unsatisfiable"},  // nothing to send from an empty object
      {"bytes=-1", 0, "unsatisfiable"},
      {"bytes=5-1", 1000, "whole"},  // last < first: invalid, ignored
      {"bytes=abc", 1000, "whole"},
      {"bytes=1-x", 1000, "whole"},
      {"bytes=-", 1000, "whole"},
      {"items=0-1", 1000, "whole"},      // other units ignored
      {"bytes=0-1,5-6", 1000, "whole"},  // multi-range: we send everything
      {"bytes=+1-2", 1000, "whole"},
      {"bytes=99999999999999999999-", 1000, "whole"},  // overflow
      {"", 1000, "whole"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.header.value_or("<none>"));
    CAPTURE(c.size);
    auto parsed = ParseByteRange(
        c.header ? std::optional<std::string_view>(*c.header) : std::nullopt, c.size);
    CHECK(parsed.ToString() == c.expected);
  }
}

TEST_CASE("files/byte_range: Content-Range header text") {
  CHECK(ContentRangeHeader(ParseByteRange(std::string_view("bytes=0-99"), 1000), 1000) ==
        "bytes 0-99/1000");
  CHECK(ContentRangeHeader(ParseByteRange(std::string_view("bytes=-1"), 5), 5) == "bytes 4-4/5");
  CHECK(ContentRangeHeader(ParseByteRange(std::string_view("bytes=7-"), 5), 5) == "bytes */5");
  CHECK(ParseByteRange(std::string_view("bytes=10-19"), 100).length() == 10);
}

}  // namespace
}  // namespace ib::files
