// GroupCommit through Db::Write: concurrent writes share a transaction, yet each stays atomic
// and isolated: a failing one rolls back alone with its own error, the others commit, hooks
// fire once per committed row, and a batch whose transaction SQLite ended fails as a whole.
#include "storage/group_commit.h"

#include <doctest/doctest.h>
#include <pthread.h>
#include <signal.h>
#include <time.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "storage/catalog.h"
#include "storage/change_log.h"
#include "storage/error.h"
#include "storage/executor.h"
#include "storage/hooks/fired_trace.h"
#include "storage/thread_waker.h"
#include "storage/unit_of_work.h"
#include "tests/support/gamification_fixture.h"
#include "tests/support/scratch_dir.h"

namespace ib::storage {
namespace {

using testing::GamificationFixture;

const RequestClock kCommitClock{1'700'000'000'000'000};

void Pause() { std::this_thread::sleep_for(std::chrono::milliseconds(1)); }

// Runs body(i, scope) as `n` concurrent writes that form one batch: a first write holds its
// own batch open until all `n` wait for the next one, which the writer then takes whole.
// Returns each write's error code, when it failed.
std::vector<std::optional<std::string>> WriteInOneBatch(
    Db& db, int n, const std::function<void(int, WriteScope&)>& body) {
  std::atomic<bool> holding{false};
  std::thread holder([&] {
    db.Write(testing::Service(), kCommitClock, [&](WriteScope&) {
      holding = true;
      while (db.group_commit().queued() < static_cast<size_t>(n)) Pause();
    });
  });
  while (!holding) Pause();
  std::vector<std::optional<std::string>> errors(static_cast<size_t>(n));
  std::vector<std::thread> writers;
  for (int i = 0; i < n; ++i) {
    writers.emplace_back([&, i] {
      try {
        db.Write(testing::Service(), kCommitClock, [&](WriteScope& scope) { body(i, scope); });
      } catch (const Error& e) {
        errors[static_cast<size_t>(i)] = e.code();
      }
    });
  }
  holder.join();
  for (auto& w : writers) w.join();
  return errors;
}

TEST_CASE("group commit: failing and succeeding writes interleaved in one batch") {
  GamificationFixture f;
  Db& db = f.db().db();
  const std::string user = f.AddUser("a@x.io");
  constexpr int kWrites = 12;
  const size_t batches_before = db.group_commit().batches();

  auto errors = WriteInOneBatch(db, kWrites, [&](int i, WriteScope& scope) {
    // Odd writes insert a session, then one whose score the CHECK refuses: the first insert
    // (and its hook's counter update) must roll back with it.
    scope.writer().Insert("interview_sessions",
                          {{"user_id", user}, {"title", "ok " + std::to_string(i)}});
    if (i % 2 == 1) {
      scope.writer().Insert(
          "interview_sessions",
          {{"user_id", user}, {"title", std::string("bad")}, {"overall_score", 150.0}});
    }
  });

  // The holder's batch, then the twelve together (the writer takes every queued write).
  CHECK(db.group_commit().batches() == batches_before + 2);
  for (int i = 0; i < kWrites; ++i) {
    CAPTURE(i);
    if (i % 2 == 1) {
      REQUIRE(errors[static_cast<size_t>(i)]);
      CHECK(*errors[static_cast<size_t>(i)] == "23514");
    } else {
      CHECK_FALSE(errors[static_cast<size_t>(i)]);
    }
  }
  CHECK(f.Count("SELECT count(*) FROM interview_sessions WHERE user_id = ?", user) == kWrites / 2);
  CHECK(f.Count("SELECT count(*) FROM interview_sessions WHERE user_id = ? AND title = 'bad'",
                user) == 0);
  // The counter hook fired exactly once per committed session and never for a rolled-back one.
  CHECK(f.Int("profiles", user, "total_interviews") == kWrites / 2);
}

TEST_CASE("group commit: bodies run on one writer thread, after-commit work on the sync thread") {
  GamificationFixture f;
  Db& db = f.db().db();
  std::thread::id requester, body_thread, second_body_thread, effect_thread;
  std::thread([&] {
    requester = std::this_thread::get_id();
    db.Write(testing::Service(), kCommitClock, [&](WriteScope& scope) {
      body_thread = std::this_thread::get_id();
      scope.AfterCommit([&] { effect_thread = std::this_thread::get_id(); });
    });
    db.Write(testing::Service(), kCommitClock,
             [&](WriteScope&) { second_body_thread = std::this_thread::get_id(); });
  }).join();
  CHECK(body_thread != requester);
  CHECK(second_body_thread == body_thread);
  CHECK(effect_thread != requester);
  CHECK(effect_thread != body_thread);
}

TEST_CASE("group commit: each write's hooks are traced on its own thread, in a shared batch") {
  // Bodies run on the writer thread, which lends each the trace of the thread that asked.
  GamificationFixture f;
  Db& db = f.db().db();
  const std::string user = f.AddUser("trace@x.io");
  std::atomic<bool> holding{false};
  std::atomic<bool> release{false};
  std::thread holder([&] {
    db.Write(testing::Service(), kCommitClock, [&](WriteScope&) {
      holding = true;
      while (!release) Pause();
    });
  });
  while (!holding) Pause();
  std::vector<std::string> session_hooks, settings_hooks;
  std::thread session_writer([&] {
    hooks::FiredTrace trace;
    db.Write(testing::Service(), kCommitClock, [&](WriteScope& scope) {
      scope.writer().Insert("interview_sessions", {{"user_id", user}, {"title", "traced"}});
    });
    session_hooks = trace.names();
  });
  std::thread settings_writer([&] {
    hooks::FiredTrace trace;
    db.Write(testing::Service(), kCommitClock, [&](WriteScope& scope) {
      scope.writer().Insert("ib_settings", {{"key", "traced"}, {"value", "v"}});
    });
    settings_hooks = trace.names();
  });
  while (db.group_commit().queued() < 2) Pause();
  const size_t batches_before = db.group_commit().batches();
  release = true;
  holder.join();
  session_writer.join();
  settings_writer.join();
  CHECK(db.group_commit().batches() == batches_before + 2);  // the holder's, then both
  CHECK(std::count(session_hooks.begin(), session_hooks.end(), "count_interviews_on_insert") == 1);
  CHECK(settings_hooks.empty());
}

TEST_CASE("group commit: after-commit work runs for committed writes only, once each") {
  GamificationFixture f;
  Db& db = f.db().db();
  constexpr int kWrites = 8;
  std::atomic<int> ran{0};
  std::atomic<int> ran_for_failed{0};
  WriteInOneBatch(db, kWrites, [&](int i, WriteScope& scope) {
    scope.writer().Insert("ib_settings",
                          {{"key", "k" + std::to_string(i)}, {"value", std::string("v")}});
    if (i % 2 == 1) {
      scope.AfterCommit([&] { ++ran_for_failed; });
      throw Error::InvalidBody("refused");
    }
    scope.AfterCommit([&] { ++ran; });
  });
  CHECK(ran == kWrites / 2);
  CHECK(ran_for_failed == 0);
  CHECK(f.db().Scalar("SELECT count(*) FROM ib_settings WHERE key LIKE 'k%'") ==
        SqlValue(int64_t{kWrites / 2}));
}

TEST_CASE("group commit: a transaction SQLite ended fails the whole batch, nothing stays") {
  GamificationFixture f;
  Db& db = f.db().db();
  constexpr int kWrites = 4;
  auto errors = WriteInOneBatch(db, kWrites, [&](int i, WriteScope& scope) {
    scope.writer().Insert("ib_settings",
                          {{"key", "t" + std::to_string(i)}, {"value", std::string("v")}});
    // What an I/O error does: SQLite rolls the whole transaction back itself.
    if (i == kWrites - 1) {
      Executor(scope.conn()).Exec("ROLLBACK");
      throw Error::Internal("the transaction was rolled back");
    }
  });
  // Whatever the order the batch ran them in, the writes before the failing one were undone
  // with it, so none of them may report success; writes after it in the batch fail too.
  for (int i = 0; i < kWrites; ++i) CHECK(errors[static_cast<size_t>(i)]);
  CHECK(f.db().Scalar("SELECT count(*) FROM ib_settings WHERE key LIKE 't%'") ==
        SqlValue(int64_t{0}));
  // The writer is usable again afterwards.
  db.Write(testing::Service(), kCommitClock, [](WriteScope& scope) {
    scope.writer().Insert("ib_settings",
                          {{"key", std::string("after")}, {"value", std::string("v")}});
  });
  CHECK(f.db().Scalar("SELECT count(*) FROM ib_settings WHERE key = 'after'") ==
        SqlValue(int64_t{1}));
}

TEST_CASE(
    "group commit: a lone write that fails leaves nothing, and nothing is committed or synced") {
  // A batch of one runs without a savepoint: its failure rolls the whole transaction back.
  testing::ScratchDir dir;
  testing::TestDb file_db(dir.path() + "/alone.db");
  Db& db = file_db.db();
  auto count = [&](const std::string& key) {
    return file_db.Scalar("SELECT count(*) FROM ib_settings WHERE key = ?", {key});
  };
  auto insert = [](WriteScope& scope, const std::string& key) {
    return scope.writer().Insert("ib_settings", {{"key", key}, {"value", std::string("v")}});
  };
  db.Write(testing::Service(), kCommitClock, [&](WriteScope& scope) { insert(scope, "first"); });
  const uint64_t syncs = db.group_commit().syncs();
  const size_t batches = db.group_commit().batches();
  std::atomic<int> ran{0};

  // Failing after a write and after queueing after-commit work.
  CHECK_THROWS_AS(db.Write(testing::Service(), kCommitClock,
                           [&](WriteScope& scope) {
                             insert(scope, "refused");
                             scope.AfterCommit([&] { ++ran; });
                             throw Error::InvalidBody("refused");
                           }),
                  Error);
  // A CHECK constraint refusing the second statement: the first goes with it.
  try {
    db.Write(testing::Service(), kCommitClock, [&](WriteScope& scope) {
      insert(scope, "before-check");
      scope.writer().Insert("interview_sessions", {{"user_id", std::string("nobody")},
                                                   {"title", std::string("bad")},
                                                   {"overall_score", 150.0}});
    });
    FAIL("the CHECK constraint did not refuse the write");
  } catch (const Error& e) {
    CHECK(e.code() == "23514");
  }
  // Rolled back on request: answered as if committed, nothing stays.
  const int64_t rowid = db.Write(testing::Service(), kCommitClock, [&](WriteScope& scope) {
    scope.AfterCommit([&] { ++ran; });
    scope.RollBackWhenDone();
    return insert(scope, "rolled-back");
  });
  CHECK(rowid > 0);
  // SQLite ending the transaction itself (what an I/O error does).
  CHECK_THROWS_AS(db.Write(testing::Service(), kCommitClock,
                           [&](WriteScope& scope) {
                             insert(scope, "ended");
                             Executor(scope.conn()).Exec("ROLLBACK");
                             throw Error::Internal("the transaction was rolled back");
                           }),
                  Error);

  CHECK(ran == 0);
  for (const char* key : {"refused", "before-check", "rolled-back", "ended"}) {
    CAPTURE(key);
    CHECK(count(key) == SqlValue(int64_t{0}));
  }
  CHECK(db.group_commit().batches() == batches + 4);
  CHECK(db.group_commit().syncs() == syncs);  // nothing was committed, so nothing to sync
  // The writer goes on: the next lone write commits and is synced.
  db.Write(testing::Service(), kCommitClock, [&](WriteScope& scope) { insert(scope, "after"); });
  CHECK(count("after") == SqlValue(int64_t{1}));
  CHECK(db.group_commit().syncs() == syncs + 1);
}

TEST_CASE("durability: full syncs every batch's WAL before answering, normal only at checkpoints") {
  testing::ScratchDir dir;
  auto synchronous = [](Db& db) {
    Db::WriteLease lease(db);
    return std::get<int64_t>(*Executor(lease.conn()).Scalar({"PRAGMA synchronous", {}, ""}));
  };
  auto write = [](Db& db, const std::string& key) {
    db.Write(testing::Service(), kCommitClock, [&](WriteScope& s) {
      s.writer().Insert("ib_settings", {{"key", key}, {"value", std::string("v")}});
    });
  };
  // Full: the writer commits at NORMAL and each batch is synced by an fdatasync of its own,
  // taken off the writer; readers keep FULL.
  testing::TestDb durable_db(dir.path() + "/full.db");
  Db& durable = durable_db.db();
  CHECK(synchronous(durable) == 1);
  CHECK(durable.Read(testing::Service(), kCommitClock, [](ReadScope& r) {
    return std::get<int64_t>(*Executor(r.conn()).Scalar({"PRAGMA synchronous", {}, ""}));
  }) == 2);
  write(durable, "a");
  CHECK(durable.group_commit().syncs() == 1);
  write(durable, "b");
  CHECK(durable.group_commit().syncs() == 2);
  // Normal: no sync of our own.
  Db relaxed(dir.path() + "/normal.db", Durability::kNormal);
  CHECK(synchronous(relaxed) == 1);
  {
    Db::WriteLease lease(relaxed);
    Executor(lease.conn()).Exec("CREATE TABLE t (x)");
  }
  {
    Db::WriteLease lease(relaxed);
    relaxed.SetCatalog(Catalog::Load(lease.conn()));
  }
  relaxed.Write(testing::Service(), kCommitClock,
                [](WriteScope& s) { Executor(s.conn()).Exec("INSERT INTO t VALUES (1)"); });
  CHECK(relaxed.group_commit().syncs() == 0);
}

TEST_CASE("group commit: a write asked to roll back answers, leaves nothing, others commit") {
  GamificationFixture f;
  std::atomic<int> ran{0};
  auto errors = WriteInOneBatch(f.db().db(), 6, [&](int i, WriteScope& scope) {
    scope.writer().Insert("ib_settings", {{"key", "r" + std::to_string(i)}, {"value", "v"}});
    scope.AfterCommit([&] { ++ran; });
    if (i % 2 == 1) scope.RollBackWhenDone();
  });
  CHECK(std::none_of(errors.begin(), errors.end(), [](const auto& e) { return e.has_value(); }));
  CHECK(ran == 3);
  CHECK(f.db().Scalar("SELECT count(*) FROM ib_settings WHERE key LIKE 'r%'") ==
        SqlValue(int64_t{3}));
  CHECK(f.db().Scalar("SELECT count(*) FROM ib_settings WHERE key IN ('r1', 'r3', 'r5')") ==
        SqlValue(int64_t{0}));
  // The body's value comes back as if it had committed.
  const int64_t value = f.db().db().Write(testing::Service(), kCommitClock, [](WriteScope& scope) {
    scope.RollBackWhenDone();
    return scope.writer().Insert("ib_settings", {{"key", "gone"}, {"value", "v"}});
  });
  CHECK(value > 0);
  CHECK(f.db().Scalar("SELECT count(*) FROM ib_settings WHERE key = 'gone'") ==
        SqlValue(int64_t{0}));
}

TEST_CASE("group commit: more writes queued than a batch holds all finish, in batches") {
  // Each waiting write is woken alone, when its batch is over: with more than kMaxBatch queued,
  // the ones left over go in the batches after.
  testing::ScratchDir dir;
  testing::TestDb file_db(dir.path() + "/many.db");
  Db& db = file_db.db();
  const int n = static_cast<int>(GroupCommit::kMaxBatch) * 2 + 5;
  const size_t batches_before = db.group_commit().batches();
  auto errors = WriteInOneBatch(db, n, [](int i, WriteScope& scope) {
    scope.writer().Insert("ib_settings", {{"key", "many-" + std::to_string(i)}, {"value", "v"}});
  });
  CHECK(std::none_of(errors.begin(), errors.end(), [](const auto& e) { return e.has_value(); }));
  CHECK(file_db.Scalar("SELECT count(*) FROM ib_settings WHERE key LIKE 'many-%'") ==
        SqlValue(int64_t{n}));
  // The holder's batch, then at least three for the n queued (64 at most each).
  CHECK(db.group_commit().batches() - batches_before >= 4);
  CHECK(db.group_commit().writes() >= static_cast<size_t>(n) + 1);
}

TEST_CASE("group commit: a stale wake of a waiting write does not end its wait early") {
  // A thread's waker may carry a wake meant for an earlier wait (storage/thread_waker.h): the
  // write must look again and wait on until its own batch is over.
  testing::ScratchDir dir;
  testing::TestDb file_db(dir.path() + "/stale.db");
  Db& db = file_db.db();
  std::atomic<bool> holding{false};
  std::atomic<bool> released{false};
  std::atomic<bool> returned_before_release{false};
  std::atomic<bool> writer_returned{false};
  std::thread holder([&] {
    db.Write(testing::Service(), kCommitClock, [&](WriteScope& scope) {
      holding = true;
      scope.writer().Insert("ib_settings", {{"key", "holder"}, {"value", "v"}});
      while (db.group_commit().queued() < 1 && !writer_returned) Pause();
      // The queued write has had its stale wake by now (at its first wait) and waits again.
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      released = true;
    });
  });
  while (!holding) Pause();
  std::thread writer([&] {
    ThreadWaker::ForThisThread().Signal();  // the stale wake
    db.Write(testing::Service(), kCommitClock, [&](WriteScope& scope) {
      scope.writer().Insert("ib_settings", {{"key", "stale"}, {"value", "v"}});
    });
    if (!released) returned_before_release = true;
    writer_returned = true;
  });
  holder.join();
  writer.join();
  CHECK_FALSE(returned_before_release);
  CHECK(file_db.Scalar("SELECT count(*) FROM ib_settings WHERE key IN ('holder', 'stale')") ==
        SqlValue(int64_t{2}));
}

// Holds a thread inside a signal handler until released: a waiting write that cannot wake.
std::atomic<bool> stalled{false};
std::atomic<bool> stall_released{false};
void Stall(int) {
  stalled = true;
  const timespec tick{0, 1'000'000};
  while (!stall_released) nanosleep(&tick, nullptr);
}

TEST_CASE("group commit: a write whose thread cannot wake holds up no other write") {
  // The writer and sync threads do all of a batch's work: a request thread only queues its
  // write and sleeps. One held in a signal handler (as a thread the scheduler does not run)
  // still has its write committed in its batch, and the batches after it run and answer.
  testing::ScratchDir dir;
  testing::TestDb file_db(dir.path() + "/stalled.db");
  Db& db = file_db.db();
  struct sigaction stall {};
  stall.sa_handler = Stall;
  struct sigaction before {};
  REQUIRE(sigaction(SIGUSR1, &stall, &before) == 0);
  stalled = false;
  stall_released = false;
  std::atomic<bool> holding{false};
  std::atomic<bool> release_holder{false};
  std::thread holder([&] {
    db.Write(testing::Service(), kCommitClock, [&](WriteScope&) {
      holding = true;
      while (!release_holder) Pause();
    });
  });
  while (!holding) Pause();
  const auto write = [&](const std::string& key) {
    db.Write(testing::Service(), kCommitClock, [&](WriteScope& scope) {
      scope.writer().Insert("ib_settings", {{"key", key}, {"value", "v"}});
    });
  };
  std::vector<std::thread> queued;
  queued.emplace_back([&] { write("full-0"); });
  while (db.group_commit().queued() < 1) Pause();
  REQUIRE(pthread_kill(queued[0].native_handle(), SIGUSR1) == 0);
  while (!stalled) Pause();
  const int n = static_cast<int>(GroupCommit::kMaxBatch);
  for (int i = 1; i < n; ++i) queued.emplace_back([&, i] { write("full-" + std::to_string(i)); });
  while (db.group_commit().queued() < static_cast<size_t>(n)) Pause();
  release_holder = true;
  holder.join();
  write("late");  // a full batch ahead of it, the stalled write's among them
  const SqlValue late = file_db.Scalar("SELECT count(*) FROM ib_settings WHERE key = 'late'");
  const SqlValue full = file_db.Scalar("SELECT count(*) FROM ib_settings WHERE key LIKE 'full-%'");
  stall_released = true;
  for (auto& t : queued) t.join();
  REQUIRE(sigaction(SIGUSR1, &before, nullptr) == 0);
  CHECK(late == SqlValue(int64_t{1}));
  CHECK(full == SqlValue(int64_t{n}));  // before the stalled thread was let go
}

TEST_CASE("durability: batches overlap their syncs, effects and the change log stay in order") {
  testing::ScratchDir dir;
  testing::TestDb file_db(dir.path() + "/order.db");
  Db& db = file_db.db();
  std::mutex mu;
  std::vector<int64_t> effect_order;  // rowids, in the order their after-commit work ran
  std::vector<int64_t> published;     // change-log sequence numbers, in delivery order
  auto id = db.changes().Subscribe([&](const std::vector<ChangeRecord>& batch) {
    std::lock_guard<std::mutex> lock(mu);
    for (const auto& r : batch) published.push_back(r.sequence);
  });
  constexpr int kThreads = 8;
  constexpr int kWrites = 60;
  std::vector<std::thread> writers;
  for (int t = 0; t < kThreads; ++t) {
    writers.emplace_back([&, t] {
      for (int i = 0; i < kWrites; ++i) {
        db.Write(testing::Service(), kCommitClock, [&](WriteScope& s) {
          const int64_t rowid = s.writer().Insert(
              "ib_settings",
              {{"key", "k" + std::to_string(t) + "-" + std::to_string(i)}, {"value", "v"}});
          s.AfterCommit([&, rowid] {
            std::lock_guard<std::mutex> lock(mu);
            effect_order.push_back(rowid);
          });
        });
      }
    });
  }
  for (auto& w : writers) w.join();
  db.changes().Unsubscribe(id);
  // Rowids grow in commit order, so effects ran in commit order across batches.
  REQUIRE(effect_order.size() == kThreads * kWrites);
  CHECK(std::is_sorted(effect_order.begin(), effect_order.end()));
  REQUIRE(published.size() >= effect_order.size());
  CHECK(std::is_sorted(published.begin(), published.end()));
  // Every batch was synced, some by a sync that covered several of them.
  const uint64_t syncs = db.group_commit().syncs();
  CHECK(syncs >= 1);
  CHECK(syncs <= db.group_commit().batches());
}

}  // namespace
}  // namespace ib::storage
