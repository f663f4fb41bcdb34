// RestEngine driven in process: RestRequest -> RestResponse on a fresh in-memory database for
// every action, the renderer's shapes, rollback of a refused write, and which hooks a write
// fired (asserted like PocketBase's ExpectedEvents).
#include "server/rest/engine.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "storage/error.h"
#include "storage/hooks/fired_trace.h"
#include "storage/rpc/rpc.h"
#include "storage/unit_of_work.h"
#include "tests/support/test_db.h"

namespace {

using ib::rest::RestRequest;
using ib::rest::RestResponse;
using ib::storage::Principal;
using nlohmann::json;
using Params = std::vector<std::pair<std::string, std::string>>;

const ib::storage::RequestClock kClock{1'700'000'000'000'000};

// The catalog as the server loads it: set-returning RPCs' rows as virtual tables.
std::shared_ptr<const ib::storage::Catalog> WithFunctionShapes(ib::testing::TestDb& t) {
  std::vector<ib::storage::VirtualTableSpec> shapes;
  for (const auto& fn : ib::storage::rpc::AllFunctions()) {
    if (fn.returns != ib::storage::rpc::Returns::kSetOf) continue;
    ib::storage::VirtualTableSpec spec{fn.name, {}};
    for (const auto& col : fn.columns) spec.columns.emplace_back(col.name, col.declared_type);
    shapes.push_back(std::move(spec));
  }
  return ib::storage::Catalog::Load(t.conn(), shapes);
}

struct Engine {
  ib::testing::TestDb t;
  ib::rest::RestEngine engine{t.db(), WithFunctionShapes(t), {}};
  std::string alice = NewUser("alice@example.com");
  std::string bob = NewUser("bob@example.com");

  // An auth user written through the RowWriter, so handle_new_user gives it a profile.
  std::string NewUser(const std::string& email) {
    return t.db().Write(ib::testing::Service(), kClock, [&](ib::storage::WriteScope& scope) {
      int64_t rowid = scope.writer().Insert("auth_users", {{"email", email}});
      return std::get<std::string>(scope.writer().Read("auth_users", rowid)->at("id"));
    });
  }
  RestResponse Call(const Principal& who, const std::string& method, const std::string& resource,
                    Params params = {}, const std::string& body = "",
                    std::vector<std::string> prefer = {}, const std::string& accept = "") {
    RestRequest r;
    r.method = method;
    r.resource = resource;
    r.params = std::move(params);
    r.body = body;
    r.prefer = std::move(prefer);
    r.accept = accept;
    return engine.Handle(r, who, kClock);
  }
  RestResponse Rpc(const Principal& who, const std::string& fn, const json& args) {
    RestRequest r;
    r.method = "POST";
    r.resource = fn;
    r.rpc = true;
    r.body = args.dump();
    return engine.Handle(r, who, kClock);
  }
  std::string Session(const std::string& uid, const std::string& title) {
    RestResponse r =
        Call(ib::testing::User(uid), "POST", "interview_sessions", {{"select", "id"}},
             json({{"user_id", uid}, {"title", title}}).dump(), {"return=representation"});
    REQUIRE(r.status == 201);
    return json::parse(r.body)[0]["id"];
  }
  int64_t Rows(const std::string& table) { return t.Count(table); }
};

std::string Header(const RestResponse& r, const std::string& name) {
  for (const auto& [k, v] : r.headers) {
    if (k == name) return v;
  }
  return "";
}

bool Fired(const ib::storage::hooks::FiredTrace& trace, std::string_view name) {
  const auto& n = trace.names();
  return std::find(n.begin(), n.end(), name) != n.end();
}

}  // namespace

TEST_CASE("engine: GET and HEAD answer the caller's visible rows with Content-Range") {
  Engine e;
  e.Session(e.alice, "a");
  e.Session(e.bob, "b");
  RestResponse mine =
      e.Call(ib::testing::User(e.alice), "GET", "interview_sessions", {{"select", "title"}});
  CHECK(mine.status == 200);
  CHECK(json::parse(mine.body) == json::parse(R"([{"title":"a"}])"));
  CHECK(Header(mine, "Content-Range") == "0-0/*");
  RestResponse all =
      e.Call(ib::testing::Service(), "GET", "interview_sessions",
             {{"select", "title"}, {"order", "title"}, {"limit", "1"}}, "", {"count=exact"});
  CHECK(all.status == 206);
  CHECK(Header(all, "Content-Range") == "0-0/2");
  RestResponse head = e.Call(ib::testing::User(e.alice), "HEAD", "interview_sessions");
  CHECK(head.status == 200);
  CHECK(Header(head, "Content-Range") == "0-0/*");
  CHECK(e.Call(ib::testing::Anon(), "GET", "interview_sessions").body == "[]");
}

TEST_CASE("engine: the renderer's shapes - single object, CSV, stripped nulls") {
  Engine e;
  e.Session(e.alice, "a");
  auto alice = ib::testing::User(e.alice);
  RestResponse one = e.Call(alice, "GET", "interview_sessions", {{"select", "title"}}, "", {},
                            "application/vnd.pgrst.object+json");
  CHECK(json::parse(one.body) == json::parse(R"({"title":"a"})"));
  e.Session(e.alice, "b");
  CHECK_THROWS_WITH_AS(
      e.Call(alice, "GET", "interview_sessions", {}, "", {}, "application/vnd.pgrst.object+json"),
      "Cannot coerce the result to a single JSON object", ib::storage::Error);
  RestResponse csv = e.Call(alice, "GET", "interview_sessions",
                            {{"select", "title"}, {"order", "title"}}, "", {}, "text/csv");
  CHECK(csv.body == "title\na\nb\n");
  CHECK(csv.content_type.rfind("text/csv", 0) == 0);
  RestResponse stripped = e.Call(alice, "GET", "interview_sessions",
                                 {{"select", "title,description"}, {"title", "eq.a"}}, "", {},
                                 "application/vnd.pgrst.array+json;nulls=stripped");
  CHECK(json::parse(stripped.body) == json::parse(R"([{"title":"a"}])"));
}

TEST_CASE("engine: POST single, bulk and upsert") {
  Engine e;
  auto alice = ib::testing::User(e.alice);
  json row = {{"user_id", e.alice}, {"category", "c"}, {"skill", "s"}, {"xp", 1}};
  RestResponse single = e.Call(alice, "POST", "user_progress", {}, row.dump());
  CHECK(single.status == 201);
  CHECK(single.body.empty());
  CHECK(Header(single, "Content-Range") == "*/*");
  json bulk = json::array({row, row});
  bulk[0]["skill"] = "t";
  bulk[1]["skill"] = "u";
  RestResponse many = e.Call(alice, "POST", "user_progress", {{"select", "skill"}}, bulk.dump(),
                             {"return=representation", "count=exact"});
  CHECK(many.status == 201);
  CHECK(json::parse(many.body) == json::parse(R"([{"skill":"t"},{"skill":"u"}])"));
  CHECK(Header(many, "Content-Range") == "*/2");
  row["xp"] = 7;
  RestResponse merged = e.Call(
      alice, "POST", "user_progress", {{"on_conflict", "user_id,category,skill"}, {"select", "xp"}},
      row.dump(), {"resolution=merge-duplicates", "return=representation"});
  CHECK(merged.status == 200);
  CHECK(json::parse(merged.body) == json::parse(R"([{"xp":7}])"));
  CHECK(e.Rows("user_progress") == 3);
}

TEST_CASE("engine: PATCH and DELETE touch only the guard's rows") {
  Engine e;
  std::string mine = e.Session(e.alice, "a");
  std::string theirs = e.Session(e.bob, "b");
  auto alice = ib::testing::User(e.alice);
  RestResponse patched = e.Call(alice, "PATCH", "interview_sessions", {{"title", "in.(a,b)"}},
                                R"({"description":"d"})");
  CHECK(patched.status == 204);
  CHECK(std::get<std::string>(e.t.Scalar(
            "SELECT coalesce(description, '-') FROM interview_sessions WHERE id = ?", {theirs})) ==
        "-");
  RestResponse deleted = e.Call(alice, "DELETE", "interview_sessions", {{"select", "title"}}, "",
                                {"return=representation"});
  CHECK(deleted.status == 200);
  CHECK(json::parse(deleted.body) == json::parse(R"([{"title":"a"}])"));
  CHECK(e.Rows("interview_sessions") == 1);
  CHECK(mine != theirs);
}

TEST_CASE("engine: RPC, set-returning and value") {
  Engine e;
  e.Session(e.alice, "a");
  RestResponse stats =
      e.Rpc(ib::testing::User(e.alice), "get_user_interview_stats", {{"p_user_id", e.alice}});
  CHECK(stats.status == 200);
  CHECK(json::parse(stats.body)[0]["total_interviews"] == 1);
  RestResponse refreshed = e.Rpc(ib::testing::Service(), "refresh_leaderboard", json::object());
  CHECK(refreshed.status == 204);
  CHECK_THROWS_AS(e.Rpc(ib::testing::Anon(), "refresh_leaderboard", json::object()),
                  ib::storage::Error);
}

TEST_CASE("engine: a refused write leaves no row, including its hooks' rows") {
  Engine e;
  const int64_t before = e.Rows("interview_sessions");
  json bulk = json::array(
      {{{"user_id", e.alice}, {"title", "mine"}}, {{"user_id", e.bob}, {"title", "theirs"}}});
  ib::storage::hooks::FiredTrace trace;
  CHECK_THROWS_AS(e.Call(ib::testing::User(e.alice), "POST", "interview_sessions", {}, bulk.dump()),
                  ib::storage::Error);
  // The first row was written and its hooks ran, then the guard refused the second row.
  CHECK(Fired(trace, "count_interviews_on_insert"));
  CHECK(e.Rows("interview_sessions") == before);
  CHECK(std::get<int64_t>(
            e.t.Scalar("SELECT total_interviews FROM profiles WHERE id = ?", {e.alice})) == 0);
}

TEST_CASE("row_writer: a throwing hook rolls the write back, after-commit runs once, after it") {
  Engine e;
  // handle_new_user's profile insert collides on the unique email: the hook throws.
  e.t.Exec("UPDATE profiles SET email = 'taken@example.com' WHERE email = 'bob@example.com'");
  int after_commit = 0;
  CHECK_THROWS_AS(
      e.t.db().Write(ib::testing::Service(), kClock,
                     [&](ib::storage::WriteScope& scope) {
                       scope.AfterCommit([&] { ++after_commit; });
                       scope.writer().Insert("auth_users", {{"email", "taken@example.com"}});
                     }),
      ib::storage::Error);
  CHECK(after_commit == 0);
  CHECK(e.Rows("auth_users") == 2);
  e.t.db().Write(ib::testing::Service(), kClock, [&](ib::storage::WriteScope& scope) {
    scope.AfterCommit([&] { ++after_commit; });
    scope.writer().Insert("auth_users", {{"email", "carol@example.com"}});
    CHECK(after_commit == 0);
  });
  CHECK(after_commit == 1);
  CHECK(e.Rows("auth_users") == 3);
}

TEST_CASE("engine: which hooks a PATCH fires - plain vs completion") {
  Engine e;
  std::string id = e.Session(e.alice, "a");
  auto alice = ib::testing::User(e.alice);
  {
    ib::storage::hooks::FiredTrace trace;
    e.Call(alice, "PATCH", "interview_sessions", {{"id", "eq." + id}}, R"({"title":"b"})");
    CHECK(trace.names() == std::vector<std::string>{"update_interview_sessions_updated_at",
                                                    "stamp_completed_at_on_update",
                                                    "award_completion_on_update",
                                                    "count_interviews_on_owner_change"});
  }
  ib::storage::hooks::FiredTrace trace;
  e.Call(alice, "PATCH", "interview_sessions", {{"id", "eq." + id}},
         R"({"status":"completed","overall_score":80})");
  CHECK(Fired(trace, "award_completion_on_update"));
  // The completion chain writes the owner's profile (xp, counters) through the RowWriter.
  CHECK(Fired(trace, "update_profiles_updated_at"));
  CHECK(trace.names().size() > 4);
}
