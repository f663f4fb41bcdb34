#include "storage/db_file.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <utility>

#include "storage/error.h"

namespace ib::storage {
namespace {

constexpr mode_t kFileMode = 0600;
constexpr mode_t kDirMode = 0700;
constexpr mode_t kGroupOrOthers = 0077;

std::string Octal(mode_t mode) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%04o", static_cast<unsigned>(mode & 07777));
  return buf;
}

// Creates every missing directory above `path` with mode 0700 (less the umask). Directories
// that exist are left as they are: they may be shared, and they are not ours to tighten.
void CreateParents(const std::filesystem::path& path) {
  std::filesystem::path dir;
  for (const auto& part : path.parent_path()) {
    dir /= part;
    if (::mkdir(dir.c_str(), kDirMode) != 0 && errno != EEXIST) {
      throw Error::Internal("cannot create directory " + dir.string() + ": " +
                            std::strerror(errno));
    }
  }
}

// The database and the side files SQLite keeps next to it: they all hold the secret's pages.
void CheckExistingModes(const std::string& path, std::vector<std::string>& warnings) {
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
    const std::string file = path + suffix;
    struct stat st {};
    if (::stat(file.c_str(), &st) != 0 || (st.st_mode & kGroupOrOthers) == 0) continue;
    std::string warning = file;
    warning += " is open to group or others (mode ";
    warning += Octal(st.st_mode);
    warning += ") and holds the JWT secret; restrict it with: chmod 600 ";
    warning += file;
    warnings.push_back(std::move(warning));
  }
}

}  // namespace

DbFile::DbFile(const std::string& path) {
  CreateParents(path);
  CheckExistingModes(path, warnings_);
  // Created here, before SQLite opens it, so it is born 0600 (SQLite would use 0644); an empty
  // file is an empty database to SQLite.
  fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, kFileMode);
  if (fd_ < 0) {
    throw Error::Internal("cannot open database " + path + ": " + std::strerror(errno));
  }
  // flock() on the database file itself, through this descriptor kept open for the process's
  // lifetime. Not fcntl(): POSIX record locks belong to the process and closing ANY descriptor
  // of the file drops them all, so our lock and SQLite's own locks would undo each other; flock
  // locks belong to this open file description only and, on Linux, never interact with
  // SQLite's fcntl locks. Not a separate lock file: locking the database's own inode also
  // catches the same file reached through a symlink, a hard link or another relative path.
  // (On NFS, Linux emulates flock with a whole-file fcntl lock; SQLite is unsafe there anyway.)
  if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
    const int err = errno;
    ::close(fd_);
    fd_ = -1;
    if (err == EWOULDBLOCK) {
      throw Error::Internal("database " + path +
                            " is already served by another running interviewbase process; stop "
                            "it first or choose another --db");
    }
    throw Error::Internal("cannot lock database " + path + ": " + std::strerror(err));
  }
}

DbFile::~DbFile() {
  // Closing our descriptor releases the flock. It also drops this process's POSIX locks on the
  // file, which is why Db destroys its SQLite connections before its DbFile.
  if (fd_ >= 0) ::close(fd_);
}

}  // namespace ib::storage
