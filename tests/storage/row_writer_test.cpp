// RowWriter's own contract, apart from the hooks it fires (tests/storage/hooks/): finding a
// row, and writes to tables that have no hooks, which it makes without reading the row.
#include "storage/row_writer.h"

#include <doctest/doctest.h>

#include "storage/executor.h"
#include "storage/hooks/hook.h"
#include "storage/values.h"
#include "tests/support/test_db.h"

namespace ib::storage {
namespace {

constexpr int64_t kNow = 1'700'000'000'000'000;

TEST_CASE("row writer: FindRow answers the rowid and every column of the row Read answers") {
  testing::TestDb db;
  const std::string user = db.AddUser("find@x.io");
  const Principal service = testing::Service();
  RowWriter writer(db.conn(), db.catalog(), service, kNow);
  const int64_t rowid = writer.Insert("streaks", {{"user_id", user}, {"current_streak", 4}});

  auto found = writer.FindRow("streaks", "user_id", user);
  REQUIRE(found.has_value());
  CHECK(found->rowid == rowid);
  CHECK(found->row == *writer.Read("streaks", rowid));
  CHECK(hooks::IntOf(found->row, "current_streak") == 4);
  CHECK_FALSE(found->row.count("rowid"));

  CHECK_FALSE(writer.FindRow("streaks", "user_id", std::string("no-such-user")).has_value());
  CHECK_THROWS(writer.FindRow("streaks", "no_such_column", user));
}

TEST_CASE("row writer: FindRow with columns answers only those, by the same key") {
  testing::TestDb db;
  const std::string user = db.AddUser("columns@x.io");
  const Principal service = testing::Service();
  RowWriter writer(db.conn(), db.catalog(), service, kNow);
  const int64_t rowid =
      writer.Insert("streaks", {{"user_id", user}, {"current_streak", 4}, {"longest_streak", 9}});
  auto found = writer.FindRow("streaks", "user_id", user, {"longest_streak", "current_streak"});
  REQUIRE(found.has_value());
  CHECK(found->rowid == rowid);
  CHECK(found->row == hooks::RowData{{"current_streak", int64_t{4}}, {"longest_streak", 9}});
  CHECK_THROWS(writer.FindRow("streaks", "user_id", user, {"no_such_column"}));
}

TEST_CASE("row writer: the rows hooks are given hold the columns their hooks declare") {
  using hooks::Op;
  using hooks::Timing;
  // A session's update: the old row serves the completion stamp (BEFORE) and the award and
  // the owner recount (AFTER); the new row the AFTER hooks only.
  const auto before = hooks::HooksOn("interview_sessions", Op::kUpdate, Timing::kBefore);
  const auto after = hooks::HooksOn("interview_sessions", Op::kUpdate, Timing::kAfter);
  CHECK(before.see_rows);
  CHECK_FALSE(before.every_column);
  CHECK(before.columns == hooks::Reads{"status", "completed_at"});
  CHECK(after.columns == hooks::Reads{"id", "user_id", "status", "overall_score", "completed_at"});
  const auto both = hooks::ReadsOfBoth(before, after);
  CHECK(both.columns == hooks::Reads{"status", "completed_at", "id", "user_id", "overall_score"});
  // A hook that declares nothing reads the whole row, and so does the event.
  const auto new_user = hooks::HooksOn("auth_users", Op::kInsert, Timing::kAfter);
  CHECK(new_user.every_column);
  CHECK(hooks::ReadsOfBoth(new_user, after).every_column);

  // Every declared column exists: the writer would refuse an unknown one at run time.
  testing::TestDb db;
  for (const hooks::Hook& hook : hooks::AllHooks()) {
    const Table* table = db.catalog().FindTable(hook.table);
    REQUIRE_MESSAGE(table != nullptr, hook.name);
    for (std::string_view column : hook.reads) {
      CHECK_MESSAGE(table->FindColumn(column) != nullptr, hook.name, ": ", column);
    }
  }
}

TEST_CASE("row writer: a session's hooks read only their columns, and still see the row") {
  testing::TestDb db;
  const Principal service = testing::Service();
  RowWriter writer(db.conn(), db.catalog(), service, kNow);
  // Through the writer, so the new-user hook gives each a profile.
  auto add_user = [&](const std::string& email) {
    writer.Insert("auth_users", {{"email", email}});
    return std::get<std::string>(db.Scalar("SELECT id FROM auth_users WHERE email = ?", {email}));
  };
  const std::string user = add_user("narrow@x.io");
  const int64_t session = writer.Insert(
      "interview_sessions", {{"user_id", user},
                             {"title", std::string("t")},
                             {"metadata", R"({"big":")" + std::string(5000, 'x') + R"("})"},
                             {"status", std::string("in_progress")}});
  // The award reads the score and the day from the narrowed rows, the streak and the profile
  // from theirs: all of it lands.
  writer.Update("interview_sessions", session,
                {{"status", std::string("completed")},
                 {"overall_score", 91.0},
                 {"completed_at", std::string("2025-03-04T10:00:00.000000+00:00")}});
  CHECK(std::get<int64_t>(db.Scalar("SELECT total_xp FROM profiles")) == 50 + 91 + 50 + 100);
  CHECK(std::get<std::string>(db.Scalar("SELECT last_activity_date FROM streaks")) == "2025-03-04");
  CHECK(std::get<int64_t>(db.Scalar("SELECT completed_interviews FROM profiles")) == 1);
  // Moving it to another owner recounts both (the recount reads user_id and status).
  const std::string other = add_user("other@x.io");
  writer.Update("interview_sessions", session, {{"user_id", other}});
  CHECK(std::get<int64_t>(db.Scalar("SELECT count(*) FROM profiles WHERE total_interviews = 1 "
                                    "AND completed_interviews = 1")) == 1);
  writer.Delete("interview_sessions", session);
  CHECK(std::get<int64_t>(
            db.Scalar("SELECT count(*) FROM profiles WHERE completed_interviews = 0")) == 2);
}

TEST_CASE("row writer: an insert answers its own rowid, whatever its triggers and hooks insert") {
  testing::TestDb db;
  const std::string user = db.AddUser("rowid@x.io");
  const Principal service = testing::Service();
  Executor sql(db.conn());
  // A SQL trigger inserting rows of its own into a rowid table, whose rowids run far ahead.
  sql.Exec("CREATE TABLE side_rows (x)");
  sql.Exec("INSERT INTO side_rows (rowid, x) VALUES (5000, 0)");
  sql.Exec(
      "CREATE TRIGGER side_rows_on_streak AFTER INSERT ON streaks BEGIN "
      "INSERT INTO side_rows (x) VALUES (1); INSERT INTO side_rows (x) VALUES (2); END");
  RowWriter writer(db.conn(), db.catalog(), service, kNow);
  const int64_t streak = writer.Insert("streaks", {{"user_id", user}});
  CHECK(streak == std::get<int64_t>(
                      *sql.Scalar({"SELECT rowid FROM streaks WHERE user_id = ?", {user}, ""})));
  CHECK(std::get<int64_t>(*sql.Scalar({"SELECT max(rowid) FROM side_rows", {}, ""})) == 5002);
  // A session inserted completed: its AFTER hooks insert the award's rows (achievements, the
  // leaderboard, ...) after the session's own statement.
  const int64_t session = writer.Insert("interview_sessions", {{"user_id", user},
                                                               {"title", std::string("t")},
                                                               {"status", std::string("completed")},
                                                               {"overall_score", 80.0}});
  CHECK(session == std::get<int64_t>(*sql.Scalar(
                       {"SELECT rowid FROM interview_sessions WHERE user_id = ?", {user}, ""})));
  CHECK(std::get<int64_t>(
            *sql.Scalar({"SELECT count(*) FROM achievements WHERE user_id = ?", {user}, ""})) > 0);
}

TEST_CASE("row writer: a table without hooks is updated and deleted as asked, absent rows alone") {
  REQUIRE_FALSE(hooks::HooksOn("leaderboard", hooks::Op::kUpdate, hooks::Timing::kBefore).any);
  REQUIRE_FALSE(hooks::HooksOn("leaderboard", hooks::Op::kUpdate, hooks::Timing::kAfter).any);
  REQUIRE_FALSE(hooks::HooksOn("leaderboard", hooks::Op::kDelete, hooks::Timing::kAfter).any);

  testing::TestDb db;
  const std::string a = db.AddUser("a@x.io");
  const std::string b = db.AddUser("b@x.io");
  const Principal service = testing::Service();
  RowWriter writer(db.conn(), db.catalog(), service, kNow);
  const int64_t row_a = writer.Insert("leaderboard", {{"user_id", a}, {"total_score", 10}});
  const int64_t row_b = writer.Insert("leaderboard", {{"user_id", b}, {"total_score", 20}});

  writer.Update("leaderboard", row_a, {{"total_score", 15}, {"weekly_score", 5}});
  auto stored = writer.Read("leaderboard", row_a);
  REQUIRE(stored.has_value());
  CHECK(hooks::IntOf(*stored, "total_score") == 15);
  CHECK(hooks::IntOf(*stored, "weekly_score") == 5);
  CHECK(hooks::IntOf(*writer.Read("leaderboard", row_b), "total_score") == 20);

  const int64_t absent = row_b + 100;
  writer.Update("leaderboard", absent, {{"total_score", 99}});
  writer.Delete("leaderboard", absent);
  CHECK(db.Count("leaderboard") == 2);
  CHECK_FALSE(writer.Read("leaderboard", absent).has_value());

  writer.Delete("leaderboard", row_a);
  CHECK(db.Count("leaderboard") == 1);
  CHECK_FALSE(writer.FindRow("leaderboard", "user_id", a).has_value());
  // The histogram behind the computed rank follows (its triggers are SQLite's, not hooks).
  CHECK(std::get<int64_t>(
            db.Scalar("SELECT SUM(rows_in) FROM ib_score_histogram WHERE level = 0")) == 1);
}

TEST_CASE("row writer: a hook that only adds to the changes still fires (updated_at stamped)") {
  REQUIRE(hooks::HooksOn("streaks", hooks::Op::kUpdate, hooks::Timing::kBefore).any);
  REQUIRE_FALSE(hooks::HooksOn("streaks", hooks::Op::kUpdate, hooks::Timing::kBefore).see_rows);
  testing::TestDb db;
  const std::string user = db.AddUser("hooked@x.io");
  const Principal service = testing::Service();
  RowWriter writer(db.conn(), db.catalog(), service, kNow);
  const int64_t rowid = writer.Insert(
      "streaks", {{"user_id", user}, {"updated_at", std::string("2020-01-01T00:00:00+00:00")}});
  writer.Update("streaks", rowid, {{"longest_streak", 3}});
  auto stored = writer.Read("streaks", rowid);
  REQUIRE(stored.has_value());
  CHECK(hooks::IntOf(*stored, "longest_streak") == 3);
  CHECK(hooks::TextOf(*stored, "updated_at") == FormatTimestamptz(kNow));
}

}  // namespace
}  // namespace ib::storage
