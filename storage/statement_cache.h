// StatementCache: prepared statements of one connection, keyed by SQL text. Because request
// values are always bound parameters, the SQL text depends only on a plan's shape, so the
// cache hits for every repeat of a query shape. Owned by a Connection; one thread at a time.
#pragma once

#include <string>
#include <unordered_map>

struct sqlite3;
struct sqlite3_stmt;

namespace ib::storage {

class StatementCache {
 public:
  explicit StatementCache(sqlite3* db) : db_(db) {}
  ~StatementCache();
  StatementCache(const StatementCache&) = delete;
  StatementCache& operator=(const StatementCache&) = delete;

  // A reset statement with cleared bindings for `sql`, prepared on first use. Throws
  // SQLite::Exception if the SQL does not compile (a programming error, reported as 500).
  sqlite3_stmt* Get(const std::string& sql);

  // Drops every statement (after a schema change).
  void Clear();

 private:
  static constexpr size_t kMaxStatements = 512;
  sqlite3* db_;
  std::unordered_map<std::string, sqlite3_stmt*> statements_;
};

}  // namespace ib::storage
