// data.sql of `export postgres`: the rows in pg_dump's data-only format, one
// `COPY <table> (<columns>) FROM stdin;` block per table (tab-separated values in Postgres'
// text form, \N for NULL, backslash, tab, newline and carriage return escaped), in one
// transaction with session_replication_role = replica so the triggers of schema.sql do not
// fire again on rows that already carry their effects. First auth.users and auth.identities as
// GoTrue stores them (the Argon2id hash in encrypted_password as it is: GoTrue verifies Argon2
// hashes), then the platform's tables parents first, then the sessions already awarded. Read
// through the caller's connection.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace ib::storage {
class Catalog;
class Connection;
struct Table;
}  // namespace ib::storage

namespace ib::storage::pgexport {

// A value in COPY's text format: \\, \t, \n, \r (and \b, \f, \v) escaped.
std::string CopyEscape(std::string_view text);

struct DataCounts {
  int64_t users = 0;
  int64_t rows = 0;  // platform rows
};

// Appends data.sql's text to `out`, reading through `conn` (a snapshot nobody else writes);
// `tables` in load order (PlatformTables).
DataCounts AppendDataSql(Connection& conn, const Catalog& catalog,
                         const std::vector<const Table*>& tables, std::string& out);

}  // namespace ib::storage::pgexport
