#include "storage/db.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>

#include <atomic>
#include <unordered_map>

#include "storage/change_capture.h"
#include "storage/change_log.h"
#include "storage/checkpointer.h"
#include "storage/db_file.h"
#include "storage/error.h"
#include "storage/group_commit.h"
#include "storage/shared_map_vfs.h"
#include "storage/statement_cache.h"

namespace ib::storage {
namespace {

constexpr int kBusyTimeoutMs = 5000;

std::atomic<unsigned> next_db_id{1};

bool InMemory(const std::string& uri) { return uri.find("mode=memory") != std::string::npos; }

// A file is opened through the shared mapping (storage/shared_map_vfs.h) when it registered.
const char* VfsFor(const std::string& uri) { return InMemory(uri) ? nullptr : SharedMapVfsName(); }

void Configure(SQLite::Database& db, bool in_memory, bool mapped, Durability durability) {
  if (!in_memory) db.exec("PRAGMA journal_mode=WAL");
  // Any size turns on the pager's fetching of mapped pages; the VFS maps the file itself.
  if (mapped) db.exec("PRAGMA mmap_size=" + std::to_string(kSharedMapReserveBytes));
  db.exec(durability == Durability::kFull ? "PRAGMA synchronous=FULL"
                                          : "PRAGMA synchronous=NORMAL");
  db.exec("PRAGMA foreign_keys=ON");
  db.exec("PRAGMA temp_store=MEMORY");
  // PostgREST like is case-sensitive (ilike is the insensitive one); SQLite defaults otherwise.
  db.exec("PRAGMA case_sensitive_like=ON");
  db.exec("PRAGMA cache_size=-16000");
  db.setBusyTimeout(kBusyTimeoutMs);
  // The query planner stability guarantee: a statement's plan never depends on the values bound
  // to it. Otherwise SQLite plans with a bound value where one can help (a LIKE pattern; a
  // value compared with a column that a partial index's WHERE compares with a constant) and
  // marks the statement to be compiled again whenever that parameter is bound anew, so the
  // statement cache compiled such a filter again on every request (migration 0011 says how a
  // partial index did that to every `status = ?`). A plan that needs a constant to choose an
  // index writes the constant into its SQL (storage/leaderboard.cpp's windows).
  if (sqlite3_db_config(db.getHandle(), SQLITE_DBCONFIG_ENABLE_QPSG, 1, nullptr) != SQLITE_OK) {
    throw Error::Internal("cannot enable SQLite's query planner stability guarantee");
  }
}

}  // namespace

Connection::Connection(const std::string& uri, Durability durability)
    : db_(std::make_unique<SQLite::Database>(
          uri.c_str(),
          SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE | SQLite::OPEN_URI | SQLITE_OPEN_NOMUTEX, 0,
          VfsFor(uri))),
      statements_(std::make_unique<StatementCache>(db_->getHandle())) {
  Configure(*db_, InMemory(uri), VfsFor(uri) != nullptr, durability);
  RegisterSqlFunctions(db_->getHandle());
}

Connection::~Connection() {
  capture_.reset();
  statements_.reset();  // finalize statements before the connection closes
}

void Connection::EnableCapture(ChangeLog& log) {
  capture_ = std::make_unique<ChangeCapture>(handle(), log);
}

sqlite3* Connection::handle() { return db_->getHandle(); }

Db::Db(const std::string& path, Durability durability)
    : path_(path),
      durability_(durability),
      changes_(std::make_unique<ChangeLog>()),
      id_(next_db_id++) {
  if (path == ":memory:") {
    in_memory_ = true;
    uri_ = "file:ib_memory_" + std::to_string(id_) + "?mode=memory";
  } else {
    file_ = std::make_unique<DbFile>(path);
    uri_ = path;
  }
  // Durability full on a file: the writer commits at synchronous=NORMAL and GroupCommit syncs
  // each batch's WAL off the writer before answering (storage/durable_sync.h); every other
  // connection (readers, the checkpointer) keeps the durability's own setting.
  const bool sync_off_writer = !in_memory_ && durability_ == Durability::kFull;
  try {
    writer_ =
        std::make_unique<Connection>(uri_, sync_off_writer ? Durability::kNormal : durability_);
  } catch (const SQLite::Exception& e) {
    throw Error::Internal("cannot open database " + path + ": " + e.what());
  }
  // Only the writer changes rows, so capturing there sees every change exactly once.
  writer_->EnableCapture(*changes_);
  group_ = std::make_unique<GroupCommit>(*this, sync_off_writer ? path + "-wal" : std::string());
  if (!in_memory_) {
    // WAL checkpoints leave the commit path (storage/checkpointer.h).
    checkpointer_ = std::make_unique<Checkpointer>(uri_, durability_, write_mutex_);
    checkpointer_->Watch(writer_->handle());
  }
}

Db::~Db() = default;

int Db::checkpoints() const { return checkpointer_ ? checkpointer_->completed() : 0; }

std::vector<std::string> Db::file_warnings() const {
  return file_ ? file_->warnings() : std::vector<std::string>{};
}

void Db::SetCatalog(std::shared_ptr<const Catalog> catalog) {
  writer_->capture()->SetCatalog(catalog);
  catalog_ = std::move(catalog);
}

const Catalog& Db::catalog() const {
  if (!catalog_) throw Error::Internal("the database has no catalog yet");
  return *catalog_;
}

Db::ReadLease::ReadLease(Db& db) {
  if (db.in_memory_) {
    lock_ = std::unique_lock<std::mutex>(db.write_mutex_);
    conn_ = db.writer_.get();
  } else {
    conn_ = &db.ThreadReader();
  }
}

Connection& Db::ThreadReader() {
  // Keyed by Db id so a thread that outlives one Db (tests) never reuses a stale pointer.
  thread_local std::unordered_map<unsigned, Connection*> readers;
  auto it = readers.find(id_);
  if (it != readers.end()) return *it->second;
  auto conn = std::make_unique<Connection>(uri_, durability_);
  Connection* raw = conn.get();
  {
    std::lock_guard<std::mutex> lock(readers_mutex_);
    readers_.push_back(std::move(conn));
  }
  readers.emplace(id_, raw);
  return *raw;
}

}  // namespace ib::storage
