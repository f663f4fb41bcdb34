// The dashboard at /_/ on the real binary: its page, modules, styles and icon come out of the
// binary with no key, each with its Content-Type, ETag (If-None-Match -> 304) and the strict
// Content-Security-Policy; every module the page imports is served; nothing is fetched from
// another origin; /_ redirects and an unknown path is 404. And GET /admin/v1/info, the
// overview's facts: the service role's alone, with what the other APIs say too.
#include <doctest/doctest.h>
#include <openssl/sha.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "tests/e2e/support/server_process.h"

namespace ib::e2e {
namespace {

using nlohmann::json;

constexpr const char* kPolicy =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "media-src 'self' blob:; connect-src 'self'; base-uri 'none'; form-action 'none'; "
    "frame-ancestors 'none'";

// A keyless GET (no apikey, no Authorization), as a browser loads a page.
Reply Keyless(const ServerProcess& s, const std::string& path, httplib::Headers headers = {}) {
  return s.Send("GET", path, "", "", std::move(headers));
}

void CheckPageHeaders(const Reply& r) {
  CHECK(r.header("Content-Security-Policy") == kPolicy);
  CHECK(r.header("X-Content-Type-Options") == "nosniff");
  CHECK(r.header("Referrer-Policy") == "no-referrer");
}

// The relative module paths a script imports, statically or with import().
std::vector<std::string> ImportsOf(const std::string& script) {
  std::vector<std::string> out;
  static const std::regex kImport(R"((?:from\s+|import\s*\(\s*)'(\.{1,2}/[^']+)')");
  for (auto it = std::sregex_iterator(script.begin(), script.end(), kImport);
       it != std::sregex_iterator(); ++it) {
    out.push_back((*it)[1]);
  }
  return out;
}

std::string HexSha256(const std::string& bytes) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(), digest);
  static const char* kHex = "0123456789abcdef";
  std::string out;
  for (unsigned char b : digest) {
    out += kHex[b >> 4];
    out += kHex[b & 15];
  }
  return out;
}

// `relative` ("./x.js", "../x.js") resolved against the module at `base` ("views/a.js").
std::string Resolve(const std::string& base, std::string relative) {
  std::string dir = base.substr(0, base.rfind('/') + 1);
  if (base.find('/') == std::string::npos) dir.clear();
  while (relative.rfind("../", 0) == 0) {
    relative.erase(0, 3);
    dir.pop_back();
    dir = dir.substr(0, dir.rfind('/') + 1);
  }
  if (relative.rfind("./", 0) == 0) relative.erase(0, 2);
  return dir + relative;
}

}  // namespace

TEST_CASE("dashboard: the page, styles and icon are served keyless with types and the CSP") {
  ServerProcess server;
  const Reply page = Keyless(server, "/_/");
  REQUIRE(page.status == 200);
  CHECK(page.header("Content-Type") == "text/html; charset=utf-8");
  CheckPageHeaders(page);
  CHECK(page.header("Cache-Control") == "no-cache");
  CHECK(std::regex_match(page.header("ETag"), std::regex(R"("[0-9a-f]{32}")")));
  CHECK(page.body.find(R"(<script type="module" src="app.js"></script>)") != std::string::npos);
  // No inline script or style and nothing from another origin: the CSP would refuse them.
  CHECK_FALSE(std::regex_search(page.body, std::regex(R"(<script(?![^>]*\bsrc=))")));
  CHECK(page.body.find("<style") == std::string::npos);
  CHECK(page.body.find(" style=") == std::string::npos);
  CHECK(page.body.find("=\"http") == std::string::npos);
  CHECK(page.body.find("=\"//") == std::string::npos);
  // index.html is also the answer for its own name.
  CHECK(Keyless(server, "/_/index.html").body == page.body);

  const Reply css = Keyless(server, "/_/app.css");
  CHECK(css.status == 200);
  CHECK(css.header("Content-Type") == "text/css; charset=utf-8");
  CheckPageHeaders(css);
  const Reply icon = Keyless(server, "/_/favicon.svg");
  CHECK(icon.status == 200);
  CHECK(icon.header("Content-Type") == "image/svg+xml");
  CHECK(icon.body.rfind("<svg", 0) == 0);
}

