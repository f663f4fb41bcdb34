// SharedMapVfs: the SQLite VFS our database files are opened with. It is the default (unix)
// VFS with three changes. Reads of the database file through memory mapping use one read-only
// mapping of the file per process, shared by every connection and kept until the last of them
// closes, instead of SQLite's own per-connection mapping (below). And the frames a transaction
// writes to the WAL go out in two writes per commit rather than two per frame
// (storage/wal_write_buffer.h says how, and why no reader can tell). And a connection may defer
// its syncs of the database file until a WAL frame they protect is about to be destroyed
// (kDeferDatabaseSyncs, below: the checkpointer's).
//
// Why: in WAL mode a commit changes the database, and SQLite then empties the page cache of
// every other connection at its next read transaction. Each reader fetched its pages again with
// pread (about 15 per list, ~1.3 us each on our VMs: +18 % per list while writes commit). With
// SQLite's own memory mapping it is worse: it unmaps the whole file whenever it empties that
// cache and maps it again at the next read (page faults and TLB shootdowns across the
// workers). Here a page of the database file that is not in the WAL is a pointer into the
// shared mapping, whatever was committed since: no system call, no copy.
//
// Why it is safe: the mapping is the kernel's page cache of the file, the same bytes pread
// returns, and SQLite uses mapped pages exactly as with its own mapping (PRAGMA mmap_size):
// only for pages that no WAL frame of the reader's snapshot replaces, which a checkpoint does
// not overwrite while that snapshot lives. A page is mapped only below the size the file is
// known to have: its size when first mapped, raised by our own writes to it, lowered by our
// own truncations. Another process changing the file's size is excluded by the database's
// lock (storage/db_file.h); one that ignores that lock and shrinks the file could make a read
// fault, as with SQLite's own mapping, and so would a disk error under a mapped page (SIGBUS
// where pread would return SQLITE_IOERR). The mapping's own descriptor of the file is closed
// only when the last connection through this VFS closes (closing a descriptor drops every
// POSIX lock of the process on that file), like DbFile's after Db's connections.
//
// The mapping reserves kSharedMapReserveBytes of address space (no memory); pages of a larger
// file are read with pread. Mapped pages that reads touched count in the process's RSS as file
// pages, which the kernel may reclaim like any page cache.
#pragma once

#include <cstdint>

namespace ib::storage {

// The VFS's name for sqlite3_open_v2 (registered, not as the default, on the first call);
// nullptr if it could not be registered (the default VFS then serves, with pread).
const char* SharedMapVfsName();

// Deferred database syncs (storage/checkpointer.h says why). A connection whose main database
// file got kDeferDatabaseSyncs (sqlite3_file_control(db, "main", kDeferDatabaseSyncs, nullptr))
// no longer syncs that file when SQLite asks it to (a checkpoint, after copying WAL frames
// into it): the sync is owed instead, per file and process. Until it is paid, the WAL frames
// those copies came from are the only durable copy of them, so nothing may destroy them: a
// power loss then leaves the WAL whole and recovery reads its frames again. What destroys
// frames, and what each does here:
// - a WAL restart (the next write transaction after every frame was copied; its frames then
//   overwrite the old ones, and its new header invalidates them all). It takes one wal-index
//   lock (read marks 1-4, exclusive). On a connection that got kRestartOnlyWhenSynced (the
//   writer) that lock is refused while a sync is owed or being paid, never waited for: SQLite
//   goes on appending to the WAL, as when a reader still uses it. On any other connection (a
//   RESTART or TRUNCATE checkpoint) the owed sync is paid first.
// - the WAL's header written (a restart, or a new WAL), the WAL truncated or deleted: the owed
//   sync is paid first (a safety net: the lock above normally settles it).
// kPayDatabaseSync pays it now (waiting for a payment under way). kSyncDatabaseNow syncs the
// file whether or not a sync is owed, and so settles any: SQLite asks for the sync only after
// a pass that copied every frame, which under a stream of writes is only the last pass before
// a restart, the one that holds the writer; syncing earlier, off the writer, leaves that one
// little to write.
// kWriteBackDatabase (argument: a DatabaseWriteback) writes dirty pages of the file out and
// waits for them, a slice of kWritebackSliceBytes at a time, so that a later sync has little
// left to write. Paced because the device serves requests in order: the batches' WAL syncs
// wait behind every page write queued before them. Starting the whole file's writeback at once
// (thousands of scattered pages) made the WAL syncs of the next 20-25 ms take 2-10 ms each
// instead of ~0.6; with a slice's few pages in flight they take ~0.3 ms more at most
// (bench/README.md, dev loop of 2026-12-05).
constexpr int kDeferDatabaseSyncs = 0x69620001;
constexpr int kPayDatabaseSync = 0x69620002;
constexpr int kRestartOnlyWhenSynced = 0x69620003;
constexpr int kWriteBackDatabase = 0x69620004;
constexpr int kSyncDatabaseNow = 0x69620005;

// At most this many bytes of the database file are being written back at once (8 pages).
constexpr int64_t kWritebackSliceBytes = int64_t{32} << 10;

// kWriteBackDatabase's argument, in and out: the file's bytes [next, next + bytes) are written
// back; `next` is then where the next call goes on, 0 once the end of the file was reached.
struct DatabaseWriteback {
  int64_t next = 0;
  int64_t bytes = 0;
};

// Deferred syncs paid so far, across the process (tests and diagnostics).
int64_t DeferredSyncsPaid();

// Database files mapped now, across the process (tests and diagnostics).
int SharedMappedFiles();

// Address space reserved per mapped database file.
constexpr int64_t kSharedMapReserveBytes = int64_t{64} << 30;

}  // namespace ib::storage
