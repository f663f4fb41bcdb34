// Transaction: RAII BEGIN ... COMMIT on one connection. Rolls back unless Commit() ran, so an
// Error thrown anywhere in a request (a hook, a guard check, a bad value) undoes every write of
// that request. Work that must wait for durability (effects outside the database) goes into
// the after-commit queue and runs only once COMMIT succeeded. Not thread-safe; one per request.
// A write transaction on the writer also captures its row changes (storage/change_capture.h)
// and publishes them after COMMIT, first in the after-commit queue; ROLLBACK drops them.
// Savepoint undoes part of a transaction (its writes and the after-commit work queued since).
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

namespace ib::storage {

class ChangeCapture;
class Connection;

class Transaction {
 public:
  enum class Mode { kRead, kWrite };
  Transaction(Connection& conn, Mode mode);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;

  // COMMIT, then the after-commit queue in order. A failing queued item is logged, not
  // thrown: the transaction is durable by then and the caller's answer must say so.
  void Commit();
  // COMMIT, and hand back the after-commit queue (the committed changes' publication first)
  // instead of running it: the caller runs it once the commit is durable (GroupCommit).
  std::vector<std::function<void()>> CommitKeepingEffects();
  // Runs an after-commit queue in order; a failing item is logged, not thrown.
  static void RunEffects(std::vector<std::function<void()>>& effects);
  void Rollback();
  // SQLite has already rolled the transaction back by itself (an I/O error, a full disk):
  // forget it and its queued work without sending ROLLBACK.
  void Abandon();
  void AfterCommit(std::function<void()> fn) { after_commit_.push_back(std::move(fn)); }
  Connection& conn() { return conn_; }
  Mode mode() const { return mode_; }

 private:
  friend class Savepoint;
  ChangeCapture* Capture();  // the writer's, for a write transaction; else nullptr

  Connection& conn_;
  Mode mode_;
  bool open_ = false;
  int savepoints_ = 0;  // nesting depth, names the next savepoint
  std::vector<std::function<void()>> after_commit_;
};

// SAVEPOINT on construction. Release() keeps what was written since; otherwise the destructor
// rolls back to it (ROLLBACK TO), dropping those writes and the after-commit work queued since,
// and the transaction carries on. Savepoints nest strictly (destroy inner ones first).
class Savepoint {
 public:
  explicit Savepoint(Transaction& tx);
  ~Savepoint();
  Savepoint(const Savepoint&) = delete;
  Savepoint& operator=(const Savepoint&) = delete;

  void Release();
  void RollbackTo();  // undo now and end the savepoint (the destructor then does nothing)
  void Abandon();     // the whole transaction is gone (Transaction::Abandon): just forget it

 private:
  std::string Name() const;

  Transaction& tx_;
  int depth_;
  size_t after_commit_mark_;
  size_t capture_mark_ = 0;
  bool open_ = true;
};

}  // namespace ib::storage
