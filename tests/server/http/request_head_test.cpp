#include "server/http/request_head.h"

#include <doctest/doctest.h>

#include <string>
#include <string_view>
#include <utility>
#include <vector>

using ib::http::BodyFraming;
using ib::http::FindHeadEnd;
using ib::http::HeadLimits;
using ib::http::OversizedHeadStatus;
using ib::http::ParseRequestHead;
using ib::http::RenderHead;

namespace {

// A string literal with an embedded NUL, kept whole: its length comes from the array,
// not from counting characters by hand.
template <std::size_t N>
std::string WithNul(const char (&literal)[N]) {
  return std::string(literal, N - 1);
}

std::string Rendered(const std::string& head) {
  auto parsed = ParseRequestHead(head, HeadLimits{});
  REQUIRE(parsed.head);
  return RenderHead(*parsed.head);
}

}  // namespace

TEST_CASE("request head: only a non-byte Range header is renamed") {
  struct Case {
    const char* in;
    const char* out;
  };
  Case cases[] = {
      {"GET /rest/v1/t HTTP/1.1\r\nHost: x\r\nRange: 0-9\r\n\r\n",
       "GET /rest/v1/t HTTP/1.1\r\nHost: x\r\nX-Ib-Row-Range: 0-9\r\nConnection: "
       "Keep-Alive\r\n\r\n"},
      {"GET /t HTTP/1.1\r\nrange:10-\r\n\r\n",
       "GET /t HTTP/1.1\r\nX-Ib-Row-Range: 10-\r\nConnection: Keep-Alive\r\n\r\n"},
      {"GET /t HTTP/1.1\r\nRANGE: items=0-9\r\n\r\n",
       "GET /t HTTP/1.1\r\nX-Ib-Row-Range: items=0-9\r\nConnection: Keep-Alive\r\n\r\n"},
      // Byte ranges are storage's (audio seeking): untouched.
      {"GET /o HTTP/1.1\r\nRange: bytes=0-99\r\n\r\n",
       "GET /o HTTP/1.1\r\nRange: bytes=0-99\r\nConnection: Keep-Alive\r\n\r\n"},
      {"GET /o HTTP/1.1\r\nRange:   BYTES=5-\r\n\r\n",
       "GET /o HTTP/1.1\r\nRange: BYTES=5-\r\nConnection: Keep-Alive\r\n\r\n"},
      // Only header names: a request line or another header mentioning range stays.
      {"GET /range:0-9 HTTP/1.1\r\nX-Range: 0-9\r\nRanges: 1\r\n\r\n",
       "GET /range:0-9 HTTP/1.1\r\nX-Range: 0-9\r\nRanges: 1\r\nConnection: Keep-Alive\r\n\r\n"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.in);
    CHECK(Rendered(c.in) == c.out);
  }
}

TEST_CASE("request head: framing and persistence are rendered canonically") {
  CHECK(Rendered("POST /a HTTP/1.1\r\ncontent-length: 007\r\nConnection: Close\r\n\r\n") ==
        "POST /a HTTP/1.1\r\nContent-Length: 7\r\nConnection: close\r\n\r\n");
  CHECK(Rendered("POST /a HTTP/1.1\r\nTransfer-Encoding: Chunked\r\n\r\n") ==
        "POST /a HTTP/1.1\r\nTransfer-Encoding: chunked\r\nConnection: Keep-Alive\r\n\r\n");
  // Headers only the server sets are dropped (httplib's REMOTE_ADDR, our row-range name).
  CHECK(Rendered("GET /a HTTP/1.1\r\nREMOTE_ADDR: 1.2.3.4\r\nX-Ib-Row-Range: 0-1\r\n\r\n") ==
        "GET /a HTTP/1.1\r\nConnection: Keep-Alive\r\n\r\n");
  auto h10 = ParseRequestHead("GET / HTTP/1.0\r\n\r\n", HeadLimits{});
  REQUIRE(h10.head);
  CHECK_FALSE(h10.head->keep_alive);
  auto h10ka = ParseRequestHead("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", HeadLimits{});
  REQUIRE(h10ka.head);
  CHECK(h10ka.head->keep_alive);
  auto same = ParseRequestHead("PUT / HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\n",
                               HeadLimits{});
  REQUIRE(same.head);
  CHECK(same.head->framing == BodyFraming::kLength);
  CHECK(same.head->content_length == 5);
}

