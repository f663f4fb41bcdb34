#include "server/http/body_limit.h"

#include <doctest/doctest.h>

#include <string>

using ib::http::BodyLimitFor;
using ib::http::IsObjectUpload;

TEST_CASE("body limit: only object uploads get the upload limit") {
  struct Case {
    std::string method;
    std::string target;
    bool upload;
  };
  const Case cases[] = {
      // The upload routes, raw or multipart alike.
      {"POST", "/storage/v1/object/avatars/u1/a.png", true},
      {"PUT", "/storage/v1/object/avatars/u1/a.png", true},
      {"POST", "/storage/v1/object/avatars/a.png?x=1", true},
      {"POST", "/storage/v1/object/my%20bucket/a%2Fb.png", true},
      {"POST", "/storage/v1/object/listing/a", true},  // a bucket whose name starts like a route
      {"PUT", "/storage/v1/object/list/a", true},      // PUT has no list route: an upload
      // Storage's JSON routes.
      {"POST", "/storage/v1/object/list/avatars", false},
      {"POST", "/storage/v1/object/sign/avatars/u1/a.png", false},
      {"POST", "/storage/v1/object/sign/avatars", false},
      {"POST", "/storage/v1/object/move", false},
      {"POST", "/storage/v1/object/copy", false},
      {"POST", "/storage/v1/object/upload/sign/avatars/a", false},
      {"PUT", "/storage/v1/object/upload/sign/avatars/a", false},
      {"DELETE", "/storage/v1/object/avatars", false},
      {"DELETE", "/storage/v1/object/avatars/a.png", false},
      {"POST", "/storage/v1/bucket", false},
      {"PUT", "/storage/v1/bucket/avatars", false},
      {"POST", "/storage/v1/bucket/avatars/empty", false},
      {"PATCH", "/storage/v1/object/avatars/a.png", false},
      // Spelled differently, routed the same: decoded as the router decodes.
      {"POST", "/storage/v1/object/%6Cist/avatars", false},
      {"POST", "/storage/v1/object/%u006Cist/avatars", false},
      {"POST", "/%73torage/v1/object/avatars/a", true},
      // Not uploads: no key, other services, nothing at all.
      {"POST", "/storage/v1/object/avatars", false},
      {"POST", "/storage/v1/object/avatars/", false},
      {"POST", "/rest/v1/storage/v1/object/a/b", false},
      {"POST", "/rest/v1/interview_sessions", false},
      {"POST", "", false},
  };
  for (const auto& c : cases) {
    CAPTURE(c.method);
    CAPTURE(c.target);
    CHECK(IsObjectUpload(c.method, c.target) == c.upload);
    CHECK(BodyLimitFor(c.method, c.target, 4, 51) == (c.upload ? 51U : 4U));
  }
}
