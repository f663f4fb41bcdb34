#include "storage/transaction.h"

#include <iostream>

#include "storage/db.h"
#include "storage/executor.h"

namespace ib::storage {

Transaction::Transaction(Connection& conn, Mode mode) : conn_(conn) {
  // IMMEDIATE takes the write lock up front, so a write never fails half-way on SQLITE_BUSY
  // after its reads; a read transaction gives every statement of the request one snapshot.
  Executor(conn_).Exec(mode == Mode::kWrite ? "BEGIN IMMEDIATE" : "BEGIN");
  open_ = true;
}

Transaction::~Transaction() {
  if (!open_) return;
  try {
    Rollback();
  } catch (const std::exception& e) {
    std::cerr << "rollback failed: " << e.what() << std::endl;
  }
}

void Transaction::Commit() {
  Executor(conn_).Exec("COMMIT");
  open_ = false;
  auto queue = std::move(after_commit_);
  for (auto& fn : queue) fn();
}

void Transaction::Rollback() {
  open_ = false;
  after_commit_.clear();
  Executor(conn_).Exec("ROLLBACK");
}

}  // namespace ib::storage
