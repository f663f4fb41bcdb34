// The RPC rows of storage/rpc/registry.cpp and their implementations, run directly against a
// fresh database (the REST wrapping is covered by the e2e tests).
#include "storage/rpc/functions.h"

#include <doctest/doctest.h>

#include "storage/error.h"
#include "tests/support/gamification_fixture.h"

namespace ib::storage::rpc {
namespace {

using testing::GamificationFixture;

using Rows = std::vector<std::vector<SqlValue>>;

Rows Call(GamificationFixture& f, const char* name, CallArgs args) {
  const Function* fn = FindFunction(name);
  REQUIRE(fn != nullptr);
  const Principal who = testing::Service();
  CallContext ctx{f.db().conn(), f.db().catalog(), who, f.now, args};
  Rows rows;
  if (!fn->set_impl) {
    fn->value_impl(ctx);
    return rows;
  }
  SqlQuery q = fn->set_impl(ctx);
  Executor(f.db().conn()).Run(q, [&](const Row& r) {
    REQUIRE(r.size() == static_cast<int>(fn->columns.size()));
    std::vector<SqlValue> row;
    for (int i = 0; i < r.size(); ++i) {
      CHECK(r.name(i) == fn->columns[i].name);
      row.push_back(OwnedCopy(r[i]));
    }
    rows.push_back(std::move(row));
  });
  return rows;
}

SqlValue T(const std::string& s) { return s; }
SqlValue I(int64_t i) { return i; }

TEST_CASE("rpc registry: callers, own-id argument, defaults and result types") {
  const Function* stats = FindFunction("get_user_interview_stats");
  REQUIRE(stats);
  CHECK(stats->roles == RoleSet{Role::kAuthenticated});
  CHECK(stats->own_user_arg == "p_user_id");
  CHECK(stats->columns[0].declared_type == "bigint");
  CHECK(stats->columns[2].declared_type == "numeric");
  const Function* recent = FindFunction("get_recent_interviews_with_feedback");
  REQUIRE(recent);
  CHECK(recent->args[1].default_value == std::optional<std::string>("10"));
  const Function* board = FindFunction("get_leaderboard");
  REQUIRE(board);
  CHECK(board->roles == RoleSet{Role::kAnon, Role::kAuthenticated});
  CHECK(board->own_user_arg.empty());
  const Function* refresh = FindFunction("refresh_leaderboard");
  REQUIRE(refresh);
  CHECK(refresh->roles.empty());  // service_role only
  CHECK(refresh->writes);
  CHECK(refresh->returns == Returns::kVoid);
}

TEST_CASE("get_user_interview_stats: counts, Postgres avg text, sums and the latest date") {
  GamificationFixture f;
  const std::string u = f.AddUser("a@x.io");
  f.AddSession(u, {{"overall_score", 87.0},
                   {"duration_minutes", int64_t{30}},
                   {"created_at", T("2024-05-01T10:00:00.000000+00:00")}});
  f.AddSession(u, {{"status", T("completed")},
                   {"overall_score", 87.0},
                   {"created_at", T("2024-05-03T10:00:00.000000+00:00")}});
  f.AddSession(u, {{"status", T("completed")},
                   {"overall_score", 88.0},
                   {"duration_minutes", int64_t{15}},
                   {"created_at", T("2024-05-02T10:00:00.000000+00:00")}});
  f.AddSession(u, {{"created_at", T("2024-04-01T10:00:00.000000+00:00")}});
  Rows rows = Call(f, "get_user_interview_stats", {{{"p_user_id", u}}});
  REQUIRE(rows.size() == 1);
  CHECK(rows[0][0] == I(4));
  CHECK(rows[0][1] == I(2));
  CHECK(rows[0][2] == T("87.3333333333333333"));  // all scored sessions, not only completed
  CHECK(rows[0][3] == I(45));
  CHECK(rows[0][4] == T("2024-05-03T10:00:00.000000+00:00"));
}

TEST_CASE("get_user_interview_stats: a user without sessions gets zeros and the nulls") {
  GamificationFixture f;
  const std::string u = f.AddUser("a@x.io");
  Rows rows = Call(f, "get_user_interview_stats", {{{"p_user_id", u}}});
  REQUIRE(rows.size() == 1);
  CHECK(rows[0] == std::vector<SqlValue>{I(0), I(0), SqlValue(), SqlValue(), SqlValue()});
}

TEST_CASE("get_recent_interviews_with_feedback: newest first, left-joined, limited") {
  GamificationFixture f;
  const std::string u = f.AddUser("a@x.io");
  const std::string other = f.AddUser("b@x.io");
  const std::string old_id =
      f.AddSession(u, {{"created_at", T("2024-05-01T10:00:00.000000+00:00")}});
  const std::string new_id = f.AddSession(
      u, {{"overall_score", 71.5}, {"created_at", T("2024-05-02T10:00:00.000000+00:00")}});
  f.AddSession(other);
  auto w = f.Writer();
  w.Insert("interview_feedback", {{"interview_id", new_id},
                                  {"user_id", u},
                                  {"overall_score", 70.0},
                                  {"hiring_recommendation", T("hire")}});
  Rows rows =
      Call(f, "get_recent_interviews_with_feedback", {{{"p_user_id", u}, {"p_limit", I(10)}}});
  REQUIRE(rows.size() == 2);
  CHECK(rows[0][0] == T(new_id));
  CHECK(rows[0][4] == SqlValue(71.5));
  CHECK(std::holds_alternative<std::string>(rows[0][6]));
  CHECK(rows[0][7] == T("hire"));
  CHECK(rows[1][0] == T(old_id));
  CHECK(rows[1][6] == SqlValue());
  CHECK(rows[1][7] == SqlValue());
  CHECK(Call(f, "get_recent_interviews_with_feedback", {{{"p_user_id", u}, {"p_limit", I(1)}}})
            .size() == 1);
  CHECK(
      Call(f, "get_recent_interviews_with_feedback", {{{"p_user_id", u}, {"p_limit", SqlValue()}}})
          .size() == 2);  // LIMIT NULL: no limit
  CHECK_THROWS_AS(
      Call(f, "get_recent_interviews_with_feedback", {{{"p_user_id", u}, {"p_limit", I(-1)}}}),
      Error);
}

TEST_CASE("get_leaderboard: ordered by rank, names from profiles, username as fallback") {
  GamificationFixture f;
  const std::string a = f.AddUser("a@x.io");
  const std::string b = f.AddUser("b@x.io");
  const std::string c = f.AddUser("c@x.io", false);
  f.db().Exec("UPDATE profiles SET name = NULL, username = 'bee' WHERE email = 'b@x.io'");
  f.Complete(a, 50.0);
  f.Complete(b, 90.0);
  f.Complete(c, 70.0);
  Rows rows = Call(f, "get_leaderboard", {{{"p_limit", I(10)}}});
  REQUIRE(rows.size() == 3);
  CHECK(rows[0][0] == I(1));
  CHECK(rows[0][1] == T(b));
  CHECK(rows[0][2] == T("bee"));
  CHECK(rows[1][1] == T(c));
  CHECK(rows[1][2] == SqlValue());  // no profile: no name, no level
  CHECK(rows[1][6] == SqlValue());
  CHECK(rows[2][1] == T(a));
  CHECK(rows[2][2] == T("user a@x.io"));
  CHECK(rows[2][6] == I(2));
  CHECK(Call(f, "get_leaderboard", {{{"p_limit", I(2)}}}).size() == 2);
}

TEST_CASE("refresh_leaderboard: recomputes windows and ranks for everyone") {
  GamificationFixture f;
  const std::string a = f.AddUser("a@x.io");
  f.Complete(a, 50.0, "2024-05-09T00:00:00Z");
  f.db().Exec("UPDATE leaderboard SET weekly_score = 999");
  f.now = testing::Micros("2024-06-30T00:00:00Z");
  Call(f, "refresh_leaderboard", {});
  CHECK(f.Int("leaderboard", a, "weekly_score") == 0);
  CHECK(f.Int("leaderboard", a, "monthly_score") == 0);
  CHECK(f.Int("leaderboard", a, "total_score") == 50);
  CHECK(f.Int("leaderboard", a, "rank") == 1);
}

}  // namespace
}  // namespace ib::storage::rpc