TEST_CASE("dashboard: every module the page imports is served as JavaScript, none remote") {
  ServerProcess server;
  std::set<std::string> seen;
  std::vector<std::string> queue = {"app.js"};
  while (!queue.empty()) {
    const std::string path = queue.back();
    queue.pop_back();
    if (!seen.insert(path).second) continue;
    CAPTURE(path);
    const Reply r = Keyless(server, "/_/" + path);
    REQUIRE(r.status == 200);
    CHECK(r.header("Content-Type") == "text/javascript; charset=utf-8");
    CheckPageHeaders(r);
    CHECK(r.body.find("https://") == std::string::npos);
    CHECK(r.body.find("innerHTML") == std::string::npos);
    for (const std::string& imported : ImportsOf(r.body)) queue.push_back(Resolve(path, imported));
  }
  // The entry point, its helpers and one module per view.
  CHECK(seen.count("api.js") == 1);
  CHECK(seen.count("views/overview.js") == 1);
  CHECK(seen.count("views/backup.js") == 1);
  CHECK(seen.size() >= 6);
}

TEST_CASE("dashboard: every file of dashboard/ is served byte for byte, tagged by its hash") {
  ServerProcess server;
  int files = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(IB_DASHBOARD_DIR)) {
    const std::string ext = entry.path().extension().string();
    if (!entry.is_regular_file() ||
        (ext != ".html" && ext != ".css" && ext != ".js" && ext != ".svg")) {
      continue;
    }
    const std::string path =
        std::filesystem::relative(entry.path(), IB_DASHBOARD_DIR).generic_string();
    CAPTURE(path);
    std::ifstream in(entry.path(), std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const Reply r = Keyless(server, "/_/" + path);
    REQUIRE(r.status == 200);
    CHECK(r.body == bytes);
    CHECK(r.header("ETag") == "\"" + HexSha256(bytes).substr(0, 32) + "\"");
    ++files;
  }
  CHECK(files >= 10);
}

TEST_CASE("dashboard: revalidation answers 304, /_ redirects, unknown paths are 404") {
  ServerProcess server;
  const Reply page = Keyless(server, "/_/app.js");
  REQUIRE(page.status == 200);
  const std::string etag = page.header("ETag");
  const Reply again = Keyless(server, "/_/app.js", {{"If-None-Match", etag}});
  CHECK(again.status == 304);
  CHECK(again.body.empty());
  CHECK(again.header("ETag") == etag);
  // Another file has another tag, and a stale tag gets the file.
  CHECK(Keyless(server, "/_/app.css").header("ETag") != etag);
  CHECK(Keyless(server, "/_/app.js", {{"If-None-Match", "\"stale\""}}).status == 200);

  const Reply bare = Keyless(server, "/_");
  CHECK(bare.status == 308);
  CHECK(bare.header("Location") == "/_/");

  for (const char* path : {"/_/nope.js", "/_/views", "/_/views/", "/_/views/../app.js",
                           "/_//app.js", "/_/APP.JS", "/_/app.js.map"}) {
    CAPTURE(path);
    const Reply r = Keyless(server, path);
    CHECK(r.status == 404);
    CheckPageHeaders(r);
  }
  // HEAD answers like GET without the body.
  const Reply head = server.Send("HEAD", "/_/", "");
  CHECK(head.status == 200);
  CHECK(head.body.empty());
  CHECK(head.header("Content-Type") == "text/html; charset=utf-8");
}

TEST_CASE("admin info: the service role's alone") {
  ServerProcess server(FastPasswords());
  const std::string user = ServerProcess::Token("authenticated", server.CreateUser("u@e.com"));
  CHECK(Keyless(server, "/admin/v1/info").status == 401);
  CHECK(server.Send("GET", "/admin/v1/info", server.anon_key()).status == 401);
  CHECK(server.Send("GET", "/admin/v1/info", "not-a-key").status == 401);
  const Reply refused = server.Send("GET", "/admin/v1/info", user);
  CHECK(refused.status == 403);
  CHECK(refused.json()["code"] == "42501");
  CHECK(refused.body.find(server.anon_key()) == std::string::npos);
  // Positive control: the service key.
  CHECK(server
            .Send("GET", "/admin/v1/info", server.service_key(), "",
                  {{"apikey", server.service_key()}})
            .status == 200);
}

