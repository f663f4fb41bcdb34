// /storage/v1 over HTTP with two users in interview-audio: a listing never names what the
// caller cannot read, whatever prefix or search it sends (LIKE wildcards, '..', percent signs
// raw or encoded, backslashes, look-alike folders), and a write the caller's guard refuses is
// 403 AccessDenied before any 409 could reveal that someone else's object exists.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "tests/e2e/support/storage_client.h"

using ib::e2e::DbScalar;
using ib::e2e::kAudioBucket;
using ib::e2e::MakeUser;
using ib::e2e::Reply;
using ib::e2e::ServerProcess;
using ib::e2e::Storage;
using ib::e2e::StorageError;
using nlohmann::json;

namespace {

// Alice and Bob with a few objects each, and objects of the service at the bucket's top whose
// names look like wildcards.
struct TwoUsers {
  Storage st;
  std::string a = MakeUser(st.server, "alice@x.io");
  std::string b = MakeUser(st.server, "bob@x.io");
  std::string ta = ServerProcess::Token("authenticated", a);
  std::string tb = ServerProcess::Token("authenticated", b);

  TwoUsers() {
    for (const auto& [token, key] :
         std::vector<std::pair<std::string, std::string>>{{ta, a + "/q1.webm"},
                                                          {ta, a + "/s1/q2.webm"},
                                                          {tb, b + "/q1.webm"},
                                                          {tb, b + "/bob-secret/q2.webm"},
                                                          {st.S(), "service-top.webm"},
                                                          {st.S(), "%25/x.webm"},
                                                          {st.S(), "_/x.webm"},
                                                          {st.S(), "..%2Fup/x.webm"}}) {
      REQUIRE(st.Upload(token, kAudioBucket, key, "bytes", "audio/webm").status == 200);
    }
  }

