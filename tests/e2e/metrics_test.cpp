// GET /metrics on the real binary: the scrape parses with Prometheus' own parser (the Python
// prometheus_client from Debian, tests/e2e/support/parse_metrics.py), and its counters move
// with the requests made between two scrapes (routes as patterns, a 404, a 401, an upload, a
// rate-limited sign-up). Who may scrape: keyless from loopback, the service_role key from
// anywhere; a wrong key, the anon key, a user's token and a proxied keyless scrape are refused,
// as is a keyless scrape over a non-loopback address of this machine.
#include <arpa/inet.h>
#include <doctest/doctest.h>
#include <ifaddrs.h>
#include <netinet/in.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <optional>
#include <string>
#include <thread>

#include "tests/e2e/support/server_process.h"
#include "tests/e2e/support/storage_client.h"

namespace ib::e2e {
namespace {

using nlohmann::json;

// Every sample of a scrape: "name{label=value,...}" (labels sorted) -> value.
struct Scrape {
  json families;
  double Value(const std::string& name, const json& labels = json::object()) const {
    for (const auto& family : families) {
      for (const auto& sample : family["samples"]) {
        if (sample["name"] == name && sample["labels"] == labels) {
          return sample["value"].is_number() ? sample["value"].get<double>() : -1;
        }
      }
    }
    return 0;  // a series not yet seen counts as 0
  }
  bool Has(const std::string& name, const json& labels) const {
    for (const auto& family : families) {
      for (const auto& sample : family["samples"]) {
        if (sample["name"] == name && sample["labels"] == labels) return true;
      }
    }
    return false;
  }
};

// Parses `text` with the real exposition-format parser; fails the test when it does not parse.
Scrape Parse(const std::string& text, const std::string& dir) {
  const std::string file = dir + "/scrape.txt";
  std::ofstream(file) << text;
  const std::string command =
      std::string("/usr/bin/python3 ") + IB_METRICS_PARSER + " " + file + " 2>&1";
  FILE* pipe = popen(command.c_str(), "r");
  REQUIRE(pipe != nullptr);
  std::string out;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, pipe)) > 0) out.append(buf, n);
  const int status = pclose(pipe);
  INFO("parser said: " << out);
  REQUIRE(status == 0);
  Scrape scrape{json::parse(out)};
  // Every family was declared with HELP and TYPE (an undeclared one parses as "unknown").
  for (const auto& family : scrape.families) {
    CAPTURE(family["name"].get<std::string>());
    CHECK(family["type"] != "unknown");
    CHECK_FALSE(family["help"].get<std::string>().empty());
  }
  return scrape;
}

Scrape ScrapeOk(const ServerProcess& s) {
  const Reply r = s.Send("GET", "/metrics", "");
  REQUIRE(r.status == 200);
  CHECK(r.header("Content-Type") == "text/plain; version=0.0.4; charset=utf-8");
  return Parse(r.body, s.dir());
}

// A scrape taken once no other request is in flight. A request is counted once its last byte
// is sent, so the client may hold its answer a moment before the count moves.
Scrape SettledScrape(const ServerProcess& s) {
  for (int i = 0; i < 100; ++i) {
    Scrape scrape = ScrapeOk(s);
    if (scrape.Value("ib_http_requests_in_flight") == 1) return scrape;  // the scrape itself
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  FAIL("requests stayed in flight");
  return Scrape{};
}

json Requests(const std::string& service, const std::string& method, const std::string& route,
              const std::string& status) {
  return {{"service", service}, {"method", method}, {"route", route}, {"status", status}};
}

// An IPv4 address of this machine that is not loopback, if it has one.
std::optional<std::string> NonLoopbackAddress() {
  ifaddrs* list = nullptr;
  if (getifaddrs(&list) != 0) return std::nullopt;
  std::optional<std::string> found;
  for (ifaddrs* a = list; a != nullptr && !found; a = a->ifa_next) {
    if (a->ifa_addr == nullptr || a->ifa_addr->sa_family != AF_INET) continue;
    char text[INET_ADDRSTRLEN] = {};
    inet_ntop(AF_INET, &reinterpret_cast<sockaddr_in*>(a->ifa_addr)->sin_addr, text, sizeof text);
    if (std::string(text).rfind("127.", 0) != 0) found = text;
  }
  freeifaddrs(list);
  return found;
}

}  // namespace

