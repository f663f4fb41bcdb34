#include "storage/transaction.h"

#include <iostream>
#include <memory>

#include "storage/change_capture.h"
#include "storage/db.h"
#include "storage/executor.h"

namespace ib::storage {

Transaction::Transaction(Connection& conn, Mode mode) : conn_(conn), mode_(mode) {
  // IMMEDIATE takes the write lock up front, so a write never fails half-way on SQLITE_BUSY
  // after its reads; a read transaction gives every statement of the request one snapshot.
  Executor(conn_).Control(mode == Mode::kWrite ? "BEGIN IMMEDIATE" : "BEGIN");
  open_ = true;
  if (ChangeCapture* capture = Capture()) capture->Begin();
}

ChangeCapture* Transaction::Capture() { return mode_ == Mode::kWrite ? conn_.capture() : nullptr; }

Transaction::~Transaction() {
  if (!open_) return;
  try {
    Rollback();
  } catch (const std::exception& e) {
    std::cerr << "rollback failed: " << e.what() << std::endl;
  }
}

void Transaction::Commit() {
  auto queue = CommitKeepingEffects();
  RunEffects(queue);
}

void Transaction::RunEffects(std::vector<std::function<void()>>& effects) {
  for (auto& fn : effects) {
    try {
      fn();
    } catch (const std::exception& e) {
      std::cerr << "after-commit work failed: " << e.what() << std::endl;
    }
  }
}

std::vector<std::function<void()>> Transaction::CommitKeepingEffects() {
  Executor(conn_).Control("COMMIT");
  open_ = false;
  auto queue = std::move(after_commit_);
  after_commit_.clear();
  if (ChangeCapture* capture = Capture()) {
    try {
      // The committed changes leave through the after-commit queue like every other effect,
      // first. They are read while the writer is still held; whoever runs the queue keeps
      // publication in commit order (GroupCommit, through DurableSync).
      auto batch = std::make_shared<std::vector<ChangeRecord>>(capture->Committed(conn_));
      if (!batch->empty()) {
        queue.insert(queue.begin(), [&log = capture->log(), batch] { log.Publish(*batch); });
      }
    } catch (const std::exception& e) {
      std::cerr << "change capture failed after commit: " << e.what() << std::endl;
    }
  }
  return queue;
}

void Transaction::Abandon() {
  open_ = false;
  after_commit_.clear();
  if (ChangeCapture* capture = Capture()) capture->Discard();
}

void Transaction::Rollback() {
  open_ = false;
  after_commit_.clear();
  if (ChangeCapture* capture = Capture()) capture->Discard();
  Executor(conn_).Control("ROLLBACK");
}

Savepoint::Savepoint(Transaction& tx)
    : tx_(tx), depth_(++tx.savepoints_), after_commit_mark_(tx.after_commit_.size()) {
  if (ChangeCapture* capture = tx_.Capture()) capture_mark_ = capture->Mark();
  Executor(tx_.conn_).Control("SAVEPOINT " + Name());
}

Savepoint::~Savepoint() {
  if (!open_) return;
  try {
    RollbackTo();
  } catch (const std::exception& e) {
    std::cerr << "rollback to savepoint failed: " << e.what() << std::endl;
  }
}

std::string Savepoint::Name() const { return "ib_sp_" + std::to_string(depth_); }

void Savepoint::Release() {
  Executor(tx_.conn_).Control("RELEASE " + Name());
  open_ = false;
  --tx_.savepoints_;
}

void Savepoint::Abandon() {
  open_ = false;
  --tx_.savepoints_;
}

void Savepoint::RollbackTo() {
  open_ = false;
  --tx_.savepoints_;
  if (tx_.after_commit_.size() > after_commit_mark_) tx_.after_commit_.resize(after_commit_mark_);
  if (ChangeCapture* capture = tx_.Capture()) capture->TruncateTo(capture_mark_);
  Executor(tx_.conn_).Control("ROLLBACK TO " + Name());
  Executor(tx_.conn_).Control("RELEASE " + Name());
}

}  // namespace ib::storage
