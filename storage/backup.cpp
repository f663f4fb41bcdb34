#include "storage/backup.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <thread>

#include "storage/atomic_file.h"
#include "storage/error.h"

namespace ib::storage {
namespace {

constexpr int kBusyTimeoutMs = 5000;

struct stat StatOrThrow(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    throw Error::Internal("no database at " + path + ": " + std::strerror(errno));
  }
  return st;
}

// The destination's descriptor, for writing its pages out as the copy goes.
class Flusher {
 public:
  explicit Flusher(const std::string& path) : fd_(::open(path.c_str(), O_RDONLY | O_CLOEXEC)) {}
  ~Flusher() {
    if (fd_ >= 0) ::close(fd_);
  }
  Flusher(const Flusher&) = delete;
  Flusher& operator=(const Flusher&) = delete;
  // Syncs the step's pages (and the blocks allocated for them). Left to the kernel and to one
  // final fsync, hundreds of megabytes of dirty copy were flushed in one go, and the server's
  // WAL sync, queued behind that flush in the filesystem's journal, stalled its writes for
  // over 100 ms (bench/backup_stall.py); a step's worth at a time keeps each wait short.
  void Flush() const {
    if (fd_ >= 0) ::fdatasync(fd_);
  }

 private:
  int fd_;
};

// Runs the backup object to the end. Each step copies at most kBackupPagesPerStep pages; the
// source's read transaction is ours (opened by the caller), so no step ever finds the source
// changed underneath (which would restart the copy) and no step waits for a lock.
// After each step the copy pauses as long as the step took, so it keeps the disk busy at most
// half the time: copying flat out filled the disk's queue and the server's WAL syncs waited
// behind it (bench/backup_stall.py). A backup takes about twice as long; writes don't stall.
int RunSteps(sqlite3_backup* backup, const Flusher& flusher) {
  int rc = SQLITE_OK;
  while (rc == SQLITE_OK) {
    const auto start = std::chrono::steady_clock::now();
    rc = sqlite3_backup_step(backup, kBackupPagesPerStep);
    flusher.Flush();
    if (rc == SQLITE_OK) std::this_thread::sleep_for(std::chrono::steady_clock::now() - start);
  }
  const int finish = sqlite3_backup_finish(backup);
  return rc == SQLITE_DONE ? finish : rc;
}

}  // namespace

void CopyDatabase(const std::string& source, const std::string& dest_path) {
  StatOrThrow(source);
  try {
    // Read-write (a WAL reader needs the -shm) but never CREATE: a mistyped path is an error,
    // not a new empty database to back up.
    SQLite::Database src(source, SQLite::OPEN_READWRITE);
    src.setBusyTimeout(kBusyTimeoutMs);
    // The snapshot: one read transaction for the whole copy. Under WAL a reader never blocks
    // the writer (commits go on appending to the WAL; checkpoints just stop short of what this
    // reader still sees), so the server's writes do not stall however long the copy takes.
    // Without it each step would take a fresh snapshot and any commit between steps would
    // restart the copy from page 1: on a busy server it would never finish.
    src.exec("BEGIN");
    src.execAndGet("SELECT count(*) FROM sqlite_master");
    SQLite::Database dest(dest_path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    sqlite3_backup* backup = sqlite3_backup_init(dest.getHandle(), "main", src.getHandle(), "main");
    if (backup == nullptr) {
      throw Error::Internal("cannot back up " + source + ": " + sqlite3_errmsg(dest.getHandle()));
    }
    const Flusher flusher(dest_path);
    const int rc = RunSteps(backup, flusher);
    if (rc != SQLITE_OK) {
      throw Error::Internal("backup of " + source + " into " + dest_path +
                            " failed: " + sqlite3_errstr(rc));
    }
    src.exec("COMMIT");
    // The copied header says WAL (the source's mode); a backup is one self-contained file,
    // so switch it to a rollback journal (the server turns WAL back on when it opens it).
    dest.exec("PRAGMA journal_mode=WAL");
    dest.exec("PRAGMA journal_mode=DELETE");
  } catch (const SQLite::Exception& e) {
    throw Error::Internal("backup of " + source + " failed: " + e.what());
  }
}

int64_t BackupFile(const std::string& source, const std::string& out) {
  const struct stat src = StatOrThrow(source);
  struct stat dst {};
  if (::stat(out.c_str(), &dst) == 0 && dst.st_dev == src.st_dev && dst.st_ino == src.st_ino) {
    throw Error::Internal("refusing to back up " + source + " onto itself");
  }
  TempFile tmp(out, "partial");
  CopyDatabase(source, tmp.path());
  const int64_t bytes = StatOrThrow(tmp.path()).st_size;
  tmp.RenameOver(out);
  return bytes;
}

int BackupToUnlinkedFile(const std::string& source) {
  TempFile tmp(source, "backup");
  CopyDatabase(source, tmp.path());
  const int fd = ::open(tmp.path().c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    throw Error::Internal("cannot open backup " + tmp.path() + ": " + std::strerror(errno));
  }
  return fd;  // tmp's destructor unlinks the name; the descriptor keeps the bytes
}

}  // namespace ib::storage
