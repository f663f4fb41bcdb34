// Db: the SQLite database file and the connections to it. Writes go through one writer
// connection behind a mutex (SQLite admits one writer at a time anyway, and queueing in-process
// beats spinning on SQLITE_BUSY); reads use a per-thread connection, so they run in parallel
// under WAL. Every connection has WAL, foreign_keys=ON, synchronous=NORMAL, a busy timeout and
// our SQL functions. Use the RAII leases: a Lease must not outlive its Db nor cross threads.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

struct sqlite3;
namespace SQLite { class Database; }

namespace ib::storage {

class StatementCache;

// One SQLite connection plus its prepared-statement cache. Used by one thread at a time.
class Connection {
 public:
  explicit Connection(const std::string& uri);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  SQLite::Database& db() { return *db_; }
  sqlite3* handle();
  StatementCache& statements() { return *statements_; }

 private:
  std::unique_ptr<SQLite::Database> db_;
  std::unique_ptr<StatementCache> statements_;
};

class Db {
 public:
  // Opens (creating if absent, with parent directories) the file at `path`; ":memory:" gives
  // a private in-memory database, served entirely by the writer connection.
  explicit Db(const std::string& path);
  ~Db();
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  // Exclusive use of the writer connection for the lease's lifetime.
  class WriteLease {
   public:
    explicit WriteLease(Db& db) : lock_(db.write_mutex_), conn_(*db.writer_) {}
    Connection& conn() { return conn_; }
   private:
    std::unique_lock<std::mutex> lock_;
    Connection& conn_;
  };
  // This thread's read connection (for ":memory:", the writer under its lock).
  class ReadLease {
   public:
    explicit ReadLease(Db& db);
    Connection& conn() { return *conn_; }
   private:
    std::unique_lock<std::mutex> lock_;
    Connection* conn_;
  };

  bool in_memory() const { return in_memory_; }

  // Tests only: the writer connection without taking the lock (single-threaded tests).
  Connection& TEST_writer() { return *writer_; }

 private:
  Connection& ThreadReader();

  std::string uri_;
  bool in_memory_ = false;
  std::mutex write_mutex_;  // guards writer_ (and everything, for in-memory databases)
  std::unique_ptr<Connection> writer_;
  std::mutex readers_mutex_;  // guards readers_ (the list; each connection is one thread's)
  std::vector<std::unique_ptr<Connection>> readers_;
  unsigned id_;  // distinguishes Db instances in the thread-local reader table
};

// Registers gen_random_uuid() and now() (canonical UTC text) on a connection.
void RegisterSqlFunctions(sqlite3* handle);

}  // namespace ib::storage
