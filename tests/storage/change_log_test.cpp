// The change log: every committed row change its subscribers want, captured on the writer by
// SQLite's preupdate hook and published after COMMIT, once, in commit order; nothing from a
// rollback.
#include "storage/change_log.h"

#include <doctest/doctest.h>

#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "storage/catalog.h"
#include "storage/error.h"
#include "storage/executor.h"
#include "storage/migrator.h"
#include "storage/unit_of_work.h"
#include "tests/support/gamification_fixture.h"
#include "tests/support/scratch_dir.h"
#include "tests/support/test_db.h"

namespace ib::storage {
namespace {

const RequestClock kClock{1'715'342'400'000'000};  // 2024-05-10T12:00:00Z

// Subscribes for its lifetime and keeps every delivered batch.
class Collector {
 public:
  explicit Collector(Db& db, ChangeLog::InterestFn interest = nullptr) : db_(db) {
    id_ = db_.changes().Subscribe(
        [this](const std::vector<ChangeRecord>& batch) {
          std::lock_guard<std::mutex> lock(mutex_);
          batches_.push_back(batch);
        },
        std::move(interest));
  }
  ~Collector() { db_.changes().Unsubscribe(id_); }
  Collector(const Collector&) = delete;
  Collector& operator=(const Collector&) = delete;

  std::vector<std::vector<ChangeRecord>> batches() {
    std::lock_guard<std::mutex> lock(mutex_);
    return batches_;
  }
  std::vector<ChangeRecord> all() {
    std::vector<ChangeRecord> out;
    for (auto& b : batches()) out.insert(out.end(), b.begin(), b.end());
    return out;
  }
  // The records of one table and operation.
  std::vector<ChangeRecord> of(const std::string& table, ChangeOp op) {
    std::vector<ChangeRecord> out;
    for (auto& r : all()) {
      if (r.table == table && r.op == op) out.push_back(r);
    }
    return out;
  }

 private:
  Db& db_;
  ChangeLog::SubscriptionId id_ = 0;
  std::mutex mutex_;  // guards batches_ (a file database may deliver from other threads)
  std::vector<std::vector<ChangeRecord>> batches_;
};

SqlValue Text(const char* s) { return SqlValue{std::string(s)}; }

template <class Fn>
void AsService(Db& db, Fn&& fn) {
  const Principal service = testing::Service();
  db.Write(service, kClock, std::forward<Fn>(fn));
}

void Run(WriteScope& scope, const std::string& sql, std::vector<SqlValue> params = {}) {
  Executor(scope.conn()).Run({sql, std::move(params), ""});
}

int64_t RowidOf(WriteScope& scope, const char* table, const char* column, const SqlValue& v) {
  return *scope.writer().FindRowid(table, column, v);
}

TEST_CASE("change log: an insert is one record with the new row, its key and a sequence") {
  testing::TestDb t;
  Collector c(t.db());
  const int64_t before = RequestClock::Now().now_micros;
  AsService(t.db(), [](WriteScope& s) {
    s.writer().Insert("ib_settings", {{"key", Text("a")}, {"value", Text("1")}});
  });
  auto batches = c.batches();
  REQUIRE(batches.size() == 1);
  REQUIRE(batches[0].size() == 1);
  const ChangeRecord& r = batches[0][0];
  CHECK(r.table == "ib_settings");
  CHECK(r.op == ChangeOp::kInsert);
  CHECK(r.key == ChangeRow{{"key", Text("a")}});
  CHECK_FALSE(r.old_row);
  REQUIRE(r.new_row);
  CHECK(*r.new_row == ChangeRow{{"key", Text("a")}, {"value", Text("1")}});
  CHECK(r.sequence == 1);
  CHECK(r.commit_micros >= before);
  CHECK(t.db().changes().last_sequence() == 1);
  CHECK(std::string(ChangeOpName(r.op)) == "INSERT");
}

TEST_CASE("change log: an update carries the old and the new row, a delete the old one") {
  testing::TestDb t;
  AsService(t.db(), [](WriteScope& s) {
    s.writer().Insert("ib_settings", {{"key", Text("a")}, {"value", Text("1")}});
  });
  Collector c(t.db());
  AsService(t.db(), [](WriteScope& s) {
    s.writer().Update("ib_settings", RowidOf(s, "ib_settings", "key", Text("a")),
                      {{"value", Text("2")}});
  });
  AsService(t.db(), [](WriteScope& s) {
    s.writer().Delete("ib_settings", RowidOf(s, "ib_settings", "key", Text("a")));
  });
  auto all = c.all();
  REQUIRE(all.size() == 2);
  CHECK(all[0].op == ChangeOp::kUpdate);
  CHECK(all[0].key == ChangeRow{{"key", Text("a")}});
  CHECK(*all[0].old_row == ChangeRow{{"key", Text("a")}, {"value", Text("1")}});
  CHECK(*all[0].new_row == ChangeRow{{"key", Text("a")}, {"value", Text("2")}});
  CHECK(all[1].op == ChangeOp::kDelete);
  CHECK(all[1].key == ChangeRow{{"key", Text("a")}});
  CHECK(*all[1].old_row == ChangeRow{{"key", Text("a")}, {"value", Text("2")}});
  CHECK_FALSE(all[1].new_row);
  CHECK(all[1].sequence == all[0].sequence + 1);
}

TEST_CASE("change log: an upsert records an insert, then an update, for either way it is run") {
  testing::TestDb t;
  Collector c(t.db());
  const std::string upsert =
      "INSERT INTO ib_settings (key, value) VALUES (?, ?) "
      "ON CONFLICT (key) DO UPDATE SET value = excluded.value";
  AsService(t.db(), [&](WriteScope& s) { Run(s, upsert, {Text("a"), Text("1")}); });
  AsService(t.db(), [&](WriteScope& s) { Run(s, upsert, {Text("a"), Text("2")}); });
  // The REST engine's way: look for the conflicting row, then update it or insert.
  auto rest_upsert = [](WriteScope& s, const char* key, const char* value) {
    if (auto rowid = s.writer().FindRowid("ib_settings", "key", Text(key))) {
      s.writer().Update("ib_settings", *rowid, {{"value", Text(value)}});
    } else {
      s.writer().Insert("ib_settings", {{"key", Text(key)}, {"value", Text(value)}});
    }
  };
  AsService(t.db(), [&](WriteScope& s) { rest_upsert(s, "b", "1"); });
  AsService(t.db(), [&](WriteScope& s) { rest_upsert(s, "b", "2"); });
  auto all = c.all();
  REQUIRE(all.size() == 4);
  for (int i : {0, 2}) {
    CAPTURE(i);
    CHECK(all[i].op == ChangeOp::kInsert);
    CHECK(all[i].new_row->at("value") == Text("1"));
    CHECK(all[i + 1].op == ChangeOp::kUpdate);
    CHECK(all[i + 1].old_row->at("value") == Text("1"));
    CHECK(all[i + 1].new_row->at("value") == Text("2"));
    CHECK(all[i + 1].key == all[i].key);
  }
}

TEST_CASE("change log: a hook's own writes are records of the same transaction") {
  testing::GamificationFixture f;
  const std::string user = f.AddUser("a@x.io");
  Collector c(f.db().db());
  AsService(f.db().db(), [&](WriteScope& s) {
    const int64_t rowid = s.writer().Insert(
        "interview_sessions",
        {{"user_id", user}, {"title", Text("Mock")}, {"status", Text("in_progress")}});
    s.writer().Update("interview_sessions", rowid,
                      {{"status", Text("completed")}, {"overall_score", SqlValue{80.0}}});
  });
  auto batches = c.batches();
  REQUIRE(batches.size() == 1);  // one transaction, however many tables the hooks touched
  CHECK(c.of("interview_sessions", ChangeOp::kInsert).size() == 1);
  // The completion hook stamped completed_at in the row the update wrote.
  auto session = c.of("interview_sessions", ChangeOp::kUpdate);
  REQUIRE_FALSE(session.empty());
  CHECK(session.back().new_row->at("status") == Text("completed"));
  CHECK_FALSE(std::holds_alternative<std::monostate>(session.back().new_row->at("completed_at")));
  auto awarded = c.of("ib_completed_sessions", ChangeOp::kInsert);
  REQUIRE(awarded.size() == 1);
  CHECK(awarded[0].new_row->at("user_id") == SqlValue{user});
  auto profile = c.of("profiles", ChangeOp::kUpdate);
  REQUIRE_FALSE(profile.empty());
  CHECK(profile.front().key == ChangeRow{{"id", SqlValue{user}}});
  CHECK(profile.front().old_row->at("completed_interviews") == SqlValue{int64_t{0}});
  CHECK(profile.back().new_row->at("completed_interviews") == SqlValue{int64_t{1}});
  CHECK(c.of("leaderboard", ChangeOp::kInsert).size() == 1);
}

TEST_CASE("change log: auth and storage rows are captured like any other") {
  testing::TestDb t;
  Collector c(t.db());
  std::string user;
  AsService(t.db(), [&](WriteScope& s) {
    const int64_t rowid = s.writer().Insert("auth_users", {{"email", Text("a@x.io")}});
    user = hooks::TextOf(*s.writer().Read("auth_users", rowid), "id");
  });
  auto users = c.of("auth_users", ChangeOp::kInsert);
  REQUIRE(users.size() == 1);
  CHECK(users[0].key == ChangeRow{{"id", SqlValue{user}}});
  CHECK(users[0].new_row->at("email") == Text("a@x.io"));
  CHECK(c.of("profiles", ChangeOp::kInsert).size() == 1);  // handle_new_user's row

  // A store's own SQL, not through RowWriter, is seen too.
  AsService(t.db(), [&](WriteScope& s) {
    Run(s,
        "INSERT INTO storage_objects (bucket_id, name, owner, size, mimetype, cache_control, "
        "etag) VALUES ('interview-audio', ?, ?, 3, 'audio/webm', 'max-age=3600', '\"x\"')",
        {SqlValue{user + "/a.webm"}, SqlValue{user}});
  });
  auto objects = c.of("storage_objects", ChangeOp::kInsert);
  REQUIRE(objects.size() == 1);
  CHECK(objects[0].new_row->at("name") == SqlValue{user + "/a.webm"});
  CHECK(objects[0].key.count("id") == 1);
  CHECK(objects[0].new_row->at("id") == objects[0].key.at("id"));
}

TEST_CASE("change log: a write captures only what some subscriber wants, as it begins") {
  testing::GamificationFixture f;
  const std::string user = f.AddUser("a@x.io");
  std::mutex mutex;  // the writer asks for the interest (a file database: on any thread)
  ChangeInterest interest;
  auto set_interest = [&](ChangeInterest next) {
    std::lock_guard<std::mutex> lock(mutex);
    interest = std::move(next);
  };
  Collector c(f.db().db(), [&] {
    std::lock_guard<std::mutex> lock(mutex);
    return interest;
  });
  Db& db = f.db().db();

  // Wanting nothing: nothing captured, nothing published.
  std::string session;
  AsService(db, [&](WriteScope& s) {
    s.writer().Insert("ib_settings", {{"key", Text("a")}, {"value", Text("1")}});
  });
  CHECK(c.batches().empty());

  // One table and its parent's deletes: a session's insert and update are left out, its
  // cascade's deletes are not; a delete of another table is left out too.
  ChangeInterest responses;
  responses.tables.insert("interview_responses");
  responses.deletes_of.insert("interview_sessions");
  set_interest(responses);
  AsService(db, [&](WriteScope& s) {
    const int64_t rowid = s.writer().Insert(
        "interview_sessions", {{"user_id", SqlValue{user}}, {"title", Text("Mock interview")}});
    session = hooks::TextOf(*s.writer().Read("interview_sessions", rowid), "id");
    Run(s, "INSERT INTO interview_responses (interview_id, role, content) VALUES (?, 'user', 'hi')",
        {SqlValue{session}});
    Run(s, "UPDATE interview_sessions SET title = 'x' WHERE id = ?", {SqlValue{session}});
  });
  CHECK(c.of("interview_responses", ChangeOp::kInsert).size() == 1);
  CHECK(c.of("interview_sessions", ChangeOp::kInsert).empty());
  CHECK(c.of("interview_sessions", ChangeOp::kUpdate).empty());
  AsService(db, [&](WriteScope& s) {
    s.writer().Delete("interview_sessions", RowidOf(s, "interview_sessions", "id", session));
  });
  CHECK(c.of("interview_sessions", ChangeOp::kDelete).size() == 1);
  CHECK(c.of("interview_responses", ChangeOp::kDelete).size() == 1);
  AsService(db, [&](WriteScope& s) { Run(s, "DELETE FROM ib_settings WHERE key = 'a'", {}); });
  CHECK(c.of("ib_settings", ChangeOp::kDelete).empty());
  for (const ChangeRecord& r : c.all()) {
    CHECK((r.table == "interview_responses" ||
           (r.table == "interview_sessions" && r.op == ChangeOp::kDelete)));
  }

  // A second subscriber wanting everything: the union is captured, and both receive it.
  const size_t before = c.all().size();
  {
    Collector everything(db);
    AsService(db, [&](WriteScope& s) {
      s.writer().Insert("ib_settings", {{"key", Text("b")}, {"value", Text("1")}});
    });
    CHECK(everything.of("ib_settings", ChangeOp::kInsert).size() == 1);
  }
  CHECK(c.all().size() == before + 1);

  // The published records' sequences have no gaps: only captured records are numbered.
  const std::vector<ChangeRecord> all = c.all();
  for (size_t i = 1; i < all.size(); ++i) CHECK(all[i].sequence == all[i - 1].sequence + 1);
}

TEST_CASE("change log: a cascaded delete is one delete record per removed row") {
  testing::GamificationFixture f;
  const std::string user = f.AddUser("a@x.io");
  const std::string session = f.AddSession(user);
  f.db().Exec("INSERT INTO interview_responses (interview_id, role, content) VALUES ('" + session +
              "', 'user', 'hello')");
  f.db().Exec("INSERT INTO interview_feedback (interview_id, user_id, overall_score) VALUES ('" +
              session + "', '" + user + "', 70)");
  f.db().Exec("INSERT INTO voice_analytics (interview_id, clarity_score) VALUES ('" + session +
              "', 50)");
  Collector c(f.db().db());
  AsService(f.db().db(), [&](WriteScope& s) {
    s.writer().Delete("interview_sessions", RowidOf(s, "interview_sessions", "id", session));
  });
  CHECK(c.of("interview_sessions", ChangeOp::kDelete).size() == 1);
  for (const char* child : {"interview_responses", "interview_feedback", "voice_analytics"}) {
    CAPTURE(child);
    auto deleted = c.of(child, ChangeOp::kDelete);
    REQUIRE(deleted.size() == 1);
    CHECK(deleted[0].old_row->at("interview_id") == SqlValue{session});
    CHECK(deleted[0].key.count("id") == 1);
  }
}

TEST_CASE("change log: a rolled-back transaction publishes nothing") {
  testing::TestDb t;
  Collector c(t.db());
  CHECK_THROWS_AS(
      AsService(t.db(),
                [](WriteScope& s) {
                  s.writer().Insert("ib_settings", {{"key", Text("a")}, {"value", Text("1")}});
                  throw Error::Internal("refused");
                }),
      Error);
  CHECK(c.batches().empty());
  CHECK(t.db().changes().last_sequence() == 0);
  // Nothing of it leaks into the next transaction either.
  AsService(t.db(), [](WriteScope& s) {
    s.writer().Insert("ib_settings", {{"key", Text("b")}, {"value", Text("1")}});
  });
  auto all = c.all();
  REQUIRE(all.size() == 1);
  CHECK(all[0].key == ChangeRow{{"key", Text("b")}});
  CHECK(all[0].sequence == 1);
}

TEST_CASE("change log: a savepoint rolled back or a failed statement leaves no record") {
  testing::TestDb t;
  Collector c(t.db());
  AsService(t.db(), [](WriteScope& s) {
    s.writer().Insert("ib_settings", {{"key", Text("kept")}, {"value", Text("1")}});
    {
      Savepoint sp(s.transaction());
      s.writer().Insert("ib_settings", {{"key", Text("undone")}, {"value", Text("1")}});
    }
    // A multi-row statement that fails half-way is undone by SQLite, rows made so far included.
    CHECK_THROWS_AS(Run(s,
                        "INSERT INTO ib_settings (key, value) VALUES ('half', '1'), "
                        "('kept', 'duplicate')"),
                    Error);
    {
      Savepoint sp(s.transaction());
      s.writer().Insert("ib_settings", {{"key", Text("released")}, {"value", Text("1")}});
      sp.Release();
    }
  });
  auto all = c.all();
  REQUIRE(all.size() == 2);
  CHECK(all[0].key == ChangeRow{{"key", Text("kept")}});
  CHECK(all[1].key == ChangeRow{{"key", Text("released")}});
  CHECK(all[1].sequence == all[0].sequence + 1);
}

TEST_CASE("change log: transactions arrive one batch each, in commit order") {
  testing::TestDb t;
  Collector c(t.db());
  AsService(t.db(), [](WriteScope& s) {
    s.writer().Insert("ib_settings", {{"key", Text("a")}, {"value", Text("1")}});
    s.writer().Insert("ib_settings", {{"key", Text("b")}, {"value", Text("1")}});
  });
  AsService(t.db(), [](WriteScope& s) {
    s.writer().Insert("ib_settings", {{"key", Text("c")}, {"value", Text("1")}});
  });
  AsService(t.db(), [](WriteScope&) {});  // nothing written: nothing published
  auto batches = c.batches();
  REQUIRE(batches.size() == 2);
  REQUIRE(batches[0].size() == 2);
  REQUIRE(batches[1].size() == 1);
  CHECK(batches[0][0].sequence == 1);
  CHECK(batches[0][1].sequence == 2);
  CHECK(batches[1][0].sequence == 3);
  CHECK(batches[0][0].commit_micros == batches[0][1].commit_micros);  // one commit, one time
  CHECK(batches[1][0].commit_micros >= batches[0][0].commit_micros);
}

TEST_CASE("change log: concurrent writers publish gap-free sequences in order") {
  testing::ScratchDir dir;
  {
    Db db(dir.path() + "/db.sqlite");
    {
      Db::WriteLease lease(db);
      Migrate(lease.conn().db(), EmbeddedMigrations());
      db.SetCatalog(Catalog::Load(lease.conn()));
    }
    Collector c(db);
    std::vector<std::thread> writers;
    for (int w = 0; w < 4; ++w) {
      writers.emplace_back([&db, w] {
        for (int i = 0; i < 25; ++i) {
          AsService(db, [&](WriteScope& s) {
            const std::string key = std::to_string(w) + "-" + std::to_string(i);
            s.writer().Insert("ib_settings", {{"key", SqlValue{key}}, {"value", Text("v")}});
          });
        }
      });
    }
    for (auto& th : writers) th.join();
    auto all = c.all();
    REQUIRE(all.size() == 100);
    for (size_t i = 0; i < all.size(); ++i) CHECK(all[i].sequence == static_cast<int64_t>(i + 1));
  }
}

TEST_CASE("change log: tables outside the catalog are named by SQLite, keyed by rowid") {
  testing::TestDb t;
  Collector c(t.db());
  AsService(t.db(), [](WriteScope& s) {
    Run(s, "CREATE TABLE extra (a TEXT, b INTEGER)");
    Run(s, "INSERT INTO extra (a, b) VALUES ('x', 2)");
  });
  auto all = c.all();
  REQUIRE(all.size() == 1);
  CHECK(all[0].table == "extra");
  CHECK(all[0].key == ChangeRow{{"rowid", SqlValue{int64_t{1}}}});
  CHECK(*all[0].new_row == ChangeRow{{"a", Text("x")}, {"b", SqlValue{int64_t{2}}}});
}

TEST_CASE("change log: an unsubscribed consumer gets nothing more") {
  testing::TestDb t;
  int calls = 0;
  auto id = t.db().changes().Subscribe([&](const std::vector<ChangeRecord>&) { ++calls; });
  auto write = [&](const char* key) {
    AsService(t.db(), [&](WriteScope& s) {
      s.writer().Insert("ib_settings", {{"key", Text(key)}, {"value", Text("1")}});
    });
  };
  write("a");
  t.db().changes().Unsubscribe(id);
  write("b");
  CHECK(calls == 1);
  CHECK(t.db().changes().last_sequence() == 1);  // nobody wants it: neither captured nor numbered
}

}  // namespace
}  // namespace ib::storage
