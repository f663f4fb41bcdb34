// TestDb: a fresh database (in memory, or at a given file path) with the whole schema applied
// and its catalog loaded, for unit tests of storage code. Each instance is independent.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "storage/catalog.h"
#include "storage/db.h"
#include "storage/executor.h"
#include "storage/principal.h"

namespace ib::testing {

class TestDb {
 public:
  explicit TestDb(const std::string& path = ":memory:");

  storage::Db& db() { return *db_; }
  const storage::Catalog& catalog() const { return *catalog_; }
  std::shared_ptr<const storage::Catalog> catalog_ptr() const { return catalog_; }
  storage::Connection& conn() { return db_->TEST_writer(); }

  // Runs SQL on the writer connection (no parameters) / returns one scalar.
  void Exec(const std::string& sql);
  storage::SqlValue Scalar(const std::string& sql, std::vector<storage::SqlValue> params = {});
  // The number of rows in `table` (a name from the schema, not request text).
  int64_t Count(const std::string& table);
  // EXPLAIN QUERY PLAN's steps for `q` with its parameters bound, one per line.
  std::string QueryPlan(const storage::SqlQuery& q);

  // Inserts an auth user row directly (no hooks) and returns its id.
  std::string AddUser(const std::string& email);

 private:
  std::unique_ptr<storage::Db> db_;
  std::shared_ptr<const storage::Catalog> catalog_;
};

storage::Principal Service();
storage::Principal Anon();
storage::Principal User(const std::string& id);

}  // namespace ib::testing
