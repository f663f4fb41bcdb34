// The targets of PATCH and DELETE: found in a read snapshot without the writer lock, then
// re-checked under the writer on the found rows only (server/rest/write_targets.cpp).
#include <doctest/doctest.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <future>
#include <thread>

#include "server/rest/actions.h"
#include "server/rest/query_params.h"
#include "storage/executor.h"
#include "storage/row_writer.h"
#include "storage/unit_of_work.h"
#include "tests/support/test_db.h"

namespace {

using ib::rest::ActionInput;
using ib::storage::SqlValue;
using ib::storage::WriteScope;
using Command = ib::storage::guards::Command;
using Params = std::vector<std::pair<std::string, std::string>>;

const ib::storage::RequestClock kWriteTargetsClock{1'700'000'000'000'000};

// One PATCH-shaped request of `who` on interview_sessions, ready for the target steps.
struct Request {
  ib::rest::RestRequest rest;
  ib::rest::ApiRequest api;
  ib::rest::Preferences prefs;
  ib::storage::Principal who;
  ib::rest::PlanContext plan;
  ActionInput in;

  Request(ib::testing::TestDb& t, ib::storage::Principal principal, const Params& params,
          const char* table = "interview_sessions")
      : api(ib::rest::ParseQueryParams(params)),
        who(std::move(principal)),
        plan{t.catalog(), who, 0, kWriteTargetsClock.now_micros},
        in{rest,
           api,
           prefs,
           ib::rest::MediaType::kJson,
           *t.catalog().FindExposedTable(table),
           plan,
           kWriteTargetsClock,
           t.db()} {}
};

int64_t AddSession(ib::testing::TestDb& t, const std::string& user, const std::string& title) {
  return t.db().Write(ib::testing::Service(), kWriteTargetsClock, [&](WriteScope& scope) {
    return scope.writer().Insert("interview_sessions",
                                 {{"user_id", SqlValue{user}}, {"title", SqlValue{title}}});
  });
}

std::string SessionId(ib::testing::TestDb& t, int64_t rowid) {
  return std::get<std::string>(*ib::storage::Executor(t.conn()).Scalar(
      {"SELECT id FROM interview_sessions WHERE rowid = ?", {SqlValue{rowid}}, ""}));
}

}  // namespace

TEST_CASE("write targets: the writer re-checks only the rows the snapshot found") {
  ib::testing::TestDb t;
  std::string alice = t.AddUser("alice@example.com");
  std::string bob = t.AddUser("bob@example.com");
  int64_t b1 = AddSession(t, alice, "b1");
  int64_t a1 = AddSession(t, alice, "a1");
  int64_t a5 = AddSession(t, alice, "a5");
  int64_t a6 = AddSession(t, alice, "a6");
  int64_t a2 = AddSession(t, alice, "a2");
  Request req(t, ib::testing::User(alice), {{"title", "like.a*"}, {"order", "title"}});

  auto found = ib::rest::FindTargets(req.in, Command::kUpdate);
  CHECK(found.count == 4);

  // Between the snapshot and the write, others change the rows.
  int64_t a3 = 0;
  t.db().Write(ib::testing::Service(), kWriteTargetsClock, [&](WriteScope& scope) {
    scope.writer().Update("interview_sessions", a1, {{"title", SqlValue{"x1"}}});   // no match
    scope.writer().Update("interview_sessions", a6, {{"user_id", SqlValue{bob}}});  // not hers
    scope.writer().Delete("interview_sessions", a2);
    a3 = scope.writer().Insert("interview_sessions",
                               {{"user_id", SqlValue{alice}}, {"title", SqlValue{"a3"}}});
    scope.writer().Update("interview_sessions", b1, {{"title", SqlValue{"ab1"}}});  // new match
  });
  // SQLite reuses the largest rowid once its row is gone: the key check must tell them apart.
  REQUIRE(a3 == a2);

  std::vector<int64_t> kept =
      t.db().Write(ib::testing::User(alice), kWriteTargetsClock,
                   [&](WriteScope& s) { return ib::rest::RecheckTargets(s.conn(), found); });
  CHECK(kept == std::vector<int64_t>{a5});
}

TEST_CASE("write targets: the found order survives the re-check") {
  ib::testing::TestDb t;
  std::string alice = t.AddUser("alice@example.com");
  int64_t c = AddSession(t, alice, "c");
  int64_t a = AddSession(t, alice, "a");
  int64_t b = AddSession(t, alice, "b");
  Request req(t, ib::testing::Service(), {{"order", "title.desc"}, {"limit", "2"}});
  auto found = ib::rest::FindTargets(req.in, Command::kDelete);
  std::vector<int64_t> kept =
      t.db().Write(ib::testing::Service(), kWriteTargetsClock,
                   [&](WriteScope& s) { return ib::rest::RecheckTargets(s.conn(), found); });
  CHECK(kept == std::vector<int64_t>{c, b});
  (void)a;
}

TEST_CASE("write targets: the filters run while another request holds the writer") {
  // A file database, so reads have their own connection (an in-memory one is all writer).
  auto path = std::filesystem::temp_directory_path() /
              ("ib_write_targets_" + std::to_string(::getpid()) + ".db");
  std::filesystem::remove(path);
  {
    ib::testing::TestDb t(path.string());
    std::string alice = t.AddUser("alice@example.com");
    AddSession(t, alice, "aaaa");
    Request req(t, ib::testing::User(alice), {{"title", "match.^(a|a)+$"}});

    std::promise<void> holding;
    std::promise<void> release;
    std::thread writer([&] {
      t.db().Write(ib::testing::Service(), kWriteTargetsClock, [&](WriteScope&) {
        holding.set_value();
        release.get_future().wait();
      });
    });
    holding.get_future().wait();
    // Were the filters evaluated under the writer, this would wait for the writer forever.
    auto finding = std::async(std::launch::async,
                              [&] { return ib::rest::FindTargets(req.in, Command::kUpdate); });
    bool done = finding.wait_for(std::chrono::seconds(10)) == std::future_status::ready;
    release.set_value();
    writer.join();
    REQUIRE(done);
    CHECK(finding.get().count == 1);
  }
  std::filesystem::remove(path);
  std::filesystem::remove(path.string() + "-wal");
  std::filesystem::remove(path.string() + "-shm");
}

TEST_CASE("write targets: a filter that pins one row by a key leaves the search to the writer") {
  ib::testing::TestDb t;
  std::string alice = t.AddUser("alice@example.com");
  std::string bob = t.AddUser("bob@example.com");
  int64_t a1 = AddSession(t, alice, "a1");
  int64_t a2 = AddSession(t, alice, "a2");
  const std::string id1 = SessionId(t, a1);
  const std::string id2 = SessionId(t, a2);
  auto by_writer = [&](const Params& params, const char* table = "interview_sessions") {
    Request req(t, ib::testing::User(alice), params, table);
    return ib::rest::FindTargets(req.in, Command::kUpdate).by_writer;
  };

  // The primary key, alone or beside other filters; a unique column (streaks.user_id).
  CHECK(by_writer({{"id", "eq." + id1}}));
  CHECK(by_writer({{"title", "like.a*"}, {"id", "eq." + id1}}));
  CHECK(by_writer({{"user_id", "eq." + alice}}, "streaks"));
  // Anything that may select more than one row, or not through the key's index, is searched
  // in a snapshot first.
  CHECK_FALSE(by_writer({{"title", "eq.a1"}}));                         // not a key
  CHECK_FALSE(by_writer({{"id", "neq." + id1}}));                       // not an equality
  CHECK_FALSE(by_writer({{"id", "not.eq." + id1}}));                    // negated
  CHECK_FALSE(by_writer({{"id", "in.(" + id1 + "," + id2 + ")"}}));     // a list
  CHECK_FALSE(by_writer({{"or", "(id.eq." + id1 + ",title.eq.a2)"}}));  // under an OR
  CHECK_FALSE(by_writer({{"id", "eq." + id1}, {"limit", "1"}}));        // paging
  CHECK_FALSE(by_writer({{"id", "eq." + id1}, {"order", "title"}}));    // an order
  CHECK_FALSE(by_writer({{"user_id", "eq." + alice}}));  // a key of another table only
  // A unique column of a table read through its computed columns (the leaderboard's rank).
  CHECK_FALSE(by_writer({{"user_id", "eq." + alice}}, "leaderboard"));

  // The writer finds the row as it is then, under the guard and every filter.
  Request pinned(t, ib::testing::User(alice), {{"title", "like.a*"}, {"id", "eq." + id1}});
  auto found = ib::rest::FindTargets(pinned.in, Command::kUpdate);
  auto recheck = [&](const ib::rest::FoundTargets& f) {
    return t.db().Write(ib::testing::User(alice), kWriteTargetsClock,
                        [&](WriteScope& s) { return ib::rest::RecheckTargets(s.conn(), f); });
  };
  CHECK(recheck(found) == std::vector<int64_t>{a1});
  t.db().Write(ib::testing::Service(), kWriteTargetsClock, [&](WriteScope& scope) {
    scope.writer().Update("interview_sessions", a1, {{"title", SqlValue{"x1"}}});
  });
  CHECK(recheck(found).empty());  // no longer matches the title filter
  t.db().Write(ib::testing::Service(), kWriteTargetsClock, [&](WriteScope& scope) {
    scope.writer().Update("interview_sessions", a1,
                          {{"title", SqlValue{"a1"}}, {"user_id", SqlValue{bob}}});
  });
  CHECK(recheck(found).empty());  // matches, but the guard hides bob's row from alice
}
