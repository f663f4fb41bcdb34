// WalWriteBuffer: the writes SQLite makes to a WAL file, gathered into fewer system calls.
// SQLite writes every WAL frame with two writes, its 24-byte header and then its page, so a
// batch committing 16 pages made 32 pwrite calls on the writer. On our VMs that cost 74 us
// against 6 us for one write of the same bytes, and COMMIT was a third of the writer's time
// per insert batch (bench/README.md, run of 2026-12-04 18:35 UTC).
//
// Here the frames of a transaction before its commit frame are held in memory and written,
// with the commit frame's header, in one write when that header arrives; the commit frame's
// page follows in a second. So a commit is two writes, whatever its size.
//
// Why that is safe: nothing outside the writing connection reads a frame before the commit
// that contains it is published in the WAL index (the shared memory), and SQLite publishes it
// only after the commit frame's writes have returned, by which time every frame of the
// transaction is in the file: readers, the checkpointer, another process, and a recovery after
// a crash see exactly the bytes they would without this buffer. Only frames written exactly as
// SQLite's walWriteOneFrame writes them are held: a 24-byte header at a frame's start whose
// commit field is 0, then that frame's page right after it. Any other write (the WAL's header,
// a commit frame's page, a page rewritten in place, a checksum rewrite, a write not following
// what is held) first writes what is held, in order, and is then written through. Before any
// other call on the file (read, sync, truncate, size, lock, file control, close) the owner
// calls Flush, so the connection itself never sees the file without its own writes. A write
// error of held frames is returned by the call that flushed them, at the latest by the commit
// frame's write, so the COMMIT fails as it would have. One connection's file: not thread-safe
// (SQLite uses a connection's files from one thread at a time).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

struct sqlite3_file;

namespace ib::storage {

class WalWriteBuffer {
 public:
  // Past this many held bytes (about 250 frames of 4 KiB) they are written out before more are
  // held: a large transaction's frames go out in chunks rather than all at its commit.
  static constexpr size_t kMaxHeldBytes = size_t{1} << 20;
  // The most one write to the real file may carry: SQLite's unix VFS writes at most 17 bits'
  // worth of bytes per call (it masks the length). Held bytes go out in writes of this size.
  static constexpr size_t kMaxWriteBytes = (size_t{1} << 17) - 1;

  // `file`: the WAL file the writes go to (the real one under our VFS); not owned.
  explicit WalWriteBuffer(sqlite3_file* file) : file_(file) {}
  WalWriteBuffer(const WalWriteBuffer&) = delete;
  WalWriteBuffer& operator=(const WalWriteBuffer&) = delete;

  // In place of the file's xWrite; returns an SQLite result code.
  int Write(const void* data, int amount, int64_t offset);
  // Writes what is held; returns SQLITE_OK or the write's error (what was held is dropped:
  // SQLite fails the transaction that wrote it).
  int Flush();

  // Bytes held now (tests).
  size_t held_bytes() const { return held_.size(); }

 private:
  int WriteThrough(const void* data, int amount, int64_t offset);
  int Hold(const void* data, int amount, int64_t offset);
  // Whether a write of `amount` bytes at `offset` is a frame's header (24 bytes at a frame's
  // start; false while the page size is unknown).
  bool IsFrameHeader(int amount, int64_t offset) const;
  int64_t held_end() const { return held_start_ + static_cast<int64_t>(held_.size()); }

  sqlite3_file* file_;
  std::vector<char> held_;  // bytes for [held_start_, held_end()) of the file
  int64_t held_start_ = 0;
  // From the WAL header's last write through this buffer; 0 until then, and then nothing is
  // held (frame boundaries are unknown).
  int64_t page_size_ = 0;
};

}  // namespace ib::storage
