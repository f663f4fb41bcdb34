#include "storage/guards/guards.h"

#include <doctest/doctest.h>

#include "storage/executor.h"
#include "tests/support/test_db.h"

using ib::storage::guards::Command;
namespace g = ib::storage::guards;

namespace {

// Rows of `table` that `who` may see through the guard for `command`.
int64_t Visible(ib::testing::TestDb& t, const std::string& table, Command command,
                const ib::storage::Principal& who) {
  auto guard = g::Using(table, command, who, "t0");
  std::string sql = "SELECT count(*) FROM " + table + " AS t0";
  if (!guard.unrestricted()) sql += " WHERE " + guard.sql;
  return std::get<int64_t>(t.Scalar(sql, guard.params));
}

}  // namespace

TEST_CASE("guards: every table x command x role, on two users' rows") {
  ib::testing::TestDb t;
  std::string a = t.AddUser("a@example.com");
  std::string b = t.AddUser("b@example.com");
  for (const auto& uid : {a, b}) {
    t.Scalar("INSERT INTO profiles (id, email) VALUES (?, ?)", {uid, uid + "@p"});
    auto sid = std::get<std::string>(t.Scalar(
        "INSERT INTO interview_sessions (user_id, title) VALUES (?, 't') RETURNING id", {uid}));
    t.Scalar(
        "INSERT INTO interview_responses (interview_id, role, content) VALUES (?, 'user', 'x')",
        {sid});
    t.Scalar(
        "INSERT INTO interview_feedback (interview_id, user_id, overall_score) VALUES (?, ?, 1)",
        {sid, uid});
    t.Scalar("INSERT INTO voice_analytics (interview_id) VALUES (?)", {sid});
    t.Scalar("INSERT INTO practice_attempts (user_id) VALUES (?)", {uid});
    t.Scalar("INSERT INTO achievements (user_id, achievement_type, title) VALUES (?, 'x', 'X')",
             {uid});
    t.Scalar("INSERT INTO user_progress (user_id, category, skill) VALUES (?, 'c', 's')", {uid});
    t.Scalar("INSERT INTO leaderboard (user_id) VALUES (?)", {uid});
    t.Scalar("INSERT INTO streaks (user_id) VALUES (?)", {uid});
  }
  auto user_a = ib::testing::User(a);
  auto anon = ib::testing::Anon();
  auto service = ib::testing::Service();
  const char* owned[] = {
      "profiles",           "practice_attempts", "interview_sessions", "interview_responses",
      "interview_feedback", "voice_analytics",   "user_progress"};
  for (const char* table : owned) {
    for (Command c : {Command::kSelect, Command::kUpdate, Command::kDelete}) {
      CAPTURE(table);
      CAPTURE(static_cast<int>(c));
      CHECK(Visible(t, table, c, user_a) == 1);
      CHECK(Visible(t, table, c, anon) == 0);
      CHECK(Visible(t, table, c, service) == 2);
    }
  }
  // Service-written tables: own rows visible, nothing writable.
  for (const char* table : {"achievements", "streaks"}) {
    CAPTURE(table);
    CHECK(Visible(t, table, Command::kSelect, user_a) == 1);
    CHECK(Visible(t, table, Command::kUpdate, user_a) == 0);
    CHECK(Visible(t, table, Command::kDelete, user_a) == 0);
    CHECK(Visible(t, table, Command::kSelect, anon) == 0);
  }
  // The leaderboard is public, read-only.
  CHECK(Visible(t, "leaderboard", Command::kSelect, anon) == 2);
  CHECK(Visible(t, "leaderboard", Command::kSelect, user_a) == 2);
  CHECK(Visible(t, "leaderboard", Command::kUpdate, user_a) == 0);
  CHECK(Visible(t, "leaderboard", Command::kDelete, anon) == 0);
}

TEST_CASE("guards: insert checks and default deny") {
  auto user = ib::testing::User("11111111-1111-4111-8111-111111111111");
  CHECK(g::Check("interview_sessions", Command::kInsert, user, "t0").sql == "((t0.user_id = ?))");
  CHECK(g::Check("achievements", Command::kInsert, user, "t0").sql == "(0)");
  CHECK(g::Check("leaderboard", Command::kInsert, ib::testing::Anon(), "t0").sql == "(0)");
  // Every `$t` and `:uid` of a policy expanded, in order, the text around them kept.
  auto feedback = g::Check("interview_feedback", Command::kInsert, user, "t0");
  CHECK(feedback.sql ==
        "((t0.user_id = ? AND EXISTS (SELECT 1 FROM interview_sessions AS parent "
        "WHERE parent.id = t0.interview_id AND parent.user_id = ?)))");
  CHECK(feedback.params.size() == 2);
  CHECK(g::Check("profiles", Command::kInsert, ib::testing::Service(), "t0").unrestricted());
  // auth.uid() travels as a bound value, never in the SQL text.
  auto guard = g::Using("profiles", Command::kSelect, user, "t0");
  CHECK(guard.sql.find("1111") == std::string::npos);
  REQUIRE(guard.params.size() == 1);
  CHECK(std::get<std::string>(guard.params[0]) == user.user_id);
}

TEST_CASE("guards: protected columns are refused for users, allowed for the service") {
  auto user = ib::testing::User("u");
  CHECK(g::ProtectedColumnWritten("profiles", {"bio", "total_xp"}, user) ==
        std::optional<std::string>("total_xp"));
  CHECK(g::ProtectedColumnWritten("profiles", {"bio", "name"}, user) == std::nullopt);
  CHECK(g::ProtectedColumnWritten("interview_sessions", {"feedback_id"}, user) ==
        std::optional<std::string>("feedback_id"));
  CHECK(g::ProtectedColumnWritten("profiles", {"total_xp"}, ib::testing::Service()) ==
        std::nullopt);
}

TEST_CASE("guards: profiles.email is writable by a user with their own auth email only") {
  auto user = ib::testing::User("u");
  // Not refused outright: it is a condition on the new row instead.
  CHECK(g::ProtectedColumnWritten("profiles", {"email"}, user) == std::nullopt);
  auto on_insert = g::ColumnConditions("profiles", nullptr, user, "t0");
  REQUIRE(on_insert.size() == 1);
  CHECK(on_insert[0].column == "email");
  CHECK(on_insert[0].allowed.sql == "(t0.email IS (SELECT email FROM auth_users WHERE id = ?))");
  REQUIRE(on_insert[0].allowed.params.size() == 1);
  CHECK(std::get<std::string>(on_insert[0].allowed.params[0]) == user.user_id);
  // On update only when the email is written.
  const std::vector<std::string> bio = {"bio"};
  const std::vector<std::string> email = {"bio", "email"};
  CHECK(g::ColumnConditions("profiles", &bio, user, "t0").empty());
  CHECK(g::ColumnConditions("profiles", &email, user, "t0").size() == 1);
  CHECK(g::ColumnConditions("interview_sessions", nullptr, user, "t0").empty());
  CHECK(g::ColumnConditions("profiles", nullptr, ib::testing::Service(), "t0").empty());
}
