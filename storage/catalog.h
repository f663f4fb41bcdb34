// Catalog: the schema as SQLite reports it (tables, columns with declared types, nullability,
// defaults, primary and unique keys, foreign keys), read once after migrating. It is the only
// producer of Ident, the quoted identifier type that SQL builders accept, so request text can
// never become an identifier. Immutable after Load(); safe to share across threads.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "storage/values.h"

namespace ib::storage {

class Connection;

// A quoted SQL identifier taken from the schema. Only Catalog can make one.
class Ident {
 public:
  const std::string& sql() const { return quoted_; }  // "name" with quotes doubled
  const std::string& name() const { return name_; }

 private:
  friend class Catalog;
  explicit Ident(std::string name);
  std::string name_;
  std::string quoted_;
};

struct Column {
  std::string name;
  Ident ident;
  ColumnType type;
  bool not_null = false;
  bool primary_key = false;
  std::optional<std::string> default_sql;  // as declared, e.g. "(gen_random_uuid())"
  int position = 0;
};

struct ForeignKey {
  std::string name;  // Postgres-style constraint name: <table>_<column>_fkey
  std::string table;
  std::vector<std::string> columns;
  std::string ref_table;
  std::vector<std::string> ref_columns;
  std::string on_delete;  // as SQLite reports it: "CASCADE", "SET NULL", "NO ACTION", ...
};

struct Table {
  std::string name;
  Ident ident;
  bool exposed = false;  // reachable under /rest/v1 (not auth_/storage_/ib_/sqlite_ tables)
  std::vector<Column> columns;
  std::vector<std::string> primary_key;
  std::vector<std::vector<std::string>> unique_keys;  // primary key first, then UNIQUE ones
  std::vector<ForeignKey> foreign_keys;               // declared on this table
  // What a read names in FROM: the quoted table, or for a table with computed columns
  // (storage/computed_columns.h) a subquery over it that adds them under their own names.
  std::string read_source;
  std::vector<std::string> computed_columns;  // read-only: a write naming one is refused

  // Byte-for-byte, case-sensitive lookup, as PostgREST's quoted identifiers.
  const Column* FindColumn(std::string_view name) const;
  // True if `columns` (any order) is exactly a primary or unique key.
  bool IsUniqueKey(const std::vector<std::string>& columns) const;
  bool IsComputed(std::string_view column) const;
};

// The row shape of a set-returning function, registered as a virtual table so the REST
// planner can resolve select=, filters and order on its results like on a table's.
struct VirtualTableSpec {
  std::string name;
  std::vector<std::pair<std::string, std::string>> columns;  // name, declared type
};

class Catalog {
 public:
  // Reads the schema through `conn` and adds the function result shapes. Throws Error.
  static std::shared_ptr<const Catalog> Load(Connection& conn,
                                             const std::vector<VirtualTableSpec>& functions = {});

  // The result shape of a set-returning function, or nullptr.
  const Table* FindFunctionResult(std::string_view name) const;

  const Table* FindTable(std::string_view name) const;         // any table
  const Table* FindExposedTable(std::string_view name) const;  // REST-visible only
  const std::vector<std::unique_ptr<Table>>& tables() const { return tables_; }

  // Foreign keys in either direction between two tables (from `a` to `b` and from `b` to `a`).
  std::vector<const ForeignKey*> ForeignKeysBetween(const Table& a, const Table& b) const;

  // Quoted identifier for a name known to the program (internal tables/columns used by hooks
  // and auth code); throws Error::Internal if the schema lacks it.
  const Ident& TableIdent(std::string_view table) const;

 private:
  std::vector<std::unique_ptr<Table>> tables_;
  std::map<std::string, const Table*, std::less<>> by_name_;
  std::vector<std::unique_ptr<Table>> function_results_;
  std::map<std::string, const Table*, std::less<>> function_results_by_name_;
};

}  // namespace ib::storage