TEST_CASE("admin info: version, uptime, the anon key, database and storage sizes") {
  ServerProcess server;
  const httplib::Headers key = {{"apikey", server.service_key()}};
  const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  const Reply first = server.Send("GET", "/admin/v1/info", server.service_key(), "", key);
  REQUIRE(first.status == 200);
  CHECK(first.header("Content-Type") == "application/json; charset=utf-8");
  const json info = first.json();
  CHECK(info["version"] == IB_VERSION_FOR_TESTS);
  CHECK(info["schema_version"] == Keyless(server, "/health").json()["schema_version"]);
  CHECK(info["anon_key"] == server.anon_key());
  CHECK(info["started_at"].get<long long>() <= now + 1);
  CHECK(info["started_at"].get<long long>() >= now - 60);
  CHECK(info["uptime_seconds"].get<long long>() >= 0);
  CHECK(info["uptime_seconds"].get<long long>() < 60);
  CHECK(info["database"]["path"] == server.db_path());
  CHECK(info["database"]["bytes"].get<long long>() > 0);
  CHECK(info["database"]["wal_bytes"].get<long long>() >= 0);
  CHECK(info["storage"]["objects"] == 0);
  CHECK(info["storage"]["bytes"] == 0);

  // An upload shows in the storage figures.
  const std::string audio(12345, 'a');
  httplib::Headers upload = key;
  upload.emplace("Content-Type", "audio/wav");
  REQUIRE(server
              .Send("POST", "/storage/v1/object/interview-audio/u/a.wav", server.service_key(),
                    audio, upload)
              .status == 200);
  const json after = server.Send("GET", "/admin/v1/info", server.service_key(), "", key).json();
  CHECK(after["storage"]["objects"] == 1);
  CHECK(after["storage"]["bytes"] == 12345);
}

}  // namespace ib::e2e

namespace ib::e2e {

TEST_CASE("admin users: filter finds users by a part of the email or full name") {
  ServerProcess server(FastPasswords());
  server.CreateUser("alice@example.com", "secret123", {{"full_name", "Alice Liddell"}});
  server.CreateUser("bob@example.com", "secret123", {{"full_name", "Robert Paulson"}});
  server.CreateUser("carol_1@sample.org");
  const httplib::Headers key = {{"apikey", server.service_key()}};
  auto emails = [&](const std::string& filter) {
    const Reply r = server.Send("GET", "/auth/v1/admin/users?filter=" + Encode(filter),
                                server.service_key(), "", key);
    REQUIRE(r.status == 200);
    std::set<std::string> out;
    const json body = r.json();  // named: the loop must not read a destroyed temporary
    for (const auto& user : body["users"]) out.insert(user["email"].get<std::string>());
    CHECK(r.header("X-Total-Count") == std::to_string(out.size()));
    return out;
  };
  CHECK(emails("") ==
        std::set<std::string>{"alice@example.com", "bob@example.com", "carol_1@sample.org"});
  CHECK(emails("ALICE") == std::set<std::string>{"alice@example.com"});
  CHECK(emails("example.com") == std::set<std::string>{"alice@example.com", "bob@example.com"});
  CHECK(emails("paulson") == std::set<std::string>{"bob@example.com"});
  CHECK(emails("l_1") == std::set<std::string>{"carol_1@sample.org"});
  CHECK(emails("o_b").empty());  // '_' is no wildcard
  CHECK(emails("%").empty());
  CHECK(emails("' OR 1=1 --").empty());
  // Bounded, and the service role's alone like the rest of the admin API.
  CHECK(server
            .Send("GET", "/auth/v1/admin/users?filter=" + std::string(257, 'a'),
                  server.service_key(), "", key)
            .status == 400);
  CHECK(server.Send("GET", "/auth/v1/admin/users?filter=alice", server.anon_key()).status == 403);
}

}  // namespace ib::e2e
