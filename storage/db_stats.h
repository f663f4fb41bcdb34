// DbStats: what /metrics reports about the database: the sizes of its file and WAL, the WAL
// checkpoints, the group commit's batches, writes and syncs, and the stored objects' count and
// bytes. One call reads them all; the object figures take one read snapshot (a scan of the
// objects table, which holds metadata only), the rest are counters and two stat() calls.
#pragma once

#include <cstdint>

namespace ib::storage {

class Db;
struct RequestClock;

struct DbStats {
  int64_t file_bytes = 0;  // the database file; 0 for ":memory:" and a file not yet written
  int64_t wal_bytes = 0;   // its -wal file; 0 when there is none
  uint64_t checkpoints = 0;
  uint64_t write_batches = 0;  // transactions the group commit ran
  uint64_t writes = 0;         // writes those transactions carried
  uint64_t wal_syncs = 0;      // fdatasync calls of --durability full
  int64_t objects = 0;         // stored objects (Storage)
  int64_t object_bytes = 0;    // their sizes added up
};

DbStats ReadDbStats(Db& db, const RequestClock& clock);

}  // namespace ib::storage
