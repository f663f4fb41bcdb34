#include "server/dashboard/dashboard_assets.h"

#include <doctest/doctest.h>

#include <string>

namespace ib::dashboard {

TEST_CASE("dashboard assets: the page and its entry module are embedded, sorted by path") {
  const auto& assets = EmbeddedAssets();
  REQUIRE(assets.size() >= 4);
  for (size_t i = 1; i < assets.size(); ++i) CHECK(assets[i - 1].path < assets[i].path);
  const Asset* page = FindAsset("");
  REQUIRE(page != nullptr);
  CHECK(page->path == "index.html");
  CHECK(page->bytes.find("<!doctype html>") == 0);
  CHECK(FindAsset("index.html") == page);
  REQUIRE(FindAsset("app.js") != nullptr);
  REQUIRE(FindAsset("views/overview.js") != nullptr);
  for (const Asset& asset : assets) {
    CAPTURE(asset.path);
    CHECK(asset.sha256.size() == 64);
    CHECK_FALSE(asset.bytes.empty());
    CHECK(FindAsset(asset.path) == &asset);
  }
}

TEST_CASE("dashboard assets: only exact names match") {
  for (const char* path : {"nope.js", "views", "views/", "./app.js", "/app.js", "views/../app.js",
                           "app.js/", "APP.JS", "app", "index.htm"}) {
    CAPTURE(path);
    CHECK(FindAsset(path) == nullptr);
  }
}

TEST_CASE("dashboard assets: content types by extension, ETags from the content hash") {
  CHECK(ContentTypeFor("index.html") == "text/html; charset=utf-8");
  CHECK(ContentTypeFor("app.css") == "text/css; charset=utf-8");
  CHECK(ContentTypeFor("views/users.js") == "text/javascript; charset=utf-8");
  CHECK(ContentTypeFor("favicon.svg") == "image/svg+xml");
  CHECK(ContentTypeFor("README") == "application/octet-stream");
  CHECK(ContentTypeFor("x.jsx") == "application/octet-stream");
  const Asset a{"a.js", "x", "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"};
  CHECK(ETagOf(a) == "\"0123456789abcdef0123456789abcdef\"");
  CHECK(ETagOf(*FindAsset("app.js")) != ETagOf(*FindAsset("app.css")));
  CHECK(kContentSecurityPolicy.find("script-src 'self';") != std::string_view::npos);
  CHECK(kContentSecurityPolicy.find("unsafe") == std::string_view::npos);
}

}  // namespace ib::dashboard
