// DbFile: the database file as a file. It holds the JWT secret, so a file we create is 0600
// (SQLite gives its -wal, -shm and -journal files the database file's mode) and so is every
// directory we create for it (0700); an existing file open to group or others is reported in
// warnings() (the caller prints them). It takes an exclusive advisory lock held for its whole
// lifetime, so a second process serving the same file is refused. Not thread-safe; not copied.
#pragma once

#include <string>
#include <vector>

namespace ib::storage {

class DbFile {
 public:
  // Creates what is missing and locks. Throws Error::Internal (its message says why, for the
  // start-up line) when another process holds the lock or a file or directory cannot be made.
  explicit DbFile(const std::string& path);
  ~DbFile();
  DbFile(const DbFile&) = delete;
  DbFile& operator=(const DbFile&) = delete;

  const std::vector<std::string>& warnings() const { return warnings_; }

 private:
  int fd_ = -1;  // open, and locked, until destruction
  std::vector<std::string> warnings_;
};

}  // namespace ib::storage
