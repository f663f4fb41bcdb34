#include "storage/executor.h"

#include <SQLiteCpp/Exception.h>
#include <sqlite3.h>

#include <iostream>

#include "storage/change_capture.h"
#include "storage/db.h"
#include "storage/error.h"
#include "storage/regex.h"
#include "storage/sqlite_value_view.h"
#include "storage/statement_cache.h"

namespace ib::storage {
namespace {

void Bind(sqlite3_stmt* stmt, int index, const SqlValue& value) {
  struct Binder {
    sqlite3_stmt* s;
    int i;
    int operator()(std::monostate) const { return sqlite3_bind_null(s, i); }
    int operator()(int64_t v) const { return sqlite3_bind_int64(s, i, v); }
    int operator()(double v) const { return sqlite3_bind_double(s, i, v); }
    // SQLITE_STATIC: the query outlives the statement's use of the bound text.
    int operator()(const std::string& v) const {
      return sqlite3_bind_text64(s, i, v.data(), v.size(), SQLITE_STATIC, SQLITE_UTF8);
    }
    int operator()(const Blob& v) const {
      return sqlite3_bind_blob64(s, i, v.bytes.data(), v.bytes.size(), SQLITE_STATIC);
    }
  };
  std::visit(Binder{stmt, index}, value);
}

// "UNIQUE constraint failed: t.a, t.b" -> ("t", "a, b").
std::pair<std::string, std::string> SplitConstraintTarget(std::string_view message) {
  auto colon = message.find(": ");
  if (colon == std::string_view::npos) return {"", ""};
  std::string_view rest = message.substr(colon + 2);
  std::string table;
  std::string columns;
  while (!rest.empty()) {
    auto comma = rest.find(", ");
    std::string_view item = rest.substr(0, comma);
    auto dot = item.find('.');
    if (dot != std::string_view::npos) {
      table = std::string(item.substr(0, dot));
      if (!columns.empty()) columns += ", ";
      columns += std::string(item.substr(dot + 1));
    }
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 2);
  }
  return {table, columns};
}

// Postgres' default name for a unique constraint: <table>_<col>[_<col>...]_key.
std::string ConstraintName(const std::string& table, const std::string& columns,
                           const char* suffix) {
  std::string name = table + "_";
  for (char c : columns) {
    if (c == ',')
      name += '_';
    else if (c != ' ')
      name += c;
  }
  return name + suffix;
}

// SQLite's compile-time and run-time limits, recognised by their messages (SQLite reports them
// all as SQLITE_ERROR): a request shaped past them is the client's to simplify.
constexpr std::string_view kTooComplexMessages[] = {
    "Expression tree is too large",       // SQLITE_MAX_EXPR_DEPTH
    "parser stack overflow",              // the parser's fixed stack: deeply nested SQL
    "too many terms in compound SELECT",  // SQLITE_MAX_COMPOUND_SELECT
    "too many SQL variables",             // SQLITE_MAX_VARIABLE_NUMBER
    "too many columns",                   // SQLITE_MAX_COLUMN (result, table, index)
    "too many terms in",                  // ORDER BY / GROUP BY past SQLITE_MAX_COLUMN
    "too many arguments on function",     // SQLITE_MAX_FUNCTION_ARG
    "too many FROM clause terms",         // joins and subqueries
    "tables in a join",                   // "at most 64 tables in a join"
    "too many references to",             // one CTE or view referenced too often
    "LIKE or GLOB pattern too complex",   // SQLITE_MAX_LIKE_PATTERN_LENGTH
};

bool IsTooComplex(std::string_view message) {
  for (auto needle : kTooComplexMessages) {
    if (message.find(needle) != std::string_view::npos) return true;
  }
  return false;
}

}  // namespace

void ThrowSqliteError(int extended_code, std::string_view message, std::string_view table) {
  switch (extended_code) {
    case SQLITE_CONSTRAINT_PRIMARYKEY: {
      auto [failed_table, columns] = SplitConstraintTarget(message);
      throw Error::UniqueViolation(
          "duplicate key value violates unique constraint \"" + failed_table + "_pkey\"",
          "Key (" + columns + ") already exists.");
    }
    case SQLITE_CONSTRAINT_UNIQUE: {
      auto [failed_table, columns] = SplitConstraintTarget(message);
      throw Error::UniqueViolation("duplicate key value violates unique constraint \"" +
                                       ConstraintName(failed_table, columns, "_key") + "\"",
                                   "Key (" + columns + ") already exists.");
    }
    case SQLITE_CONSTRAINT_FOREIGNKEY:
      // SQLite does not say which key failed; Postgres' details would name it.
      throw Error::ForeignKeyViolation("insert or update on table \"" + std::string(table) +
                                           "\" violates foreign key constraint",
                                       std::nullopt);
    case SQLITE_CONSTRAINT_NOTNULL: {
      auto [failed_table, column] = SplitConstraintTarget(message);
      throw Error::NotNullViolation(failed_table, column);
    }
    case SQLITE_CONSTRAINT_CHECK: {
      // "CHECK constraint failed: <name>": our schema names every CHECK the Postgres way.
      auto colon = message.find(": ");
      std::string name(colon == std::string_view::npos ? "" : message.substr(colon + 2));
      throw Error::CheckViolation(table, name);
    }
    case SQLITE_TOOBIG:
      throw Error::ProgramLimitExceeded(
          "a value or the statement exceeds the database's size limit");
    default:
      break;
  }
  if ((extended_code & 0xFF) == SQLITE_ERROR) {
    if (message.rfind(kRegexErrorPrefix, 0) == 0) {
      throw Error::InvalidRegex(message.substr(kRegexErrorPrefix.size()));
    }
    if (IsTooComplex(message)) throw Error::StatementTooComplex(std::string(message));
  }
  std::cerr << "sqlite error " << extended_code << ": " << message << std::endl;
  throw Error::Internal("internal database error");
}

