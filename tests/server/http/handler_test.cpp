#include "server/http/handler.h"

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "storage/error_auth.h"

namespace ib::http {
namespace {

using nlohmann::json;

// Text a database error or a client can put in a message or details.
const std::string kHostile = "Key (email)=(a\"b\\c\x01\n\xff) already exists.";

json Rendered(Service service, const storage::Error& e) {
  httplib::Response res;
  RenderError(service, e, res);
  return json::parse(res.body);  // strict: throws on anything but valid JSON (UTF-8 included)
}

TEST_CASE("error bodies are valid JSON whatever the message and details carry") {
  const storage::Error e = storage::Error::UniqueViolation(kHostile, kHostile);
  json auth = json();
  REQUIRE_NOTHROW(auth = Rendered(Service::kAuth, e));
  CHECK(auth["code"] == "23505");
  CHECK(auth["message"].get<std::string>().rfind("Key (email)=(a\"b\\c\x01\n", 0) == 0);
  CHECK_FALSE(auth.contains("weak_password"));  // details are no raw JSON to splice

  json rest = json();
  REQUIRE_NOTHROW(rest = Rendered(Service::kRest, e));
  CHECK(rest["details"].get<std::string>().rfind("Key (email)=(a\"b\\c\x01\n", 0) == 0);
  CHECK(rest["hint"].is_null());

  json storage_body = json();
  REQUIRE_NOTHROW(storage_body = Rendered(Service::kStorage, e));
  CHECK(storage_body["statusCode"] == "409");
}

TEST_CASE("error bodies: weak_password still carries its reasons") {
  json body = Rendered(Service::kAuth, storage::Error::Auth::WeakPassword(6));
  CHECK(body["weak_password"] == json::parse(R"({"reasons":["length"]})"));
  CHECK(body["error_code"] == "weak_password");
}

TEST_CASE("error bodies: WWW-Authenticate quotes the message and drops line breaks") {
  httplib::Response res;
  RenderError(Service::kRest, storage::Error::JwtInvalid("bad \"token\"\r\nX-Evil: 1"), res);
  CHECK(res.status == 401);
  CHECK(res.get_header_value("WWW-Authenticate") ==
        R"(Bearer error="invalid_token", error_description="bad \"token\"X-Evil: 1")");
}

}  // namespace
}  // namespace ib::http
