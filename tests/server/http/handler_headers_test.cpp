#include "server/http/handler_headers.h"

#include <doctest/doctest.h>

#include <string>

#include "server/http/request_head.h"
#include "tests/fuzz/memory_stream.h"

namespace {

// The headers a handler sees when httplib serves `rendered` (+ `body`), with `setup` as its
// setup_request.
httplib::Headers Served(const std::string& rendered, const std::string& body,
                        const std::function<void(httplib::Request&)>& setup) {
  ib::fuzz::MemoryServer server;
  httplib::Headers seen;
  auto record = [&](const httplib::Request& req, httplib::Response& res) {
    seen = req.headers;
    res.status = 204;
  };
  server.Get(".*", record);
  server.Post(".*", record);
  (void)server.Serve(rendered + body, 4096, 1, setup);
  return seen;
}

}  // namespace

TEST_CASE("handler headers: the handler sees what httplib would read from the whole head") {
  const char* heads[] = {
      "GET /rest/v1/t?select=* HTTP/1.1\r\nHost: h\r\napikey: k\r\nAuthorization: Bearer t\r\n"
      "Accept: application/json\r\nRange: 0-9\r\nPrefer: count=exact\r\n\r\n",
      // httplib 0.11 URL-decodes every header value ('+' stays), and an empty one is no header.
      "GET /a HTTP/1.1\r\nX-Odd: a%41%2bb+c\r\nX-Empty:\r\nX-Trail: v \r\nx-odd: second\r\n\r\n",
      "POST /b HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: 2\r\n"
      "Accept-Encoding: identity\r\napikey: one\r\nAPIKEY: two\r\nRange: bytes=0-1\r\n\r\n",
  };
  for (const char* text : heads) {
    CAPTURE(text);
    auto parsed = ib::http::ParseRequestHead(text, ib::http::HeadLimits{});
    REQUIRE(parsed.head);
    const std::string body = parsed.head->framing == ib::http::BodyFraming::kLength ? "{}" : "";
    std::string for_httplib;
    ib::http::RenderHeadInto(*parsed.head, for_httplib, ib::http::HeadersRendered::kHttplibOnly);
    const httplib::Headers whole = Served(ib::http::RenderHead(*parsed.head), body, nullptr);
    const httplib::Headers split = Served(for_httplib, body, [&](httplib::Request& req) {
      ib::http::AddHandlerHeaders(*parsed.head, req);
    });
    CHECK(whole.count("REMOTE_ADDR") == 1);  // served at all
    CHECK(split == whole);
  }
  // The decoding itself, spelled out.
  auto parsed = ib::http::ParseRequestHead("GET / HTTP/1.1\r\nX-A: a%41+b\r\nX-B:\r\n\r\n", {});
  REQUIRE(parsed.head);
  httplib::Request req;
  ib::http::AddHandlerHeaders(*parsed.head, req);
  CHECK(req.get_header_value("X-A") == "aA+b");
  CHECK_FALSE(req.has_header("X-B"));
}
