// /rest/v1 requests shaped to hurt (docs/limits.md, docs/wire.md): hostile regular
// expressions, statements past SQLite's limits, deep embeds, bad JSON path keys. Each is a
// quick 4xx with its Postgres or PostgREST code, never a 5xx, and each has a positive control:
// the same shape within the bound still works.
#include <doctest/doctest.h>

#include <chrono>

#include "tests/e2e/support/server_process.h"

using ib::e2e::Encode;
using ib::e2e::Repeat;
using ib::e2e::Reply;
using ib::e2e::ServerProcess;
using nlohmann::json;
using Clock = std::chrono::steady_clock;

namespace {

struct LimitsFixture {
  ServerProcess server{{"--password-cost", "minimal"}};
  std::string uid = server.CreateUser("limits@example.com");
  std::string user_token = ServerProcess::Token("authenticated", uid);

  Reply Call(const std::string& method, const std::string& path, const std::string& body = "",
             const std::string& bearer = "") const {
    httplib::Headers h = {{"apikey", server.anon_key()}, {"Prefer", "return=representation"}};
    return server.Send(method, path, bearer.empty() ? user_token : bearer, body, h);
  }
  Reply Get(const std::string& query) const {
    return Call("GET", "/rest/v1/interview_sessions?" + query);
  }
  void AddSession(const std::string& title, const std::string& description = "") const {
    json row = {{"user_id", uid}, {"title", title}, {"description", description}};
    REQUIRE(Call("POST", "/rest/v1/interview_sessions", row.dump()).status == 201);
  }
};

std::string List(const std::string& item, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += (i ? "," : "") + item;
  return out;
}

// A chain of `depth` embeds, alternating sessions -> feedback -> session -> ...
std::string EmbedChain(int depth) {
  std::string inner = "id";
  for (int i = depth - 1; i >= 0; --i) {
    inner = std::string(i % 2 == 0 ? "interview_feedback" : "interview_sessions") + "(id," + inner +
            ")";
  }
  return "id," + inner;
}

// (and(<leaf>,or(<leaf>,...<leaf>))): a logic tree `depth` levels deep.
std::string NestedLogic(int depth, const std::string& leaf = "title.eq.t") {
  return "(" + Repeat("and(" + leaf + ",or(" + leaf + ",", depth / 2) + leaf +
         Repeat("))", depth / 2) + ")";
}

void CheckRefused(const Reply& r, int status, const std::string& code) {
  CAPTURE(r.body.substr(0, 300));
  CHECK(r.status == status);
  if (r.status == status) CHECK(r.json()["code"] == code);
}

}  // namespace

TEST_CASE("rest limits: match and imatch run in linear time with Postgres' defaults") {
  LimitsFixture f;
  f.AddSession(std::string(40, 'a'));
  f.AddSession("first line\nsecond line", std::string(10000, 'x') + "needle");

  // A pattern that backtracks exponentially in a backtracking engine: minutes there.
  auto start = Clock::now();
  Reply slow = f.Get("select=title&title=" + Encode("match.^(a|a)+b"));
  CHECK(slow.status == 200);
  CHECK(slow.json().empty());
  CHECK(Clock::now() - start < std::chrono::seconds(5));

  CHECK(f.Get("select=id&title=" + Encode("match.^(a|a)+$")).json().size() == 1);
  CHECK(f.Get("select=id&title=" + Encode("match.^A+$")).json().empty());
  CHECK(f.Get("select=id&title=" + Encode("imatch.^A+$")).json().size() == 1);
  // `.` matches a newline, `^` and `$` only the ends of the value, as in Postgres.
  CHECK(f.Get("select=id&title=" + Encode("match.line.second")).json().size() == 1);
  CHECK(f.Get("select=id&title=" + Encode("match.line$")).json().size() == 1);
  CHECK(f.Get("select=id&title=" + Encode("match.^second")).json().empty());
  CHECK(f.Get("select=id&title=" + Encode("match.[[:digit:]]|\\d")).json().empty());
  CHECK(f.Get("select=id&title=" + Encode("not.match.^a")).json().size() == 1);
  // Long values are matched whole (no subject cap).
  CHECK(f.Get("select=id&description=" + Encode("match.^x+needle$")).json().size() == 1);
  // Regex filters inside logic trees.
  CHECK(f.Get("select=id&or=" + Encode("(title.match.^a+$,title.imatch.^FIRST)")).json().size() ==
        2);
}

