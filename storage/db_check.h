// CheckDatabase: is a database file sound and ours? SQLite's integrity_check and
// foreign_key_check, the schema version against the versions this binary knows, and the
// stored objects' bytes (every object has its content, every content's chunks are all there
// and add up to its size, no chunk without a content). Read-only (the file is never written,
// so it may be checked while a server serves it); the report is for a person to read.
#pragma once

#include <string>
#include <vector>

namespace ib::storage {

struct CheckReport {
  std::vector<std::string> lines;     // one per check, in order ("integrity_check: ok")
  std::vector<std::string> problems;  // each one makes the check fail
  int schema_version = -1;            // PRAGMA user_version; -1 when unreadable
  bool ok() const { return problems.empty(); }
  std::string ToString() const;  // the lines, then "problems:" and each, then a verdict
};

// Problems reported per kind at most (the total is still given).
inline constexpr int kCheckMaxListed = 20;

// `known_version`: the newest schema this binary can serve. A missing file, a file that is not
// SQLite, a corrupt one, a SQLite file without our tables and a newer schema are problems.
CheckReport CheckDatabase(const std::string& path, int known_version);

}  // namespace ib::storage
