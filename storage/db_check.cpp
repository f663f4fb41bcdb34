#include "storage/db_check.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <functional>

namespace ib::storage {
namespace {

// Runs `sql` and hands each row to `describe`; lists at most kCheckMaxListed of them as
// problems and returns how many rows there were.
int CollectProblems(SQLite::Database& db, const std::string& sql,
                    const std::function<std::string(SQLite::Statement&)>& describe,
                    std::vector<std::string>& problems) {
  SQLite::Statement rows(db, sql);
  int count = 0;
  while (rows.executeStep()) {
    if (++count <= kCheckMaxListed) problems.push_back(describe(rows));
  }
  if (count > kCheckMaxListed) {
    problems.push_back("... and " + std::to_string(count - kCheckMaxListed) + " more like it");
  }
  return count;
}

bool HasTable(SQLite::Database& db, const std::string& name) {
  SQLite::Statement q(db, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?");
  q.bind(1, name);
  return q.executeStep();
}

void CheckIntegrity(SQLite::Database& db, CheckReport& r) {
  SQLite::Statement q(db, "PRAGMA integrity_check(" + std::to_string(kCheckMaxListed) + ")");
  std::vector<std::string> messages;
  while (q.executeStep()) messages.push_back(q.getColumn(0).getString());
  if (messages.size() == 1 && messages[0] == "ok") {
    r.lines.emplace_back("integrity_check: ok");
    return;
  }
  r.lines.emplace_back("integrity_check: FAILED");
  for (const auto& m : messages) r.problems.push_back("integrity: " + m);
}

void CheckForeignKeys(SQLite::Database& db, CheckReport& r) {
  const int broken = CollectProblems(
      db, "PRAGMA foreign_key_check",
      [](SQLite::Statement& q) {
        return "foreign key: row " + q.getColumn(1).getString() + " of " +
               q.getColumn(0).getString() + " refers to a missing row of " +
               q.getColumn(2).getString();
      },
      r.problems);
  r.lines.push_back(broken == 0 ? "foreign_key_check: ok"
                                : "foreign_key_check: " + std::to_string(broken) + " broken");
}

// Our schema: the version is one this binary knows, and the tables of version 1 exist.
bool CheckSchema(SQLite::Database& db, int known_version, CheckReport& r) {
  r.schema_version = db.execAndGet("PRAGMA user_version").getInt();
  if (r.schema_version == 0 || !HasTable(db, "ib_settings") || !HasTable(db, "auth_users")) {
    r.lines.emplace_back("schema: not an interviewbase database");
    r.problems.push_back(
        "schema: a SQLite database, but not an interviewbase one (schema "
        "version " +
        std::to_string(r.schema_version) + ", no ib_settings/auth_users)");
    return false;
  }
  std::string line = "schema version: " + std::to_string(r.schema_version);
  if (r.schema_version > known_version) {
    r.problems.push_back("schema: version " + std::to_string(r.schema_version) +
                         " is newer than this binary knows (" + std::to_string(known_version) +
                         "); use a newer interviewbase");
    line += " (newer than this binary's " + std::to_string(known_version) + ")";
  } else if (r.schema_version < known_version) {
    line += " (migrated to " + std::to_string(known_version) + " at the next start)";
  } else {
    line += " (current)";
  }
  r.lines.push_back(line);
  return true;
}

// Object bytes (storage/objects/content_store.h): an object's content row holds `size` bytes
// in chunks numbered 0..n-1. A chunk missing in the middle or at the end shows as a count or
// a byte sum that does not match.
void CheckObjectBytes(SQLite::Database& db, CheckReport& r) {
  if (!HasTable(db, "storage_object_chunks")) return;
  int bad = CollectProblems(
      db,
      "SELECT o.bucket_id, o.name FROM storage_objects AS o "
      "LEFT JOIN storage_contents AS c ON c.object_id = o.id WHERE c.id IS NULL",
      [](SQLite::Statement& q) {
        return "storage: object " + q.getColumn(0).getString() + "/" + q.getColumn(1).getString() +
               " has no content";
      },
      r.problems);
  bad += CollectProblems(
      db,
      "SELECT o.bucket_id, o.name, c.size, count(ch.idx), coalesce(sum(length(ch.data)), 0) "
      "FROM storage_contents AS c JOIN storage_objects AS o ON o.id = c.object_id "
      "LEFT JOIN storage_object_chunks AS ch ON ch.content_id = c.id GROUP BY c.id "
      "HAVING coalesce(sum(length(ch.data)), 0) != c.size "
      "OR count(ch.idx) != coalesce(max(ch.idx), -1) + 1 OR coalesce(min(ch.idx), 0) != 0",
      [](SQLite::Statement& q) {
        return "storage: object " + q.getColumn(0).getString() + "/" + q.getColumn(1).getString() +
               " should hold " + q.getColumn(2).getString() + " bytes, its " +
               q.getColumn(3).getString() + " chunks hold " + q.getColumn(4).getString() +
               " (missing chunks)";
      },
      r.problems);
  bad += CollectProblems(
      db,
      "SELECT ch.content_id, count(*) FROM storage_object_chunks AS ch "
      "LEFT JOIN storage_contents AS c ON c.id = ch.content_id WHERE c.id IS NULL "
      "GROUP BY ch.content_id",
      [](SQLite::Statement& q) {
        return "storage: " + q.getColumn(1).getString() + " orphan chunks of content " +
               q.getColumn(0).getString() + ", which does not exist";
      },
      r.problems);
  r.lines.push_back(bad == 0 ? "storage chunks: ok"
                             : "storage chunks: " + std::to_string(bad) + " problems");
  // An interrupted upload leaves unattached content; the server purges it at start.
  const int detached =
      db.execAndGet("SELECT count(*) FROM storage_contents WHERE object_id IS NULL").getInt();
  if (detached > 0) {
    r.lines.push_back("storage: " + std::to_string(detached) +
                      " unattached upload contents (purged at the next start; not a problem)");
  }
}

}  // namespace

std::string CheckReport::ToString() const {
  std::string out;
  for (const auto& l : lines) out += l + "\n";
  if (!problems.empty()) {
    out += "problems:\n";
    for (const auto& p : problems) out += "  " + p + "\n";
  }
  out += ok() ? "result: ok\n" : "result: " + std::to_string(problems.size()) + " problems\n";
  return out;
}

CheckReport CheckDatabase(const std::string& path, int known_version) {
  CheckReport r;
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    r.problems.push_back("file: " + path + ": " + std::strerror(errno));
    return r;
  }
  if (!S_ISREG(st.st_mode)) {
    r.problems.push_back("file: " + path + ": not a regular file");
    return r;
  }
  r.lines.push_back("file: " + path + " (" + std::to_string(st.st_size) + " bytes)");
  try {
    SQLite::Database db(path, SQLite::OPEN_READONLY);
    db.setBusyTimeout(5000);
    // One snapshot for every check, so a server writing meanwhile cannot make them disagree.
    db.exec("BEGIN");
    CheckIntegrity(db, r);
    if (!r.ok()) return r;  // the other checks would read the damaged pages
    if (!CheckSchema(db, known_version, r)) return r;
    CheckForeignKeys(db, r);
    CheckObjectBytes(db, r);
    db.exec("COMMIT");
  } catch (const SQLite::Exception& e) {
    r.lines.emplace_back("sqlite: cannot read the file");
    r.problems.push_back(std::string("sqlite: ") + e.what());
  }
  return r;
}

}  // namespace ib::storage
