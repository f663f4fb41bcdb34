#include "storage/db_stats.h"

#include <sys/stat.h>

#include <string>

#include "storage/executor.h"
#include "storage/group_commit.h"
#include "storage/unit_of_work.h"

namespace ib::storage {
namespace {

int64_t FileBytes(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 ? static_cast<int64_t>(st.st_size) : 0;
}

}  // namespace

DbStats ReadDbStats(Db& db, const RequestClock& clock) {
  DbStats stats;
  if (!db.in_memory()) {
    stats.file_bytes = FileBytes(db.path());
    stats.wal_bytes = FileBytes(db.path() + "-wal");
  }
  stats.checkpoints = static_cast<uint64_t>(db.checkpoints());
  stats.write_batches = db.group_commit().batches();
  stats.writes = db.group_commit().writes();
  stats.wal_syncs = db.group_commit().syncs();
  Principal server;
  server.role = Role::kServiceRole;
  db.Read(server, clock, [&](ReadScope& scope) {
    Executor(scope.conn())
        .Run({"SELECT count(*), CAST(total(size) AS INTEGER) FROM storage_objects", {}, ""},
             [&](const Row& row) {
               stats.objects = row.Int(0);
               stats.object_bytes = row.Int(1);
             });
  });
  return stats;
}

}  // namespace ib::storage