TEST_CASE("request head: refusals and their statuses") {
  struct Case {
    std::string head;
    int status;
  };
  const std::string long_target = "/" + std::string(8200, 'a');
  Case cases[] = {
      {"GET /a HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n", 400},
      {"POST /a HTTP/1.1\r\nContent-Length: -1\r\n\r\n", 400},
      {"POST /a HTTP/1.1\r\nContent-Length: 1e3\r\n\r\n", 400},
      {"POST /a HTTP/1.1\r\nContent-Length: 99999999999999999999\r\n\r\n", 400},
      {"POST /a HTTP/1.1\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n", 400},
      {"POST /a HTTP/1.1\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", 400},
      {"POST /a HTTP/1.1\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n", 400},
      {"POST /a HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n", 400},
      {"GET /a HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400},
      {"GET /a HTTP/1.1\r\nBad Name: x\r\n\r\n", 400},
      {"GET /a HTTP/1.1\r\nName : x\r\n\r\n", 400},
      {"GET /a HTTP/1.1\r\nA: b\r\n folded\r\n\r\n", 400},
      {"GET /a HTTP/1.1\r\nA: b\nC: d\r\n\r\n", 400},
      {"GET /a HTTP/1.1\r\nA: b\rC: d\r\n\r\n", 400},
      {WithNul("GET /a HTTP/1.1\r\nA: b\0c\r\n\r\n"), 400},
      {"GET /a HTTP/1.1\r\nnocolon\r\n\r\n", 400},
      {"GET  /a HTTP/1.1\r\n\r\n", 400},
      {"GET /a\tb HTTP/1.1\r\n\r\n", 400},
      {"BREW /a HTTP/1.1\r\n\r\n", 400},
      {"GET /a HTTP/2.0\r\n\r\n", 400},
      {"GET /a\r\n\r\n", 400},
      {"GET " + long_target + " HTTP/1.1\r\n\r\n", 414},
      {"GET /a HTTP/1.1\r\nX: " + std::string(8200, 'v') + "\r\n\r\n", 431},
  };
  for (const auto& c : cases) {
    CAPTURE(c.head.substr(0, 80));
    auto parsed = ParseRequestHead(c.head, HeadLimits{});
    CHECK_FALSE(parsed.head);
    CHECK(parsed.refusal.status == c.status);
  }
  std::string many = "GET /a HTTP/1.1\r\n";
  for (int i = 0; i < 100; ++i) many += "X-" + std::to_string(i) + ": v\r\n";
  CHECK(ParseRequestHead(many + "\r\n", HeadLimits{}).head);  // the positive control
  many += "X-100: v\r\n";
  CHECK(ParseRequestHead(many + "\r\n", HeadLimits{}).refusal.status == 431);
}

TEST_CASE("request head: the end of a head and oversized heads") {
  CHECK(FindHeadEnd("GET / HTTP/1.1\r\n\r\nbody") == 18);
  CHECK(FindHeadEnd("GET / HTTP/1.1\r\nA: b\r\n") == std::string::npos);
  // Resuming after bytes already scanned still finds a terminator split across reads.
  std::string two = "GET / HTTP/1.1\r\n\r\n";
  CHECK(FindHeadEnd(two, 16) == two.size());
  HeadLimits limits;
  CHECK(OversizedHeadStatus("GET /" + std::string(9000, 'a'), limits) == 414);
  CHECK(OversizedHeadStatus("GET /a HTTP/1.1\r\nX: " + std::string(70000, 'a'), limits) == 431);
}

TEST_CASE("request head: rendering into a used buffer replaces what it held") {
  auto first = ParseRequestHead(
      "POST /a-long-first-target HTTP/1.1\r\nContent-Length: 3\r\n"
      "X-Padding: 0123456789012345678901234567890123456789\r\n\r\n",
      HeadLimits{});
  auto second = ParseRequestHead("GET /b HTTP/1.1\r\n\r\n", HeadLimits{});
  REQUIRE(first.head);
  REQUIRE(second.head);
  std::string buffer;
  ib::http::RenderHeadInto(*first.head, buffer);
  CHECK(buffer == RenderHead(*first.head));
  ib::http::RenderHeadInto(*second.head, buffer);
  CHECK(buffer == "GET /b HTTP/1.1\r\nConnection: Keep-Alive\r\n\r\n");
}

TEST_CASE("request head: httplib's rendering keeps what httplib reads, the handlers get the rest") {
  auto parsed = ParseRequestHead(
      "POST /rest/v1/t HTTP/1.1\r\nHost: x\r\napikey: key\r\nAuthorization: Bearer tok\r\n"
      "Content-Type: application/json\r\nRange: 0-9\r\nAccept-Encoding: gzip\r\n"
      "Prefer: return=minimal\r\nExpect: 100-continue\r\nContent-Encoding: identity\r\n"
      "REMOTE_ADDR: 1.2.3.4\r\nContent-Length: 2\r\nrange: bytes=0-1\r\n\r\n",
      HeadLimits{});
  REQUIRE(parsed.head);
  std::string for_httplib;
  ib::http::RenderHeadInto(*parsed.head, for_httplib, ib::http::HeadersRendered::kHttplibOnly);
  CHECK(for_httplib ==
        "POST /rest/v1/t HTTP/1.1\r\nContent-Type: application/json\r\n"
        "Accept-Encoding: gzip\r\nExpect: 100-continue\r\nContent-Encoding: identity\r\n"
        "range: bytes=0-1\r\nContent-Length: 2\r\nConnection: Keep-Alive\r\n\r\n");
  std::vector<std::pair<std::string, std::string>> handler;
  ib::http::ForEachHandlerHeader(*parsed.head, [&](std::string_view name, std::string_view value) {
    handler.emplace_back(name, value);
  });
  // In the request's order; the row Range under its own name; server-set headers dropped.
  CHECK(handler == std::vector<std::pair<std::string, std::string>>{{"Host", "x"},
                                                                    {"apikey", "key"},
                                                                    {"Authorization", "Bearer tok"},
                                                                    {"X-Ib-Row-Range", "0-9"},
                                                                    {"Prefer", "return=minimal"}});
  // Together they are the whole rendering's headers: each header is in exactly one of the two.
  auto whole = ParseRequestHead(RenderHead(*parsed.head), HeadLimits{});
  auto kept = ParseRequestHead(for_httplib, HeadLimits{});
  REQUIRE(whole.head);
  REQUIRE(kept.head);
  CHECK(whole.head->headers.size() == kept.head->headers.size() + handler.size());
}
