// Checkpointer: copies the WAL back into the database file on a thread of its own, so no write
// request pays for it. SQLite's automatic checkpoint runs inside the COMMIT that crosses the
// threshold (about 1,000 pages), on the writer, and with synchronous=FULL it syncs the database
// file too: a few milliseconds every thousand pages on one unlucky request and on every write
// queued behind it. The writer's WAL hook (Watch) replaces that automatic checkpoint and only
// wakes this thread, which runs a PASSIVE checkpoint on its own connection: it never blocks the
// writer or a reader, and copies what no reader still needs.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "storage/db.h"

struct sqlite3;

namespace ib::storage {

class Checkpointer {
 public:
  // WAL pages committed since the last checkpoint that wake the thread (SQLite's default
  // automatic checkpoint threshold).
  static constexpr int kWakePages = 1000;

  Checkpointer(const std::string& uri, Durability durability);
  ~Checkpointer();  // stops the thread (a checkpoint under way finishes first)
  Checkpointer(const Checkpointer&) = delete;
  Checkpointer& operator=(const Checkpointer&) = delete;

  // Installs the WAL hook on the writer: each commit reports the WAL's size here.
  void Watch(sqlite3* writer);

  // Checkpoints completed so far (tests and diagnostics).
  int completed() const;

 private:
  static int OnCommit(void* self, sqlite3* db, const char* schema, int wal_pages);
  void Loop();

  std::unique_ptr<Connection> conn_;
  mutable std::mutex mu_;
  std::condition_variable wake_;
  bool due_ = false;
  bool stopping_ = false;
  int completed_ = 0;
  std::thread thread_;
};

}  // namespace ib::storage