TEST_CASE("metrics: a scrape parses and its counters follow the requests made") {
  Storage st(FastPasswords({"--signups-per-ip", "1"}));
  const ServerProcess& s = st.server;
  const Scrape before = SettledScrape(s);

  for (int i = 0; i < 3; ++i) {
    REQUIRE(s.Send("GET", "/rest/v1/interview_sessions?select=id", s.anon_key()).status == 200);
  }
  CHECK(s.Send("GET", "/rest/v1/no_such_table", s.anon_key()).status == 404);
  CHECK(s.Send("GET", "/no/such/route", "").status == 404);
  const Reply no_key = s.Send("GET", "/rest/v1/interview_sessions", "");
  CHECK(no_key.status == 401);
  const std::string bytes(1000, 'x');
  REQUIRE(st.Upload(st.S(), kAudioBucket, "metrics/a.bin", bytes, "application/octet-stream",
                    {{"apikey", st.S()}})
              .status == 200);
  const std::string signup = R"({"email":"m@example.com","password":"secret1"})";
  CHECK(s.Send("POST", "/auth/v1/signup", s.anon_key(), signup).status == 200);
  CHECK(s.Send("POST", "/auth/v1/signup", s.anon_key(),
               R"({"email":"n@example.com","password":"secret1"})")
            .status == 429);

  const Scrape after = SettledScrape(s);
  auto delta = [&](const std::string& name, const json& labels) {
    return after.Value(name, labels) - before.Value(name, labels);
  };
  const std::string total = "ib_http_requests_total";
  CHECK(delta(total, Requests("rest", "GET", "/rest/v1/{}", "200")) == 3);
  CHECK(delta(total, Requests("rest", "GET", "/rest/v1/{}", "404")) == 1);
  CHECK(delta(total, Requests("rest", "GET", "/rest/v1/{}", "401")) == 1);
  CHECK(delta(total, Requests("other", "GET", "-", "404")) == 1);
  CHECK(delta(total, Requests("storage", "POST", "/storage/v1/object/{}/{}", "200")) == 1);
  CHECK(delta(total, Requests("auth", "POST", "/auth/v1/signup", "200")) == 1);
  CHECK(delta(total, Requests("auth", "POST", "/auth/v1/signup", "429")) == 1);
  // The scrapes before are counted by the last.
  CHECK(delta(total, Requests("metrics", "GET", "/metrics", "200")) >= 1);
  // The raw paths never become labels.
  CHECK_FALSE(after.Has(total, Requests("rest", "GET", "/rest/v1/interview_sessions", "200")));
  CHECK_FALSE(after.Has(total, Requests("other", "GET", "/no/such/route", "404")));

  const json rest_get = {{"service", "rest"}, {"method", "GET"}, {"route", "/rest/v1/{}"}};
  CHECK(delta("ib_http_request_duration_seconds_count", rest_get) == 5);
  json inf = rest_get;
  inf["le"] = "+Inf";
  CHECK(after.Value("ib_http_request_duration_seconds_bucket", inf) ==
        after.Value("ib_http_request_duration_seconds_count", rest_get));
  CHECK(delta("ib_http_request_duration_seconds_sum", rest_get) > 0);

  CHECK(delta("ib_rate_limit_refusals_total", {{"service", "auth"}}) == 1);
  CHECK(after.Value("ib_http_connections_open") >= 1);
  CHECK(after.Value("ib_realtime_sockets_open") == 0);
  CHECK(delta("ib_storage_objects", json::object()) == 1);
  CHECK(delta("ib_storage_bytes", json::object()) == 1000);
  CHECK(after.Value("ib_db_size_bytes") > 0);
  CHECK(after.Value("ib_db_wal_size_bytes") > 0);
  CHECK(delta("ib_db_commit_batches_total", json::object()) >= 2);  // upload, sign-up
  CHECK(delta("ib_db_writes_total", json::object()) >=
        delta("ib_db_commit_batches_total", json::object()));
  CHECK(after.Value("ib_build_info", {{"version", IB_VERSION_FOR_TESTS}}) == 1);
}

