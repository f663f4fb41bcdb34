// `interviewbase export postgres`: the database as files a Supabase project (or any Postgres
// with Supabase's auth schema) loads with psql. schema.sql: the platform's tables, policies,
// grants and plpgsql functions (pg_tables.h, pg_policies.h, pg_functions.h); data.sql: the
// auth users and identities and every platform row (pg_data.h); storage/: every object's bytes
// and a manifest (storage/objects/object_export.h). Works while a
// server serves the database: it reads one consistent snapshot (a copy taken with SQLite's
// backup API beside the output, migrated to this binary's schema, removed afterwards). The
// files appear only once all are complete (temporary files, then renames). Errors are
// Error::Internal with a message for the operator.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace ib::storage {
class Connection;
struct Table;
}  // namespace ib::storage

namespace ib::storage::pgexport {

struct ExportReport {
  std::vector<std::string> files;  // the paths written
  int tables = 0;                  // platform tables in schema.sql
  int policies = 0;                // CREATE POLICY statements
  int64_t users = 0;               // auth.users rows in data.sql
  int64_t rows = 0;                // platform rows in data.sql
  int objects = 0;                 // stored objects written under out_dir/storage
};

// Writes out_dir/schema.sql, data.sql and storage/ for the database at `db_path` (out_dir is
// created, 0700, if missing). Refuses a missing database, one that is not ours, or one newer than
// this binary.
ExportReport ExportPostgres(const std::string& db_path, const std::string& out_dir);

// schema.sql's text for the database `conn` holds (migrated); `tables` in load order.
std::string SchemaSql(Connection& conn, const std::vector<const Table*>& tables,
                      ExportReport& report);

}  // namespace ib::storage::pgexport
