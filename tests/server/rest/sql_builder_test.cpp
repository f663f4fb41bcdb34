#include "server/rest/sql_builder.h"

#include <doctest/doctest.h>
#include <sqlite3.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "server/rest/planner.h"
#include "server/rest/query_params.h"
#include "storage/error.h"
#include "storage/executor.h"
#include "storage/statement_cache.h"
#include "tests/support/test_db.h"

namespace {

using Params = std::vector<std::pair<std::string, std::string>>;

ib::rest::ReadQuery Build(const ib::testing::TestDb& t, const std::string& table, Params params,
                          const ib::storage::Principal& who = ib::testing::Service()) {
  auto api = ib::rest::ParseQueryParams(params);
  ib::rest::PlanContext ctx{t.catalog(), who, 0, 0};
  auto plan = ib::rest::PlanRead(api, ctx, ib::rest::ResolveTable(t.catalog(), table));
  return ib::rest::BuildRead(*plan);
}

}  // namespace

TEST_CASE("sql_builder: no request value ever appears in the SQL text") {
  ib::testing::TestDb t;
  auto user = ib::testing::User("11111111-1111-4111-8111-111111111111");
  const std::string evil = "x' OR 1=1; DROP TABLE profiles; --";
  Params shapes[] = {
      {{"title", "eq." + evil}},
      {{"title", "like.*" + evil + "*"}},
      {{"title", "in.(\"" + evil + "\",b)"}},
      {{"or", "(title.eq." + evil + ",description.ilike.*zz*)"}},
      {{"select", "id,label:title,metadata->>" + std::string("evilkey")},
       {"metadata->>evilkey", "eq.evilvalue"}},
      {{"select", "evilalias:title,interview_feedback(evilembed:overall_score)"}},
      {{"limit", "4242"}, {"offset", "4343"}},
  };
  for (const auto& params : shapes) {
    auto q = Build(t, "interview_sessions", params, user);
    CAPTURE(q.sql.text);
    for (const char* needle : {"DROP", "evilkey", "evilvalue", "evilalias", "evilembed", "4242",
                               "4343", "zz", "11111111"}) {
      CHECK(q.sql.text.find(needle) == std::string::npos);
    }
  }
}

TEST_CASE("sql_builder: the same shape with other values gives the same SQL text") {
  ib::testing::TestDb t;
  auto a = Build(t, "interview_sessions", {{"title", "eq.a"}, {"limit", "1"}});
  auto b = Build(t, "interview_sessions", {{"title", "eq.something else"}, {"limit", "99"}});
  CHECK(a.sql.text == b.sql.text);
  CHECK(a.sql.params != b.sql.params);
  auto in_small = Build(t, "interview_sessions", {{"title", "in.(a)"}});
  auto in_large = Build(t, "interview_sessions", {{"title", "in.(a,b,c,d,e,f,g)"}});
  CHECK(in_small.sql.text == in_large.sql.text);  // the list travels as one JSON parameter
}

TEST_CASE("sql_builder: embeds are JSON subqueries inside one statement") {
  ib::testing::TestDb t;
  auto q = Build(t, "interview_sessions",
                 {{"select", "id,interview_feedback(overall_score),voice_analytics(count)"}});
  CHECK(q.sql.text.rfind("SELECT ", 0) == 0);
  CHECK(q.sql.text.find("json_group_array") != std::string::npos);
  CHECK(q.sql.text.find("count(*)") != std::string::npos);
  REQUIRE(q.columns.size() == 3);
  CHECK(q.columns[1].kind == ib::rest::RenderColumn::Kind::kRawJson);
  CHECK(q.columns[1].key == "interview_feedback");
}

TEST_CASE("sql_builder: postgres null ordering is spelled out for SQLite") {
  ib::testing::TestDb t;
  auto q = Build(t, "interview_sessions", {{"order", "duration_minutes.desc,title"}});
  CHECK(q.sql.text.find("\"duration_minutes\" DESC NULLS FIRST") != std::string::npos);
  CHECK(q.sql.text.find("\"title\" ASC NULLS LAST") != std::string::npos);
}

