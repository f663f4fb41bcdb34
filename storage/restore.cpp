#include "storage/restore.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <system_error>

#include "storage/atomic_file.h"
#include "storage/backup.h"
#include "storage/db_check.h"
#include "storage/error.h"

namespace ib::storage {
namespace {

// The flock a serving DbFile holds on the database file (storage/db_file.h), taken here for
// the whole restore: a server running now makes this fail, and a server starting meanwhile
// is refused by it. A target that does not exist yet is created empty to carry the lock (a
// server starting meanwhile would otherwise make its own) and removed if the restore fails.
class TargetLock {
 public:
  explicit TargetLock(const std::string& path) : path_(path) {
    fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd_ >= 0) {
      created_ = true;
    } else if (errno == EEXIST) {
      fd_ = ::open(path.c_str(), O_RDWR | O_CLOEXEC);
    }
    if (fd_ < 0) {
      throw Error::Internal("cannot open database " + path + ": " + std::strerror(errno));
    }
    if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
      const int err = errno;
      Release();
      if (err == EWOULDBLOCK) {
        throw Error::Internal("database " + path +
                              " is held by a running interviewbase server; stop it before "
                              "restoring (nothing was changed)");
      }
      throw Error::Internal("cannot lock database " + path + ": " + std::strerror(err));
    }
  }
  ~TargetLock() { Release(); }
  TargetLock(const TargetLock&) = delete;
  TargetLock& operator=(const TargetLock&) = delete;

  bool created() const { return created_; }
  // The restored file now has the target's name: closing must not remove it.
  void Replaced() { created_ = false; }

 private:
  void Release() {
    if (fd_ < 0) return;
    if (created_) ::unlink(path_.c_str());
    ::close(fd_);  // drops the flock
    fd_ = -1;
  }

  std::string path_;
  int fd_ = -1;
  bool created_ = false;
};

// Before the new file takes the target's name, the old database's side files must go: a WAL
// or hot journal left beside the new file would be replayed into it. The WAL is first
// checkpointed into the old file, so removing it loses nothing and a crash before the rename
// still leaves the whole old database.
std::vector<std::string> RetireSideFiles(const std::string& target) {
  std::vector<std::string> notes;
  try {
    SQLite::Database old(target, SQLite::OPEN_READWRITE);
    old.setBusyTimeout(5000);
    SQLite::Statement checkpoint(old, "PRAGMA wal_checkpoint(TRUNCATE)");
    if (checkpoint.executeStep() && checkpoint.getColumn(0).getInt() != 0) {
      notes.emplace_back("the old database's WAL could not be fully checkpointed");
    }
  } catch (const SQLite::Exception& e) {
    notes.push_back(std::string("the old database could not be read (") + e.what() +
                    "); its WAL, if any, was discarded with it");
  }
  for (const char* suffix : {"-wal", "-shm", "-journal"}) {
    const std::string side = target + suffix;
    if (::unlink(side.c_str()) != 0 && errno != ENOENT) {
      throw Error::Internal("cannot remove " + side + ": " + std::strerror(errno) +
                            " (the database was not changed)");
    }
  }
  SyncParentDirectory(target);
  return notes;
}

}  // namespace

std::vector<std::string> RestoreDatabase(const std::string& backup, const std::string& link,
                                         int known_version) {
  // Through a symlink, the file it names is replaced (a rename over the link would replace
  // the link and leave the database the server opens as it was).
  std::error_code no_file;
  const std::filesystem::path real = std::filesystem::canonical(link, no_file);
  const std::string target = no_file ? link : real.string();
  const CheckReport report = CheckDatabase(backup, known_version);
  if (!report.ok()) {
    throw Error::Internal("refusing to restore " + backup + ": it fails its check\n" +
                          report.ToString());
  }
  TargetLock lock(target);
  TempFile copy(target, "restore");
  CopyDatabase(backup, copy.path());
  // What is renamed is what was checked: the copy itself, read back from disk.
  const CheckReport copied = CheckDatabase(copy.path(), known_version);
  if (!copied.ok()) {
    throw Error::Internal("the copy of " + backup + " fails its check (nothing was changed)\n" +
                          copied.ToString());
  }
  std::vector<std::string> notes;
  if (!lock.created()) notes = RetireSideFiles(target);
  copy.RenameOver(target);
  lock.Replaced();
  return notes;
}

}  // namespace ib::storage