int Row::size() const { return sqlite3_column_count(stmt_); }

// The column's value is taken once and read through the sqlite3_value_* accessors: each
// sqlite3_column_* call enters and leaves the statement's API (its mutex and error state),
// three calls for every text value of every row (~7 % of a list's instructions). The value is
// "unprotected" (no mutex of its own); a connection here is used by one thread at a time
// (opened with SQLITE_OPEN_NOMUTEX), so reading it directly is what the column calls did.
SqlValueView Row::operator[](int i) const { return ViewOf(sqlite3_column_value(stmt_, i)); }

std::string_view Row::name(int i) const { return sqlite3_column_name(stmt_, i); }

std::optional<std::string> Row::OptText(int i) const {
  auto v = (*this)[i];
  if (v.is_null()) return std::nullopt;
  if (v.type == SqlValueView::Type::kInteger) return std::to_string(v.integer);
  return std::string(v.text);
}

int64_t Executor::Run(const SqlQuery& query, const RowCallback& on_row) {
  sqlite3_stmt* stmt = nullptr;
  try {
    stmt = conn_.statements().Get(query.text);
  } catch (const SQLite::Exception& e) {
    // Shaped past a limit (a 4xx), or a statement we built wrong: log the start of its text.
    std::string_view message = e.what();
    if (!IsTooComplex(message) && e.getErrorCode() != SQLITE_TOOBIG) {
      std::cerr << "sqlite prepare failed: " << message << " in: " << query.text.substr(0, 2000)
                << std::endl;
    }
    ThrowSqliteError(e.getExtendedErrorCode(), message, query.table);
  }
  for (size_t i = 0; i < query.params.size(); ++i) {
    Bind(stmt, static_cast<int>(i + 1), query.params[i]);
  }
  int64_t rows = 0;
  Row row(stmt);
  // A failing statement is undone by SQLite, but the changes it made before failing were
  // already captured: forget them too.
  ChangeCapture* capture = conn_.capture();
  const size_t capture_mark = capture ? capture->Mark() : 0;
  for (;;) {
    int rc = sqlite3_step(stmt);
    if (rc == SQLITE_ROW) {
      ++rows;
      if (on_row) on_row(row);
      continue;
    }
    if (rc == SQLITE_DONE) break;
    int extended = sqlite3_extended_errcode(conn_.handle());
    std::string message = sqlite3_errmsg(conn_.handle());
    sqlite3_reset(stmt);
    if (capture) capture->TruncateTo(capture_mark);
    ThrowSqliteError(extended, message, query.table);
  }
  sqlite3_reset(stmt);
  return sqlite3_stmt_readonly(stmt) ? rows : sqlite3_changes64(conn_.handle());
}

std::optional<SqlValue> Executor::Scalar(const SqlQuery& query) {
  std::optional<SqlValue> result;
  Run(query, [&](const Row& row) {
    if (result) return;
    auto v = row[0];
    switch (v.type) {
      case SqlValueView::Type::kNull:
        result = SqlValue{};
        break;
      case SqlValueView::Type::kInteger:
        result = SqlValue{v.integer};
        break;
      case SqlValueView::Type::kReal:
        result = SqlValue{v.real};
        break;
      case SqlValueView::Type::kText:
        result = SqlValue{std::string(v.text)};
        break;
      case SqlValueView::Type::kBlob:
        result = SqlValue{Blob{std::string(v.text)}};
        break;
    }
  });
  return result;
}

void Executor::Exec(const char* sql) {
  char* err = nullptr;
  int rc = sqlite3_exec(conn_.handle(), sql, nullptr, nullptr, &err);
  if (rc != SQLITE_OK) {
    std::string message = err ? err : "";
    sqlite3_free(err);
    ThrowSqliteError(sqlite3_extended_errcode(conn_.handle()), message, "");
  }
}

void Executor::Control(const std::string& sql) {
  sqlite3_stmt* stmt = nullptr;
  try {
    stmt = conn_.statements().Get(sql);
  } catch (const SQLite::Exception& e) {
    ThrowSqliteError(e.getExtendedErrorCode(), e.what(), "");
  }
  int rc;
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
  }
  if (rc != SQLITE_DONE) {
    int extended = sqlite3_extended_errcode(conn_.handle());
    std::string message = sqlite3_errmsg(conn_.handle());
    sqlite3_reset(stmt);
    ThrowSqliteError(extended, message, "");
  }
  sqlite3_reset(stmt);
}

}  // namespace ib::storage