TEST_CASE("sql_builder: the write checks bind every value and read defaults from the schema") {
  ib::testing::TestDb t;
  const auto& table = *t.catalog().FindTable("user_progress");
  const std::string evil = "x' OR 1=1; --";
  std::vector<const ib::storage::Column*> given = {table.FindColumn("user_id"),
                                                   table.FindColumn("skill")};
  ib::rest::GuardSql check{"(t0.user_id = ?)", {std::string("uid-value")}};
  auto insert = ib::rest::BuildFailingInsertCandidate(table, given, {evil, evil}, check);
  auto update = ib::rest::BuildFailingUpdateCandidates(table, {42}, given, {evil, evil}, check);
  auto lookup = ib::rest::BuildConflictLookup(table, given, {evil, evil});
  for (const auto* q : {&insert, &update, &lookup}) {
    CAPTURE(q->text);
    CHECK(q->text.find("OR 1=1") == std::string::npos);
    CHECK(q->text.find("uid-value") == std::string::npos);
  }
  // Absent columns take their declared default in the candidate row, present ones a parameter.
  CHECK(insert.text.find("gen_random_uuid()") != std::string::npos);
  CHECK(insert.params.size() == 3);
  CHECK(insert.params.back() == ib::storage::SqlValue(std::string("uid-value")));
  CHECK(update.params.size() == 4);
}

namespace {

// The opcodes of the program SQLite compiles `sql` to, space-separated (EXPLAIN's column 1).
std::string Opcodes(ib::testing::TestDb& t, const std::string& sql) {
  sqlite3_stmt* stmt = nullptr;
  REQUIRE(sqlite3_prepare_v2(t.conn().handle(), ("EXPLAIN " + sql).c_str(), -1, &stmt, nullptr) ==
          SQLITE_OK);
  std::string out;
  while (sqlite3_step(stmt) == SQLITE_ROW) {
    out += reinterpret_cast<const char*>(sqlite3_column_text(stmt, 1));
    out += ' ';
  }
  sqlite3_finalize(stmt);
  return out;
}

}  // namespace

TEST_CASE("sql_builder: the written-row checks look rows up by rowid, with no temporary index") {
  ib::testing::TestDb t;
  const auto& table = *t.catalog().FindTable("user_progress");
  const std::string mine = t.AddUser("mine@example.com");
  const std::string theirs = t.AddUser("theirs@example.com");
  auto add = [&](const std::string& user, const std::string& skill) {
    return std::get<int64_t>(t.Scalar(
        "INSERT INTO user_progress (user_id, category, skill) VALUES (?, 'c', ?) RETURNING rowid",
        {user, skill}));
  };
  const int64_t a = add(mine, "a"), b = add(theirs, "b"), c = add(mine, "c");
  ib::rest::GuardSql check{"(t0.user_id = ?)", {mine}};
  std::vector<const ib::storage::Column*> skill = {table.FindColumn("skill")};
  auto stored = ib::rest::BuildFailingStoredRows(table, {a, b, c}, check);
  auto updated = ib::rest::BuildFailingUpdateCandidates(table, {a, b, c}, skill, {"t"}, check);
  for (const auto* q : {&stored, &updated}) {
    CAPTURE(q->text);
    CHECK(t.Scalar(q->text, q->params) == ib::storage::SqlValue(int64_t{1}));  // b only
    CHECK(Opcodes(t, q->text).find("OpenEphemeral") == std::string::npos);
  }
  CHECK(t.Scalar(stored.text, {std::string(R"([])"), mine}) == ib::storage::SqlValue(int64_t{0}));
  // One row: one lookup by rowid, without json_each.
  for (int64_t row : {a, b}) {
    auto one = ib::rest::BuildFailingStoredRows(table, {row}, check);
    auto one_updated = ib::rest::BuildFailingUpdateCandidates(table, {row}, skill, {"t"}, check);
    for (const auto* q : {&one, &one_updated}) {
      CAPTURE(q->text);
      CHECK(t.Scalar(q->text, q->params) == ib::storage::SqlValue(int64_t{row == b ? 1 : 0}));
      const std::string program = Opcodes(t, q->text);
      CHECK(program.find("OpenEphemeral") == std::string::npos);
      CHECK(program.find("VOpen") == std::string::npos);
      CHECK(program.find("SeekRowid") != std::string::npos);
    }
  }
}

// A write's representation is built before the write, and told its rows once they exist.
TEST_CASE("sql_builder: a query of written rows is given its rowids after it is built") {
  ib::testing::TestDb t;
  const auto& table = ib::rest::ResolveTable(t.catalog(), "interview_sessions");
  ib::rest::PlanContext ctx{t.catalog(), ib::testing::Service(), 0, 0};
  auto plan =
      ib::rest::PlanSelectOnly(ib::rest::ParseQueryParams({{"select", "id,title"}}), ctx, table);
  plan->written_rows = true;
  auto query = ib::rest::BuildRead(*plan);
  REQUIRE(query.written_param);
  ib::rest::BindWrittenRows(query, {7, 3, 11});
  CHECK(std::get<std::string>(query.sql.params.at(*query.written_param)) == "[7,3,11]");

  auto plain = Build(t, "interview_sessions", {{"select", "id"}});
  CHECK_FALSE(plain.written_param);
  CHECK_THROWS_AS(ib::rest::BindWrittenRows(plain, {1}), ib::storage::Error);
}