TEST_CASE("rest limits: a pattern RE2 cannot take is 400 2201B and changes nothing") {
  LimitsFixture f;
  f.AddSession("abc");
  CheckRefused(f.Get("title=" + Encode("match.(a")), 400, "2201B");
  CheckRefused(f.Get("title=" + Encode("imatch.[b-a]")), 400, "2201B");
  // Back-references and look-ahead have no linear-time implementation.
  CheckRefused(f.Get("title=" + Encode("match.(a)\\1")), 400, "2201B");
  CheckRefused(f.Get("title=" + Encode("match.a(?=b)")), 400, "2201B");
  CheckRefused(f.Get("or=" + Encode("(title.match.(a,title.eq.abc)")), 400, "2201B");
  // The pattern bound: 1,024 bytes are taken, 1,025 refused.
  CHECK(f.Get("title=" + Encode("match." + std::string(1024, 'a'))).status == 200);
  CheckRefused(f.Get("title=" + Encode("match." + std::string(1025, 'a'))), 400, "2201B");
  // RE2's own program-size bound.
  CheckRefused(f.Get("title=" + Encode("match.((a{100}){100}){100}")), 400, "2201B");

  // A write with a bad pattern writes nothing; with a good one it writes.
  Reply bad = f.Call("PATCH", "/rest/v1/interview_sessions?title=" + Encode("match.(a"),
                     R"({"title":"changed"})");
  CheckRefused(bad, 400, "2201B");
  CHECK(f.Get("select=title").json()[0]["title"] == "abc");
  Reply good = f.Call("PATCH", "/rest/v1/interview_sessions?title=" + Encode("match.^a.c$"),
                      R"({"title":"changed"})");
  CHECK(good.status == 200);
  CHECK(good.json().size() == 1);
  CheckRefused(f.Call("DELETE", "/rest/v1/interview_sessions?title=" + Encode("imatch.)")), 400,
               "2201B");
  Reply gone = f.Call("DELETE", "/rest/v1/interview_sessions?title=" + Encode("imatch.^CHANGED$"));
  CHECK(gone.status == 200);
  CHECK(gone.json().size() == 1);
}

TEST_CASE("rest limits: statements past SQLite's limits are 400 54001") {
  LimitsFixture f;
  f.AddSession("t");
  // Result columns: 2,000 at most in SQLite.
  CHECK(f.Get("select=" + List("id", 100)).status == 200);
  CheckRefused(f.Get("select=" + List("id", 2100)), 400, "54001");
  // An embed's columns become one json_object() call of two arguments each (127 at most).
  CHECK(f.Get("select=id,interview_feedback(" + List("id", 60) + ")").status == 200);
  CheckRefused(f.Get("select=id,interview_feedback(" + List("id", 70) + ")"), 400, "54001");
  // ORDER BY terms: 2,000 at most.
  CHECK(f.Get("select=id&order=" + List("id", 100)).status == 200);
  CheckRefused(f.Get("select=id&order=" + List("id", 2100)), 400, "54001");
  // Logic trees nest their SQL: 10 levels are served, 30 pass the parser's stack.
  CHECK(f.Get("or=" + Encode(NestedLogic(10))).status == 200);
  CheckRefused(f.Get("or=" + Encode(NestedLogic(30))), 400, "54001");
}

TEST_CASE("rest limits: embeds nest 5 levels at most, with a clear 400") {
  LimitsFixture f;
  f.AddSession("t");
  for (const auto& bearer : {f.user_token, f.server.service_key()}) {
    Reply ok = f.Call("GET", "/rest/v1/interview_sessions?select=" + EmbedChain(5), "", bearer);
    CAPTURE(ok.body.substr(0, 300));
    CHECK(ok.status == 200);
    for (int depth : {6, 25}) {
      Reply r =
          f.Call("GET", "/rest/v1/interview_sessions?select=" + EmbedChain(depth), "", bearer);
      CheckRefused(r, 400, "54001");
      CHECK(r.json()["details"].get<std::string>().find("at most 5") != std::string::npos);
    }
  }
  // A deep embed in a write's representation is refused before anything is written.
  Reply w = f.Call("POST", "/rest/v1/interview_sessions?select=" + EmbedChain(6),
                   json({{"user_id", f.uid}, {"title", "deep"}}).dump());
  CheckRefused(w, 400, "54001");
  CHECK(f.Get("title=eq.deep").json().empty());
}

TEST_CASE("rest limits: JSON path keys with control characters are 400 PGRST100") {
  LimitsFixture f;
  f.AddSession("t");
  CHECK(f.Get("select=id,metadata->>a").status == 200);
  CHECK(f.Get("select=id&metadata->>a=eq.1").status == 200);
  for (const std::string& key : {std::string("a\0b", 3), std::string("\x01"), std::string("a\nb"),
                                 std::string("a\"b"), std::string("\x7f")}) {
    CheckRefused(f.Get("select=id,metadata->>" + Encode(key)), 400, "PGRST100");
    CheckRefused(f.Get("select=id&metadata->" + Encode(key) + "=eq.1"), 400, "PGRST100");
    CheckRefused(f.Get("select=id&order=metadata->>" + Encode(key)), 400, "PGRST100");
  }
  // Unicode keys and values are fine.
  CHECK(f.Get("select=id,metadata->>" + Encode("日本") + "&title=eq." + Encode("é")).status == 200);
}

