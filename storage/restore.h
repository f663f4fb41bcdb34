// RestoreDatabase: replaces a database file with a backup, atomically. The backup is checked
// first (storage/db_check.h: a SQLite file, intact, our schema, its objects' bytes whole) and
// refused otherwise; the target is refused while a server holds it (the server's flock on the
// database file, storage/db_file.h, which restore takes too for its whole run). The backup is
// copied into a temporary file beside the target, verified, synced and renamed over it, so a
// crash at any point leaves the old database or the new one, never a mix. Not thread-safe with
// other writers of the same target (the lock makes that a refusal across processes).
#pragma once

#include <string>
#include <vector>

namespace ib::storage {

// Throws Error::Internal with a message for the operator when anything is refused or fails;
// the target is then untouched. Returns notes worth printing (the old WAL could not be
// checkpointed, for one).
std::vector<std::string> RestoreDatabase(const std::string& backup, const std::string& target,
                                         int known_version);

}  // namespace ib::storage
