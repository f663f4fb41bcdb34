#include "storage/statement_cache.h"

#include <SQLiteCpp/Exception.h>
#include <sqlite3.h>

namespace ib::storage {

StatementCache::~StatementCache() { Clear(); }

void StatementCache::Clear() {
  for (auto& [sql, stmt] : statements_) sqlite3_finalize(stmt);
  statements_.clear();
}

sqlite3_stmt* StatementCache::Get(const std::string& sql) {
  auto it = statements_.find(sql);
  if (it != statements_.end()) {
    sqlite3_reset(it->second);
    sqlite3_clear_bindings(it->second);
    return it->second;
  }
  // Shapes are bounded by the schema, but hostile query strings can mint many distinct
  // shapes; a full cache is simply emptied rather than tracked as an LRU.
  if (statements_.size() >= kMaxStatements) Clear();
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v3(db_, sql.c_str(), static_cast<int>(sql.size() + 1),
                              SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
  if (rc != SQLITE_OK) throw SQLite::Exception(db_, rc);
  statements_.emplace(sql, stmt);
  return stmt;
}

}  // namespace ib::storage