TEST_CASE("metrics: only loopback without a key, or the service_role key, may scrape") {
  ServerProcess s;
  // Allowed: keyless from loopback; the service key as apikey, and as a bearer.
  CHECK(s.Send("GET", "/metrics", "").status == 200);
  CHECK(s.Send("GET", "/metrics", "", "", {{"apikey", s.service_key()}}).status == 200);
  CHECK(s.Send("GET", "/metrics", s.service_key(), "", {{"apikey", s.service_key()}}).status ==
        200);
  CHECK(s.Send("GET", "/metrics", s.service_key()).status == 200);  // apikey = anon key
  // A bearer alone (what Prometheus' `authorization` setting sends) stands in for the apikey.
  httplib::Client cli("127.0.0.1", s.port());
  auto bearer_only = cli.Get("/metrics", {{"Authorization", "Bearer " + s.service_key()}});
  REQUIRE(bearer_only);
  CHECK(bearer_only->status == 200);
  auto anon_bearer_only = cli.Get("/metrics", {{"Authorization", "Bearer " + s.anon_key()}});
  REQUIRE(anon_bearer_only);
  CHECK(anon_bearer_only->status == 401);
  auto wrong_bearer_only = cli.Get("/metrics", {{"Authorization", "Bearer not-a-key"}});
  REQUIRE(wrong_bearer_only);
  CHECK(wrong_bearer_only->status == 401);

  // A key that is sent is checked, even from loopback.
  const Reply wrong = s.Send("GET", "/metrics", "", "", {{"apikey", "not-a-key"}});
  CHECK(wrong.status == 401);
  CHECK(wrong.json().contains("code"));
  CHECK(wrong.json().contains("message"));
  CHECK(wrong.body.find("ib_http_requests_total") == std::string::npos);
  const Reply anon = s.Send("GET", "/metrics", "", "", {{"apikey", s.anon_key()}});
  CHECK(anon.status == 401);
  CHECK(anon.json()["code"] == "42501");
  const std::string user =
      ServerProcess::Token("authenticated", "0f3c2a1e-7b7d-4c55-9a51-2f6d6f0e9d11");
  CHECK(s.Send("GET", "/metrics", user).status == 403);
  // Through a proxy on this host every client looks local: a forwarded keyless scrape needs
  // the key, and gets in with it.
  CHECK(s.Send("GET", "/metrics", "", "", {{"X-Forwarded-For", "203.0.113.9"}}).status == 401);
  CHECK(s.Send("GET", "/metrics", "", "", {{"Forwarded", "for=203.0.113.9"}}).status == 401);
  CHECK(s.Send("GET", "/metrics", "", "",
               {{"X-Forwarded-For", "203.0.113.9"}, {"apikey", s.service_key()}})
            .status == 200);
}

TEST_CASE("metrics: a keyless scrape over a non-loopback address is refused") {
  const std::optional<std::string> address = NonLoopbackAddress();
  if (!address) {
    MESSAGE(
        "this machine has no non-loopback IPv4 address; KeylessScrapeAllowed's unit test "
        "covers the decision");
    return;
  }
  ServerProcess s({"--host", "0.0.0.0"});
  httplib::Client cli(*address, s.port());
  cli.set_read_timeout(10, 0);
  auto keyless = cli.Get("/metrics");
  REQUIRE(keyless);
  CHECK(keyless->status == 401);
  CHECK(json::parse(keyless->body)["code"] == "PGRST301");  // no API key found
  auto keyed = cli.Get("/metrics", {{"apikey", s.service_key()}});
  REQUIRE(keyed);
  CHECK(keyed->status == 200);
  CHECK(keyed->body.find("ib_http_requests_total") != std::string::npos);
  // The same server, over loopback, keyless.
  CHECK(s.Send("GET", "/metrics", "").status == 200);
}

}  // namespace ib::e2e
