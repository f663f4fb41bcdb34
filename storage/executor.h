// Executor: runs SqlQuery{text, params} on a connection through its statement cache and hands
// each result row to a callback as SqlValueViews (valid only during the callback). It is the
// one border where SQLite errors become Errors: constraint codes map to Postgres SQLSTATEs
// (unique 23505, foreign key 23503, not null 23502, check 23514); anything else is a 500 whose
// SQLite message goes to the log only. One thread at a time per Connection.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "storage/sql_value.h"

struct sqlite3_stmt;

namespace ib::storage {

class Connection;

struct SqlQuery {
  std::string text;
  std::vector<SqlValue> params;  // bound to ?1..?N in order
  std::string table;             // the table written, named in constraint error messages
};

// A result row: column values by position, valid during the row callback only.
class Row {
 public:
  explicit Row(sqlite3_stmt* stmt) : stmt_(stmt) {}
  int size() const;
  SqlValueView operator[](int i) const;
  std::string_view name(int i) const;
  // Convenience accessors (NULL -> 0 / "" / nullopt).
  int64_t Int(int i) const { return (*this)[i].integer; }
  std::string Text(int i) const { return std::string((*this)[i].text); }
  std::optional<std::string> OptText(int i) const;

 private:
  sqlite3_stmt* stmt_;
};

using RowCallback = std::function<void(const Row&)>;

class Executor {
 public:
  explicit Executor(Connection& conn) : conn_(conn) {}

  // Runs the query, calling `on_row` for each result row. Returns the number of rows changed
  // by the statement (sqlite3_changes) for writes, the number of rows seen for reads.
  int64_t Run(const SqlQuery& query, const RowCallback& on_row = nullptr);

  // Runs a query returning at most one row of one column; nullopt when no row.
  std::optional<SqlValue> Scalar(const SqlQuery& query);

  // Runs SQL text with no parameters and no results; parsed on every call (one-off SQL).
  void Exec(const char* sql);
  // Runs one parameterless statement with no results from the connection's statement cache:
  // for transaction control (BEGIN, COMMIT, SAVEPOINT ...), which every request runs, so it is
  // parsed once per connection instead of on every call.
  void Control(const std::string& sql);

  Connection& conn() { return conn_; }

 private:
  Connection& conn_;
};

// Maps a failed SQLite call to our Error (exposed for tests). `message` is sqlite3_errmsg;
// `table` the table being written, when known.
[[noreturn]] void ThrowSqliteError(int extended_code, std::string_view message,
                                   std::string_view table);

}  // namespace ib::storage
