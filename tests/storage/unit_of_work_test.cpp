// Db::Write / Db::Read: commit, rollback on throw, the after-commit queue, the returned value
// and the read snapshot.
#include "storage/unit_of_work.h"

#include <doctest/doctest.h>
#include <sqlite3.h>

#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "storage/error.h"
#include "storage/executor.h"
#include "tests/support/scratch_dir.h"
#include "tests/support/test_db.h"

namespace ib::storage {
namespace {

const RequestClock kClock{1'700'000'000'000'000};

int64_t CountSettings(Connection& conn) {
  return std::get<int64_t>(*Executor(conn).Scalar({"SELECT count(*) FROM ib_settings", {}, ""}));
}

void AddSetting(WriteScope& scope, const std::string& key) {
  scope.writer().Insert("ib_settings", {{"key", key}, {"value", std::string("v")}});
}

// A migrated database in a file, so readers have their own connections (WAL snapshots).
class FileDb {
 public:
  Db& db() { return t_.db(); }

 private:
  testing::ScratchDir dir_;  // first: outlives the database files inside it
  testing::TestDb t_{dir_.path() + "/db.sqlite"};
};

TEST_CASE("unit of work: a write commits and returns the body's value") {
  testing::TestDb t;
  const Principal service = testing::Service();
  const int64_t stamped = t.db().Write(service, kClock, [](WriteScope& scope) {
    AddSetting(scope, "a");
    CHECK(scope.who().is_service());
    CHECK(scope.catalog().FindTable("ib_settings") != nullptr);
    return scope.now_micros();
  });
  CHECK(stamped == kClock.now_micros);
  CHECK(CountSettings(t.conn()) == 1);
  CHECK(sqlite3_get_autocommit(t.conn().handle()) != 0);  // no transaction left open
}

TEST_CASE("unit of work: a throwing body rolls back every row and drops the after-commit work") {
  testing::TestDb t;
  bool ran = false;
  CHECK_THROWS_AS(t.db().Write(testing::Service(), kClock,
                               [&](WriteScope& scope) {
                                 AddSetting(scope, "a");
                                 scope.AfterCommit([&] { ran = true; });
                                 AddSetting(scope, "b");
                                 throw Error::Internal("refused");
                               }),
                  Error);
  CHECK_FALSE(ran);
  CHECK(CountSettings(t.conn()) == 0);
  CHECK(sqlite3_get_autocommit(t.conn().handle()) != 0);
  // The writer is free again: the next unit of work goes through.
  t.db().Write(testing::Service(), kClock, [](WriteScope& scope) { AddSetting(scope, "c"); });
  CHECK(CountSettings(t.conn()) == 1);
}

TEST_CASE("unit of work: after-commit work runs once COMMIT is durable, in queue order") {
  FileDb f;
  std::vector<std::string> seen;
  f.db().Write(testing::Service(), kClock, [&](WriteScope& scope) {
    AddSetting(scope, "a");
    scope.AfterCommit([&] {
      // Another connection already sees the row: the commit happened before this ran.
      std::thread([&] {
        Db::ReadLease lease(f.db());
        seen.push_back("first sees " + std::to_string(CountSettings(lease.conn())));
      }).join();
    });
    scope.AfterCommit([&] { seen.push_back("second"); });
    seen.push_back("body");
  });
  CHECK(seen == std::vector<std::string>{"body", "first sees 1", "second"});
}

TEST_CASE("unit of work: a failing after-commit item neither undoes the commit nor throws") {
  testing::TestDb t;
  bool later_ran = false;
  const int v = t.db().Write(testing::Service(), kClock, [&](WriteScope& scope) {
    AddSetting(scope, "a");
    scope.AfterCommit([] { throw std::runtime_error("mail server down"); });
    scope.AfterCommit([&] { later_ran = true; });
    return 7;
  });
  CHECK(v == 7);
  CHECK(later_ran);
  CHECK(CountSettings(t.conn()) == 1);
}

TEST_CASE("unit of work: a read sees one snapshot and returns the body's value") {
  FileDb f;
  const Principal anon = testing::Anon();
  f.db().Write(testing::Service(), kClock, [](WriteScope& scope) { AddSetting(scope, "a"); });
  const std::string out = f.db().Read(anon, kClock, [&](ReadScope& scope) {
    CHECK(scope.who().is_anon());
    CHECK(scope.now_micros() == kClock.now_micros);
    const int64_t before = CountSettings(scope.conn());
    // A write commits on another thread while the read is open...
    std::thread([&] {
      f.db().Write(testing::Service(), kClock, [](WriteScope& w) { AddSetting(w, "b"); });
    }).join();
    // ...and the open read still sees the database as it was when it began.
    const int64_t after = CountSettings(scope.conn());
    return std::to_string(before) + "/" + std::to_string(after);
  });
  CHECK(out == "1/1");
  CHECK(f.db().Read(anon, kClock, [](ReadScope& s) { return CountSettings(s.conn()); }) == 2);
}

TEST_CASE("unit of work: a savepoint rolled back undoes its rows and its after-commit work") {
  testing::TestDb t;
  std::vector<std::string> ran;
  t.db().Write(testing::Service(), kClock, [&](WriteScope& scope) {
    AddSetting(scope, "kept");
    scope.AfterCommit([&] { ran.push_back("kept"); });
    {
      Savepoint sp(scope.transaction());
      AddSetting(scope, "undone");
      scope.AfterCommit([&] { ran.push_back("undone"); });
    }  // not released: rolled back to
    {
      Savepoint sp(scope.transaction());
      AddSetting(scope, "released");
      sp.Release();
    }
  });
  CHECK(ran == std::vector<std::string>{"kept"});
  CHECK(CountSettings(t.conn()) == 2);
  CHECK(std::get<int64_t>(t.Scalar("SELECT count(*) FROM ib_settings WHERE key = 'undone'")) == 0);
}

TEST_CASE("unit of work: RequestClock::Now reads the system clock in microseconds") {
  const RequestClock c = RequestClock::Now();
  CHECK(c.now_micros > kClock.now_micros);  // later than Nov 2023
  CHECK(c.now_seconds() == c.now_micros / 1'000'000);
}

}  // namespace
}  // namespace ib::storage