  // The entry names of one listing; any error is a failure of the scenario.
  std::vector<std::string> List(const std::string& token, const json& body) const {
    Reply r = st.Call(token, "POST", "/object/list/" + kAudioBucket, body.dump());
    REQUIRE(r.status == 200);
    std::vector<std::string> names;
    for (const auto& entry : r.json()) names.push_back(entry["name"]);
    return names;
  }
};

TEST_CASE("storage privacy: a listing names only the caller's readable rows") {
  TwoUsers u;
  using V = std::vector<std::string>;
  CHECK(u.List(u.ta, {{"prefix", ""}}) == V{u.a});
  CHECK(u.List(u.tb, {{"prefix", ""}}) == V{u.b});
  CHECK(u.List(u.ta, {{"prefix", u.a}}) == V{"q1.webm", "s1"});
  CHECK(u.List(u.ta, {{"prefix", u.b}}).empty());
  CHECK(u.List(u.ta, {{"prefix", u.b + "/bob-secret"}}).empty());
  CHECK(u.List(u.ta, {{"prefix", ""}, {"search", u.b.substr(0, 6)}}) ==
        (u.a.substr(0, 6) == u.b.substr(0, 6) ? V{u.a} : V{}));
  // Sorted by a date too, and paged: still only Alice's folder.
  CHECK(u.List(u.ta, {{"prefix", ""},
                      {"sortBy", {{"column", "created_at"}, {"order", "desc"}}},
                      {"limit", 10},
                      {"offset", 0}}) == V{u.a});
  CHECK(u.List(u.ta, {{"prefix", ""}, {"offset", 1}}).empty());
  // The service sees every top-level entry.
  CHECK(u.List(u.st.S(), {{"prefix", ""}}).size() == 6);
}

TEST_CASE("storage privacy: hostile prefixes and searches never widen a listing") {
  TwoUsers u;
  const std::vector<std::string> prefixes = {"%",
                                             "_",
                                             "\\",
                                             "%%",
                                             "%25",
                                             "%2F",
                                             "..",
                                             "../",
                                             ".",
                                             "./",
                                             "/",
                                             "//",
                                             "*",
                                             "'",
                                             "\"",
                                             u.a + "/..",
                                             u.a + "/../" + u.b,
                                             u.a + "/%",
                                             u.a + "/_",
                                             u.a.substr(0, 8) + "%",
                                             u.a.substr(0, 8) + "_",
                                             u.a + "0",
                                             u.a + ".",
                                             u.b + "/../" + u.a + "/..",
                                             "..%2Fup",
                                             "%/",
                                             "_/",
                                             u.a + "%2F..",
                                             std::string(u.a + "/\\"),
                                             u.a.substr(0, u.a.size() - 1)};
  for (const auto& prefix : prefixes) {
    CAPTURE(prefix);
    for (const auto& name : u.List(u.ta, {{"prefix", prefix}})) {
      CAPTURE(name);
      CHECK(name.find(u.b) == std::string::npos);
      CHECK(name.find("bob-secret") == std::string::npos);
      CHECK(name.find("service-top") == std::string::npos);
      CHECK(name != "x.webm");  // the service's wildcard-named folders stay hidden
      CHECK(name != "up");
    }
  }
  const std::vector<std::string> searches = {"%", "_", "\\", "%%", "..",
                                             "*", "'", "b",  "s",  u.b.substr(0, 1)};
  for (const auto& search : searches) {
    CAPTURE(search);
    for (const std::string& prefix : {std::string(), u.a}) {
      for (const auto& name : u.List(u.ta, {{"prefix", prefix}, {"search", search}})) {
        CAPTURE(name);
        CHECK((name == u.a || name == "q1.webm" || name == "s1"));
      }
    }
  }
  // Anon has no bucket to list, whatever it sends.
  CHECK(StorageError(u.st.Call(u.st.A(), "POST", "/object/list/" + kAudioBucket,
                               R"({"prefix":"%","search":"_"})")) == "400 404 NoSuchBucket");
}

TEST_CASE("storage privacy: a refused write is 403, never a 409 about someone else's key") {
  TwoUsers u;
  const std::string taken = u.b + "/q1.webm";     // exists, Bob's
  const std::string absent = u.b + "/none.webm";  // does not exist
  for (const std::string& key : {taken, absent}) {
    CAPTURE(key);
    for (const char* upsert : {"false", "true"}) {
      CAPTURE(upsert);
      Reply r =
          u.st.Upload(u.ta, kAudioBucket, key, "hijack", "audio/webm", {{"x-upsert", upsert}});
      CHECK(StorageError(r) == "400 403 AccessDenied");
      CHECK(r.json()["message"] == "new row violates row-level security policy");
    }
    CHECK(StorageError(u.st.Call(u.ta, "PUT", "/object/" + kAudioBucket + "/" + key, "hijack",
                                 {{"Content-Type", "audio/webm"}})) == "400 403 AccessDenied");
    for (const char* op : {"/object/copy", "/object/move"}) {
      CAPTURE(op);
      CHECK(StorageError(u.st.Call(u.ta, "POST", op,
                                   json({{"bucketId", kAudioBucket},
                                         {"sourceKey", u.a + "/q1.webm"},
                                         {"destinationKey", key}})
                                       .dump())) == "400 403 AccessDenied");
    }
  }
  // Alice's own taken key still answers the duplicate; Bob's object is untouched.
  CHECK(StorageError(u.st.Upload(u.ta, kAudioBucket, u.a + "/q1.webm", "again", "audio/webm")) ==
        "400 409 KeyAlreadyExists");
  CHECK(StorageError(u.st.Call(u.ta, "POST", "/object/copy",
                               json({{"bucketId", kAudioBucket},
                                     {"sourceKey", u.a + "/s1/q2.webm"},
                                     {"destinationKey", u.a + "/q1.webm"}})
                                   .dump())) == "400 409 KeyAlreadyExists");
  CHECK(u.st.Download(u.tb, kAudioBucket, taken).body == "bytes");
  CHECK(DbScalar(u.st.server.db_path(),
                 "SELECT count(*) FROM storage_objects WHERE name LIKE '" + u.b + "/%'") == 2);
}

}  // namespace
