// GamificationFixture: a fresh in-memory database (TestDb) plus helpers that drive the
// interview hooks through RowWriter at a chosen clock, and read back what they wrote. For unit
// tests of storage/hooks and storage/rpc; one per test case, single-threaded.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "storage/hooks/hook.h"
#include "storage/row_writer.h"
#include "tests/support/test_db.h"

namespace ib::testing {

// Microseconds since the epoch for an ISO-8601 timestamp ("2024-05-01T12:00:00Z").
int64_t Micros(const std::string& iso);

class GamificationFixture {
 public:
  GamificationFixture();

  TestDb& db() { return db_; }
  int64_t now = Micros("2024-05-10T12:00:00Z");  // the writer's clock

  // A RowWriter acting as the service at `now`.
  storage::RowWriter Writer();

  // An auth user (direct insert, no hooks), with a profile row unless `with_profile` is false.
  std::string AddUser(const std::string& email, bool with_profile = true);

  // A session of `user` (status 'pending' unless given in `extra`); returns its id.
  std::string AddSession(const std::string& user, storage::hooks::RowData extra = {});
  // PATCHes a session through the writer.
  void UpdateSession(const std::string& id, storage::hooks::RowData changes);
  void DeleteSession(const std::string& id);
  // Adds a session and completes it with `score` (nullopt = NULL) at `completed_at` (ISO;
  // "" = leave NULL so the hook stamps it), of `type`. Returns its id.
  std::string Complete(const std::string& user, std::optional<double> score,
                       const std::string& completed_at = "", const std::string& type = "voice");

  // Column of a user's row in `table` (keyed by id for profiles, user_id otherwise).
  storage::SqlValue Get(const std::string& table, const std::string& user,
                        const std::string& column);
  int64_t Int(const std::string& table, const std::string& user, const std::string& column);
  double Real(const std::string& table, const std::string& user, const std::string& column);
  std::string Text(const std::string& table, const std::string& user, const std::string& column);
  int64_t Count(const std::string& sql, const std::string& param);
  bool HasAchievement(const std::string& user, const std::string& type);

 private:
  TestDb db_;
  storage::Principal service_;
  int users_ = 0;
};

}  // namespace ib::testing
