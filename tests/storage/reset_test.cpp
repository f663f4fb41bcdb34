// ResetAllData: every table emptied in one go, settings, the migration record and seeds kept.
#include "storage/reset.h"

#include <doctest/doctest.h>

#include "storage/change_log.h"
#include "storage/migrator.h"
#include "storage/request_clock.h"
#include "tests/support/gamification_fixture.h"

namespace ib::storage {
namespace {

TEST_CASE(
    "reset: empties every table but ib_settings and the migration record, and restores the "
    "migrations' seeds") {
  testing::GamificationFixture f;
  auto& db = f.db();
  db.Exec("INSERT INTO ib_settings (key, value) VALUES ('jwt_secret', 's3cret')");
  const std::string u = f.AddUser("a@x.io");
  f.Complete(u, 95.0);
  const auto seeded_buckets =
      db.Scalar("SELECT COUNT(*) FROM sqlite_schema WHERE name = 'storage_buckets'");
  const int emptied = ResetAllData(db.db(), testing::Service(), RequestClock::Now());
  CHECK(emptied == static_cast<int>(db.catalog().tables().size()) - 2);
  for (const auto& table : db.catalog().tables()) {
    CAPTURE(table->name);
    const auto n = std::get<int64_t>(db.Scalar("SELECT COUNT(*) FROM " + table->ident.sql()));
    if (table->name == "ib_settings") {
      CHECK(n == 1);
    } else if (table->name == "ib_schema_migrations") {
      CHECK(n == static_cast<int64_t>(EmbeddedMigrations().size()));  // the schema stays
    } else if (table->name == "storage_buckets") {
      CHECK(n == 1);  // the interview-audio bucket of the storage migration
    } else {
      CHECK(n == 0);
    }
  }
  CHECK(std::get<std::string>(db.Scalar("SELECT value FROM ib_settings")) == "s3cret");
  if (std::get<int64_t>(seeded_buckets) == 1) {
    CHECK(std::get<std::string>(db.Scalar("SELECT id FROM storage_buckets")) == "interview-audio");
  }
  // The schema still works afterwards: the same user id can be created and awarded again.
  const std::string again = f.AddUser("a@x.io");
  f.Complete(again, 95.0);
  CHECK(f.Int("profiles", again, "completed_interviews") == 1);
}

TEST_CASE("reset: every row it removes or re-seeds reaches the change log in one batch") {
  testing::GamificationFixture f;
  auto& db = f.db();
  const std::string u = f.AddUser("a@x.io");
  std::vector<std::vector<ChangeRecord>> batches;
  db.db().changes().Subscribe(
      [&](const std::vector<ChangeRecord>& batch) { batches.push_back(batch); });
  ResetAllData(db.db(), testing::Service(), RequestClock::Now());
  REQUIRE(batches.size() == 1);
  int user_deletes = 0, profile_deletes = 0, bucket_inserts = 0;
  for (const auto& r : batches[0]) {
    if (r.table == "auth_users" && r.op == ChangeOp::kDelete) ++user_deletes;
    if (r.table == "profiles" && r.op == ChangeOp::kDelete) ++profile_deletes;
    if (r.table == "storage_buckets" && r.op == ChangeOp::kInsert) ++bucket_inserts;
  }
  CHECK(user_deletes == 1);
  CHECK(profile_deletes == 1);
  CHECK(bucket_inserts == 1);
}

}  // namespace
}  // namespace ib::storage
