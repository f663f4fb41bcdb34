#include "server/http/row_range_server.h"

#include <doctest/doctest.h>

using ib::http::RewriteRequestHead;

TEST_CASE("row range server: only a non-byte Range header is renamed") {
  struct Case {
    const char* in;
    const char* out;
  };
  Case cases[] = {
      {"GET /rest/v1/t HTTP/1.1\r\nHost: x\r\nRange: 0-9\r\n\r\n",
       "GET /rest/v1/t HTTP/1.1\r\nHost: x\r\nX-Ib-Row-Range: 0-9\r\n\r\n"},
      {"GET /t HTTP/1.1\r\nrange:10-\r\n\r\n", "GET /t HTTP/1.1\r\nX-Ib-Row-Range:10-\r\n\r\n"},
      {"GET /t HTTP/1.1\r\nRANGE: items=0-9\r\n\r\n",
       "GET /t HTTP/1.1\r\nX-Ib-Row-Range: items=0-9\r\n\r\n"},
      // Byte ranges are storage's (audio seeking): untouched.
      {"GET /o HTTP/1.1\r\nRange: bytes=0-99\r\n\r\n",
       "GET /o HTTP/1.1\r\nRange: bytes=0-99\r\n\r\n"},
      {"GET /o HTTP/1.1\r\nRange:   BYTES=5-\r\n\r\n",
       "GET /o HTTP/1.1\r\nRange:   BYTES=5-\r\n\r\n"},
      // Only header names: a request line or another header mentioning range stays.
      {"GET /range:0-9 HTTP/1.1\r\nX-Range: 0-9\r\nRanges: 1\r\n\r\n",
       "GET /range:0-9 HTTP/1.1\r\nX-Range: 0-9\r\nRanges: 1\r\n\r\n"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.in);
    CHECK(RewriteRequestHead(c.in) == c.out);
  }
}
