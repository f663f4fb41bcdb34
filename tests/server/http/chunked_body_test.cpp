#include "server/http/chunked_body.h"

#include <doctest/doctest.h>

#include <string>

using ib::http::ChunkedBodyScanner;
using State = ChunkedBodyScanner::State;

TEST_CASE("chunked body: the scanner stops exactly where the body ends") {
  const std::string body = "5\r\nhello\r\n6;ext=1\r\n world\r\n0\r\n\r\n";
  const std::string next = "GET / HTTP/1.1\r\n\r\n";
  ChunkedBodyScanner whole(1024);
  CHECK(whole.Scan(body + next) == body.size());
  CHECK(whole.state() == State::kDone);
  CHECK(whole.data_bytes() == 11);
  // Byte by byte gives the same answer.
  ChunkedBodyScanner bytewise(1024);
  size_t taken = 0;
  for (char c : body + next) {
    if (bytewise.state() != State::kInBody) break;
    taken += bytewise.Scan(std::string(1, c));
  }
  CHECK(taken == body.size());
  CHECK(bytewise.state() == State::kDone);
}

TEST_CASE("chunked body: malformed framing and the data limit") {
  struct Case {
    std::string in;
    State state;
    size_t taken;
  };
  Case cases[] = {
      {"x\r\n", State::kMalformed, 0},
      {"5\r\nhelloX", State::kMalformed, 8},              // no CRLF after the data
      {"0\r\nTrailer: v\r\n\r\n", State::kMalformed, 3},  // trailers are not supported
      {"1234567890abcdef\r\n", State::kMalformed, 15},    // chunk size past 15 hex digits
      {"5 \r\nhello\r\n", State::kMalformed, 1},
      {"5\nhello", State::kMalformed, 1},
      {"a\r\n", State::kTooLarge, 2},             // 10 data bytes, the limit is 8
      {"8\r\n12345678\r\n", State::kInBody, 13},  // exactly the limit: the positive control
  };
  for (const auto& c : cases) {
    CAPTURE(c.in);
    ChunkedBodyScanner s(8);
    CHECK(s.Scan(c.in) == c.taken);
    CHECK(s.state() == c.state);
  }
  ChunkedBodyScanner counted(8);
  CHECK(counted.Scan("4\r\n1234\r\n") == 9);
  CHECK(counted.Scan("5\r\n") == 2);  // 4 + 5 > 8: refused at the size line
  CHECK(counted.state() == State::kTooLarge);
}
