// `interviewbase import postgres DIR --db DB`: loads a data-only dump (DIR/data.sql, or DIR
// itself when it is a file) of COPY blocks (storage/copy_dump.h) into a new or empty database,
// in one transaction: auth.users and auth.identities into our auth tables (password hashes
// kept: GoTrue's and ours are the same Argon2id/bcrypt-style strings), public.<table> into the
// platform's tables. Values are parsed per column type as Postgres would read their text form.
// Hooks do not fire (the dump's counters, XP and streaks are the data); our derived counts are
// rebuilt by their triggers, and completed sessions are marked as already awarded.
// Columns: auth tables' columns we do not model (GoTrue's tokens, instance_id, ...) are
// ignored and reported; a public column we do not have is refused (its data would be lost);
// computed columns (leaderboard.rank) are ignored. Any refusal writes nothing; its message
// names the dump's line. Errors are Error::Internal with a message for the operator.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace ib::storage {

struct ImportReport {
  std::map<std::string, int64_t> rows;       // per table of ours, rows loaded
  std::vector<std::string> ignored_columns;  // "auth.users.instance_id", ...
};

// Refuses a database that holds any user, platform row or stored object (a database file that
// did not exist is created, migrated, and removed again when the import is refused), one newer
// than this binary, and one a running server holds.
ImportReport ImportPostgresDump(const std::string& db_path, const std::string& dump_path);

}  // namespace ib::storage
