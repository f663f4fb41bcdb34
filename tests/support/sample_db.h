// A small database file with a row in every kind of table backups must carry: an auth user,
// a setting, a session, and one stored object whose 300,000 bytes span two chunks. For the
// unit tests of backup, check and restore, with the schema version they expect. Header-only.
#pragma once

#include <string>

#include "storage/migrator.h"
#include "tests/support/test_db.h"

namespace ib::testing {

// The schema version this build migrates to (what a sample file carries).
inline int KnownSchemaVersion() { return storage::LatestVersion(storage::EmbeddedMigrations()); }

inline constexpr const char* kSampleObjectId = "00000000-0000-4000-8000-000000000001";

// Creates the file at `path` (it must not be served) and closes it again.
inline void MakeSampleDb(const std::string& path) {
  TestDb db(path);
  const std::string uid = db.AddUser("backup@example.com");
  db.Exec("INSERT INTO ib_settings (key, value) VALUES ('sample', 'kept')");
  db.Exec("INSERT INTO interview_sessions (user_id, title) VALUES ('" + uid + "', 'kept')");
  db.Exec(std::string("INSERT INTO storage_objects (id, bucket_id, name, size, mimetype, "
                      "cache_control, etag) VALUES ('") +
          kSampleObjectId + "', 'interview-audio', 'a/b.webm', 300000, 'audio/webm', '3600', 'x')");
  db.Exec(std::string("INSERT INTO storage_contents (id, object_id, size) VALUES (1, '") +
          kSampleObjectId + "', 300000)");
  db.Exec(
      "INSERT INTO storage_object_chunks (content_id, idx, data) VALUES "
      "(1, 0, randomblob(262144)), (1, 1, randomblob(37856))");
}

}  // namespace ib::testing
