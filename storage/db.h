// Db: the SQLite database file and the connections to it. Writes go through one writer
// connection, grouped into shared transactions (storage/group_commit.h: SQLite admits one
// writer at a time anyway, and one COMMIT for many requests pays one sync for all); reads use a
// per-thread connection, so they run in parallel under WAL. Every connection has WAL,
// foreign_keys=ON, the durability's synchronous setting, a busy timeout and our SQL functions.
// Request code runs its work through Write()/Read() (storage/unit_of_work.h), which take a
// lease and a transaction; a lease must not outlive its Db nor cross threads.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

struct sqlite3;
namespace SQLite {
class Database;
}

namespace ib::storage {

class DbFile;
class StatementCache;
class ChangeCapture;
class ChangeLog;
class GroupCommit;
class Checkpointer;
class Catalog;
class WriteScope;
class ReadScope;
struct Principal;
struct RequestClock;

// One SQLite connection plus its prepared-statement cache. Used by one thread at a time.
// When a committed write is on disk. kFull (the default): a write is answered once the WAL is
// synced, so an acknowledged write survives power loss (synchronous=FULL on every connection
// but the writer, whose batches GroupCommit syncs itself, off the writer). kNormal: synced at
// checkpoints only, so the last commits before a power loss (not a process crash) may be lost
// (synchronous=NORMAL; for test suites).
enum class Durability { kFull, kNormal };

class Connection {
 public:
  Connection(const std::string& uri, Durability durability);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  SQLite::Database& db() { return *db_; }
  sqlite3* handle();
  StatementCache& statements() { return *statements_; }
  // The writer's row-change capture (storage/change_capture.h); nullptr on read connections.
  ChangeCapture* capture() { return capture_.get(); }
  void EnableCapture(ChangeLog& log);

 private:
  std::unique_ptr<SQLite::Database> db_;
  std::unique_ptr<StatementCache> statements_;
  std::unique_ptr<ChangeCapture> capture_;  // after db_: unhooked before the connection closes
};

class Db {
 public:
  // Opens (creating if absent, with parent directories) the file at `path`, which stays locked
  // against other processes while this Db lives (storage/db_file.h); ":memory:" gives a
  // private in-memory database, served entirely by the writer connection.
  explicit Db(const std::string& path, Durability durability = Durability::kFull);
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
  // The file this Db serves (":memory:" for an in-memory one).
  const std::string& path() const { return path_; }
  // What the file's permissions give to warn about at start (empty for ":memory:").
  std::vector<std::string> file_warnings() const;

  // The schema the unit of work hands to its bodies. Set once, after migrating and before
  // serving (not synchronised with Write/Read). catalog() throws Error::Internal if unset.
  void SetCatalog(std::shared_ptr<const Catalog> catalog);
  const Catalog& catalog() const;
  const std::shared_ptr<const Catalog>& catalog_ptr() const { return catalog_; }

  // The unit of work, defined in storage/unit_of_work.h (include it to call them).
  // Write: fn(WriteScope&) in one IMMEDIATE transaction on the writer; commits when fn returns,
  // rolls back when it throws; then the after-commit queue runs; returns fn's value.
  template <class Fn>
  auto Write(const Principal& who, const RequestClock& clock, Fn&& fn);
  // Read: fn(ReadScope&) in one read transaction (one snapshot) on this thread's reader.
  template <class Fn>
  auto Read(const Principal& who, const RequestClock& clock, Fn&& fn);

  // Writes so far grouped into transactions (storage/group_commit.h).
  const GroupCommit& group_commit() const { return *group_; }

  // WAL checkpoints completed so far (0 for an in-memory database, which has none).
  int checkpoints() const;

  // Every committed row change, in commit order (storage/change_log.h).
  ChangeLog& changes() { return *changes_; }

  // Tests only: the writer connection without taking the lock (single-threaded tests).
  Connection& TEST_writer() { return *writer_; }

 private:
  Connection& ThreadReader();
  // Runs body(Transaction&) as one job of a group-committed batch (Write's type-erased end).
  template <class Body>
  void SubmitWrite(Body& body);

  // First member, so destroyed last: closing its descriptor would drop the SQLite connections'
  // POSIX locks on the file, so it outlives them.
  std::unique_ptr<DbFile> file_;
  std::string path_;
  std::string uri_;
  bool in_memory_ = false;
  Durability durability_;
  std::unique_ptr<ChangeLog> changes_;  // before writer_, whose capture publishes to it
  std::mutex write_mutex_;              // guards writer_ (and everything, for in-memory databases)
  // Before writer_, so it outlives the writer's WAL hook that wakes it (file databases only).
  std::unique_ptr<Checkpointer> checkpointer_;
  std::unique_ptr<Connection> writer_;
  std::unique_ptr<GroupCommit> group_;  // batches Write calls into shared transactions
  std::mutex readers_mutex_;  // guards readers_ (the list; each connection is one thread's)
  std::vector<std::unique_ptr<Connection>> readers_;
  unsigned id_;  // distinguishes Db instances in the thread-local reader table
  std::shared_ptr<const Catalog> catalog_;
};

// Registers gen_random_uuid() and now() (canonical UTC text) on a connection.
void RegisterSqlFunctions(sqlite3* handle);

}  // namespace ib::storage
