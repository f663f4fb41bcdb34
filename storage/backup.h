// Online backup of a database file: SQLite's backup API copies one consistent snapshot (one
// read transaction held for the whole copy: under WAL it never blocks the server's writer,
// which keeps appending to the WAL) into a new self-contained file (rollback journal, no -wal).
// Results appear atomically: a temporary file beside the destination, synced, then renamed, so
// no half backup is ever under the destination's name. Works while a server serves the
// source (it needs no lock the server holds). Errors are Error::Internal with a message for
// the operator (file, cause). Thread-safe: every call opens its own connections.
#pragma once

#include <cstdint>
#include <string>

namespace ib::storage {

// Copies the database at `source` into `out` (replacing it atomically if it exists). Refuses
// a missing source and an `out` that is the source itself. Returns the bytes written.
int64_t BackupFile(const std::string& source, const std::string& out);

// Copies `source` into a temporary file beside it, then unlinks that file: the returned
// descriptor (the caller closes it) is the only way left to the bytes, so nothing stays on
// disk once it is closed, even if the process dies while streaming it.
int BackupToUnlinkedFile(const std::string& source);

// The copy itself: `dest_path` (an existing empty file or none) becomes a backup of `source`
// (not yet synced: the callers that keep it sync it). Used by BackupFile,
// BackupToUnlinkedFile and restore.
void CopyDatabase(const std::string& source, const std::string& dest_path);

// Pages copied per sqlite3_backup_step (4 MiB at the default page size), each step synced and
// followed by a pause as long as it took: not a lock hold (the snapshot is held throughout)
// but the bound on how much copy the disk has queued ahead of the server's WAL syncs.
inline constexpr int kBackupPagesPerStep = 1024;

}  // namespace ib::storage