TEST_CASE("rest limits: hostile numbers, lists and trees are 4xx or served") {
  LimitsFixture f;
  f.AddSession("t");
  CHECK(f.Get("limit=9223372036854775807&offset=9223372036854775807").status == 200);
  CheckRefused(f.Get("limit=99999999999999999999"), 400, "PGRST100");
  CHECK(f.Get("duration_minutes=in.(" + List("2147483647", 700) + ")").status == 200);
  CheckRefused(f.Get("duration_minutes=in.(99999999999)"), 400, "22003");
  // Logic trees on an embed, and one embedded level inside the root's tree.
  CHECK(f.Get("select=*,interview_feedback(*)&interview_feedback.or=" +
              Encode(NestedLogic(10, "overall_score.eq.1")))
            .status == 200);
  CheckRefused(f.Get("select=*,interview_feedback(*)&interview_feedback.or=" +
                     Encode(NestedLogic(40, "overall_score.eq.1"))),
               400, "54001");
  CHECK(f.Get("select=*,interview_feedback(*)&or=" +
              Encode("(interview_feedback.id.is.null,title.eq.t)"))
            .status == 200);
}

TEST_CASE("rest limits: a JSON path on a column that is not json is 404 42883, on jsonb it works") {
  LimitsFixture f;
  f.AddSession("plain text, not JSON");
  // Postgres has no `->` for varchar, text, uuid or timestamptz: refused at plan time, whether
  // a row is there to evaluate or not.
  CheckRefused(f.Get("select=title->a"), 404, "42883");
  CheckRefused(f.Get("select=created_at->>a"), 404, "42883");
  CheckRefused(f.Get("select=id&title->x=eq.1"), 404, "42883");
  CheckRefused(f.Get("select=id&order=title->x"), 404, "42883");
  CheckRefused(f.Call("DELETE", "/rest/v1/interview_sessions?title->>x=eq.1"), 404, "42883");
  CHECK(f.Get("select=title").json().size() == 1);  // the DELETE removed nothing
  // Positive control: the same paths on the jsonb column.
  Reply ok = f.Get("select=metadata->a,questions->0&metadata->>a=is.null&order=metadata->a");
  CHECK(ok.status == 200);
  CHECK(ok.json().size() == 1);
}

TEST_CASE(
    "rest limits: a body nested 100,000 deep is 400 22P02 on writes and rpc, writing nothing") {
  LimitsFixture f;
  f.AddSession("t");
  const std::string deep = Repeat("[", 100'000) + Repeat("]", 100'000);
  auto check_too_deep = [](const Reply& r) {
    CheckRefused(r, 400, "22P02");
    if (r.status == 400) {
      CHECK(r.json()["details"] == "The input is nested more than 512 levels deep.");
    }
  };
  check_too_deep(f.Call("POST", "/rest/v1/interview_sessions", deep));
  check_too_deep(f.Call("PATCH", "/rest/v1/interview_sessions?title=eq.t", deep));
  check_too_deep(f.Call("POST", "/rest/v1/rpc/get_leaderboard", deep));
  check_too_deep(f.Call("POST", "/rest/v1/rpc/get_leaderboard", R"({"p_limit":)" + deep + "}"));
  // One level past the bound inside a jsonb value: the whole body is 513 deep.
  const json row = {{"user_id", f.uid}, {"title", "nested"}};
  std::string over = row.dump();
  over.insert(over.size() - 1, R"(,"metadata":)" + Repeat("[", 512) + Repeat("]", 512));
  check_too_deep(f.Call("POST", "/rest/v1/interview_sessions", over));
  CHECK(f.Get("select=title").json() == json::array({{{"title", "t"}}}));
  // Malformed bodies keep their PGRST102.
  for (const auto& path : {"/rest/v1/interview_sessions", "/rest/v1/rpc/get_leaderboard"}) {
    Reply bad = f.Call("POST", path, R"({"p_limit":)");
    CheckRefused(bad, 400, "PGRST102");
    CHECK(bad.json()["message"] == "Empty or invalid json");
  }

  // Positive controls: 512 levels in all are taken, and the same routes serve plain bodies.
  std::string within = row.dump();
  within.insert(within.size() - 1,
                R"(,"metadata":{"a":)" + Repeat("[", 510) + Repeat("]", 510) + "}");
  Reply created = f.Call("POST", "/rest/v1/interview_sessions", within);
  CAPTURE(created.body.substr(0, 300));
  CHECK(created.status == 201);
  CHECK(f.Call("PATCH", "/rest/v1/interview_sessions?title=eq.t", R"({"title":"u"})").status ==
        200);
  CHECK(f.Call("POST", "/rest/v1/rpc/get_leaderboard", R"({"p_limit":5})").status == 200);
  CHECK(f.Get("select=title&order=title").json() ==
        json::array({{{"title", "nested"}}, {{"title", "u"}}}));
}
