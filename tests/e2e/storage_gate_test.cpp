// /storage/v1 behind the gateway's key check and with stored active content: every route a
// client reaches with its keys needs `apikey` (one of the project's keys) whatever the bearer,
// while public object URLs and signed URLs work with no header at all; and an object whose type
// a browser would run (HTML, SVG, XML, JavaScript) always downloads as an attachment.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "tests/e2e/support/storage_client.h"

using ib::e2e::EncodeUri;
using ib::e2e::MakeUser;
using ib::e2e::Reply;
using ib::e2e::ServerProcess;
using ib::e2e::Storage;
using ib::e2e::StorageError;
using ib::e2e::StoredRows;
using nlohmann::json;

namespace {

struct Route {
  std::string method;
  std::string path;  // below /storage/v1
  std::string body;
};

// `bearer` as the user's token, `apikey` as given ("" = no apikey header).
Reply WithKey(const Storage& st, const Route& r, const std::string& bearer,
              const std::string& apikey) {
  httplib::Headers h = {{"Authorization", "Bearer " + bearer}};
  if (!apikey.empty()) h.emplace("apikey", apikey);
  if (r.method == "POST" && r.path.rfind("/object/pub/new", 0) == 0) {
    h.emplace("Content-Type", "text/plain");
  }
  return st.server.Send(r.method, "/storage/v1" + r.path, "", r.body, h);
}

}  // namespace

TEST_CASE("storage gate: every keyed route needs one of the project's keys in apikey") {
  Storage st;
  st.MakeBucket("pub", true);
  REQUIRE(st.Upload(st.S(), "pub", "f.txt", "hi").status == 200);
  const std::string user = ServerProcess::Token("authenticated", MakeUser(st.server, "u@x.io"));
  const std::vector<Route> routes = {
      {"GET", "/bucket", ""},
      {"GET", "/bucket/pub", ""},
      {"POST", "/object/list/pub", R"({"prefix":""})"},
      {"GET", "/object/pub/f.txt", ""},
      {"GET", "/object/authenticated/pub/f.txt", ""},
      {"GET", "/object/info/pub/f.txt", ""},
      {"POST", "/object/sign/pub/f.txt", R"({"expiresIn":60})"},
  };
  for (const Route& r : routes) {
    CAPTURE(r.path);
    for (const std::string& bearer : {user, st.S()}) {
      Reply none = WithKey(st, r, bearer, "");
      CHECK(none.status == 401);
      CHECK(none.json()["code"] == "no_api_key");
      CHECK(none.json()["message"] == "No API key found in request");
      Reply bogus = WithKey(st, r, bearer, "not-a-key");
      CHECK(bogus.status == 401);
      CHECK(bogus.json()["code"] == "invalid_api_key");
      CHECK(bogus.json()["message"] == "Invalid API key");
      // A user's own access token is a bearer, not a project key.
      CHECK(WithKey(st, r, bearer, user).status == 401);
      // A key signed with another secret is not ours.
      CHECK(WithKey(st, r, bearer, "eyJhbGciOiJIUzI1NiJ9.eyJyb2xlIjoiYW5vbiJ9.c2ln").status == 401);
      // Positive control: the same request with the anon key (what supabase-js sends).
      CHECK(StorageError(WithKey(st, r, bearer, st.A())) == "ok");
    }
  }
}

TEST_CASE("storage gate: a refused upload or removal writes nothing") {
  Storage st;
  st.MakeBucket("pub", true);
  const int64_t before = StoredRows(st.server, "pub");
  const Route upload{"POST", "/object/pub/new.txt", "bytes"};
  CHECK(WithKey(st, upload, st.S(), "").status == 401);
  CHECK(WithKey(st, upload, st.S(), "nope").status == 401);
  CHECK(StoredRows(st.server, "pub") == before);
  REQUIRE(StorageError(WithKey(st, upload, st.S(), st.A())) == "ok");  // positive control
  CHECK(StoredRows(st.server, "pub") > before);
  const int64_t uploaded = StoredRows(st.server, "pub");

  const Route remove{"DELETE", "/object/pub", R"({"prefixes":["new.txt"]})"};
  CHECK(WithKey(st, remove, st.S(), "").status == 401);
  CHECK(StoredRows(st.server, "pub") == uploaded);
  Reply removed = WithKey(st, remove, st.S(), st.A());
  CHECK(removed.status == 200);
  CHECK(removed.json().size() == 1);
}

TEST_CASE("storage gate: public object URLs and signed URLs need no header at all") {
  Storage st;
  st.MakeBucket("pub", true);
  REQUIRE(st.Upload(st.S(), "pub", "f.txt", "hi").status == 200);
  Reply pub = st.server.Send("GET", "/storage/v1/object/public/pub/f.txt", "");
  CHECK(pub.status == 200);
  CHECK(pub.body == "hi");
  Reply sign = st.Call(st.S(), "POST", "/object/sign/pub/f.txt", R"({"expiresIn":60})");
  REQUIRE(sign.status == 200);
  Reply fetched = st.server.Send(
      "GET", "/storage/v1" + EncodeUri(sign.json()["signedURL"].get<std::string>()), "");
  CHECK(fetched.status == 200);
  CHECK(fetched.body == "hi");
}

TEST_CASE("storage: active content types always download as attachments") {
  Storage st;
  st.MakeBucket("pub", true);
  const std::vector<std::string> active = {"text/html",
                                           "Text/HTML; charset=utf-8",
                                           "image/svg+xml",
                                           "application/xhtml+xml",
                                           "text/xml",
                                           "application/xml",
                                           "application/rss+xml",
                                           "application/javascript",
                                           "text/javascript",
                                           "nonsense"};
  const std::vector<std::string> inert = {"text/plain", "image/png", "audio/webm",
                                          "application/json", "application/pdf"};
  int n = 0;
  auto check = [&](const std::string& type, bool attachment) {
    CAPTURE(type);
    const std::string key = "f" + std::to_string(n++) + ".bin";
    REQUIRE(st.Upload(st.S(), "pub", key, "<script>alert(1)</script>", type).status == 200);
    Reply sign = st.Call(st.S(), "POST", "/object/sign/pub/" + key, R"({"expiresIn":60})");
    REQUIRE(sign.status == 200);
    const std::vector<Reply> downloads = {
        st.Download(st.S(), "pub", key),
        st.Call(st.S(), "GET", "/object/authenticated/pub/" + key),
        st.server.Send("GET", "/storage/v1/object/public/pub/" + key, ""),
        st.server.Send("GET",
                       "/storage/v1" + EncodeUri(sign.json()["signedURL"].get<std::string>()), ""),
        st.Download(st.S(), "pub", key, {{"Range", "bytes=0-3"}}),
    };
    for (const Reply& r : downloads) {
      CHECK((r.status == 200 || r.status == 206));
      CHECK(r.header("Content-Disposition") == (attachment ? "attachment" : ""));
    }
  };
  for (const auto& type : active) check(type, true);
  for (const auto& type : inert) check(type, false);  // positive control: served inline

  // An explicit download name still names the file.
  REQUIRE(st.Upload(st.S(), "pub", "page.html", "<p>", "text/html").status == 200);
  CHECK(st.Call(st.S(), "GET", "/object/pub/page.html?download=saved.html")
            .header("Content-Disposition") == "attachment; filename=\"saved.html\"");
}
