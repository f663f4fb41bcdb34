// Transaction: RAII BEGIN ... COMMIT on one connection. Rolls back unless Commit() ran, so an
// Error thrown anywhere in a request (a hook, a guard check, a bad value) undoes every write of
// that request. Work that must wait for durability (effects outside the database) goes into
// the after-commit queue and runs only once COMMIT succeeded. Not thread-safe; one per request.
#pragma once

#include <functional>
#include <vector>

namespace ib::storage {

class Connection;

class Transaction {
 public:
  enum class Mode { kRead, kWrite };
  Transaction(Connection& conn, Mode mode);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;

  void Commit();
  void Rollback();
  void AfterCommit(std::function<void()> fn) { after_commit_.push_back(std::move(fn)); }
  Connection& conn() { return conn_; }

 private:
  Connection& conn_;
  bool open_ = false;
  std::vector<std::function<void()>> after_commit_;
};

}  // namespace ib::storage
