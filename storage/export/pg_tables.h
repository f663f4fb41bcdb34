// The platform's tables as Postgres DDL, read from our schema: columns with their Postgres
// types and defaults (the catalog), primary and unique keys, the named CHECKs and the indexes
// (SQLite's own record of the DDL), foreign keys with their ON DELETE actions (references to
// auth_users become auth.users). Pure given the connection it reads the DDL through.
#pragma once

#include <string>
#include <vector>

namespace ib::storage {
class Catalog;
class Connection;
struct Column;
struct Table;
}  // namespace ib::storage

namespace ib::storage::pgexport {

// The tables /rest/v1 serves, parents before children (so the DDL and the data load in order).
std::vector<const Table*> PlatformTables(const Catalog& catalog);

// "uuid", "varchar(255)", "decimal(5,2)", "text[]", "timestamptz", ...
std::string PgType(const Column& column);

// The column's default as a Postgres expression ("" when none): booleans true/false, text[]
// defaults as array literals, jsonb ones cast to jsonb.
std::string PgDefault(const Column& column);

// The CHECK constraints of a CREATE TABLE statement, as {name, expression}; an unnamed one is
// named <table>_check<n>. Throws Error::Internal on unbalanced parentheses.
std::vector<std::pair<std::string, std::string>> ChecksOf(const std::string& create_sql,
                                                          const std::string& table);

// CREATE TABLE public.<t> (...) for each table, then its indexes.
std::string TablesSql(Connection& conn, const std::vector<const Table*>& tables);

}  // namespace ib::storage::pgexport
