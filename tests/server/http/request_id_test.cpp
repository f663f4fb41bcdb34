#include "server/http/request_id.h"

#include <doctest/doctest.h>

#include <regex>
#include <set>
#include <string>

using ib::http::AcceptableRequestId;
using ib::http::kMaxRequestIdLength;
using ib::http::NewRequestId;
using ib::http::RequestIdFor;

TEST_CASE("request id: a client's id is kept only when short and plain") {
  CHECK(AcceptableRequestId("abc-123"));
  CHECK(AcceptableRequestId("0f3c2a1e-7b7d-4c55-9a51-2f6d6f0e9d11"));
  CHECK(AcceptableRequestId("trace:01/span.2_x+y="));
  CHECK(AcceptableRequestId(std::string(kMaxRequestIdLength, 'a')));
  CHECK_FALSE(AcceptableRequestId(""));
  CHECK_FALSE(AcceptableRequestId(std::string(kMaxRequestIdLength + 1, 'a')));
  for (const char* hostile : {"a b", "a\"b", "a\\b", "a\nb", "a\rb", "a\tb", "a,b", "a{b}",
                              "<script>", "a\x7f", "\xc3\xa9t\xc3\xa9"}) {
    CAPTURE(hostile);
    CHECK_FALSE(AcceptableRequestId(hostile));
  }
  CHECK_FALSE(AcceptableRequestId(std::string("a\0b", 3)));
}

TEST_CASE("request id: new ids are version 4 UUIDs and differ") {
  const std::regex uuid("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    const std::string id = NewRequestId();
    CHECK(std::regex_match(id, uuid));
    CHECK(AcceptableRequestId(id));
    seen.insert(id);
  }
  CHECK(seen.size() == 1000);
}

TEST_CASE("request id: RequestIdFor keeps a plain id and replaces anything else") {
  CHECK(RequestIdFor("req-1") == "req-1");
  const std::string replaced = RequestIdFor("bad id\"");
  CHECK(replaced.size() == 36);
  CHECK(replaced != RequestIdFor(""));
}