namespace {

// The read's plan as `who` asks for it on interview_sessions, from PostgREST parameters.
std::unique_ptr<ib::rest::ReadPlan> SessionsPlan(const ib::testing::TestDb& t, Params params,
                                                 const ib::storage::Principal& who) {
  ib::rest::PlanContext ctx{t.catalog(), who, 0, 0};
  return ib::rest::PlanRead(ib::rest::ParseQueryParams(params), ctx,
                            ib::rest::ResolveTable(t.catalog(), "interview_sessions"));
}

}  // namespace

// Migration 0011: with 0010's partial index, a bound `status = ?` could not use the completion
// index, and SQLite read every user's sessions of that status through the status index.
TEST_CASE("sql_builder: a user's filter on status reads that user's range of one index") {
  ib::testing::TestDb t;
  const auto user = ib::testing::User(t.AddUser("a@example.com"));
  for (const char* status : {"completed", "pending", "in_progress"}) {
    auto plan = SessionsPlan(t, {{"select", "id"}, {"status", std::string("eq.") + status}}, user);
    for (const auto& q : {ib::rest::BuildCount(*plan), ib::rest::BuildRead(*plan).sql}) {
      const std::string details = t.QueryPlan(q);
      CAPTURE(q.text);
      CAPTURE(details);
      CHECK(details.find("INDEX interview_sessions_user_completed_idx (user_id=? AND status=?)") !=
            std::string::npos);
      CHECK(details.find("interview_sessions_status_idx") == std::string::npos);
    }
  }
}

// Migration 0012: an embedded to-many relationship reads each session's own rows through the
// join's index. With interview_feedback's guard (user_id = the caller) SQLite took the user_id
// index, and every session listed read all of the caller's feedback.
TEST_CASE("sql_builder: a to-many embed reads each parent's own rows, not all of the caller's") {
  ib::testing::TestDb t;
  const auto user = ib::testing::User(t.AddUser("a@example.com"));
  const std::pair<const char*, const char*> embeds[] = {
      {"interview_feedback", "interview_feedback_interview_user_idx"},
      {"interview_responses", "interview_responses_interview_id_idx"},
      {"voice_analytics", "voice_analytics_interview_id_idx"}};
  for (const auto& [embed, index] : embeds) {
    for (const auto& who : {user, ib::testing::Service()}) {
      auto plan = SessionsPlan(t,
                               {{"select", std::string("*,") + embed + "(*)"},
                                {"order", "created_at.desc"},
                                {"limit", "10"}},
                               who);
      const auto q = ib::rest::BuildRead(*plan).sql;
      const std::string details = t.QueryPlan(q);
      CAPTURE(q.text);
      CAPTURE(details);
      CHECK(details.find(std::string("INDEX ") + index + " (interview_id=?") != std::string::npos);
      CHECK(details.find("interview_feedback_user_id_idx") == std::string::npos);
    }
  }
}

// The planner's stability guarantee (storage/db.cpp): without it SQLite plans a LIKE with its
// bound pattern and marks the statement to be compiled again whenever the pattern is bound.
TEST_CASE("sql_builder: a cached statement is compiled once, whatever values it is bound to") {
  ib::testing::TestDb t;
  const auto user = ib::testing::User(t.AddUser("a@example.com"));
  const std::pair<const char*, std::vector<const char*>> shapes[] = {
      {"title", {"like.Bench*", "like.Other*"}}, {"status", {"eq.completed", "eq.pending"}}};
  for (const auto& [filter, values] : shapes) {
    std::string text;
    for (const char* value : values) {
      auto q = ib::rest::BuildRead(*SessionsPlan(t, {{"select", "id"}, {filter, value}}, user));
      CHECK((text.empty() || q.sql.text == text));
      text = q.sql.text;
      ib::storage::Executor(t.conn()).Run(q.sql);
    }
    CAPTURE(text);
    sqlite3_stmt* stmt = t.conn().statements().Get(text);
    CHECK(sqlite3_stmt_status(stmt, SQLITE_STMTSTATUS_REPREPARE, 0) == 0);
    CHECK(sqlite3_stmt_status(stmt, SQLITE_STMTSTATUS_RUN, 0) == 2);
  }
}
