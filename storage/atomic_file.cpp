#include "storage/atomic_file.h"

#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <vector>

#include "storage/error.h"

namespace ib::storage {
namespace {

Error FileError(const std::string& what, const std::string& path, int err) {
  return Error::Internal(what + " " + path + ": " + std::strerror(err));
}

void SyncDescriptorOf(const std::string& path, int flags) {
  const int fd = ::open(path.c_str(), flags | O_CLOEXEC);
  if (fd < 0) throw FileError("cannot open", path, errno);
  const int rc = ::fsync(fd);
  const int err = errno;
  ::close(fd);
  if (rc != 0) throw FileError("cannot sync", path, err);
}

}  // namespace

std::string ParentDirectory(const std::string& path) {
  std::string dir = std::filesystem::path(path).parent_path().string();
  return dir.empty() ? "." : dir;
}

void SyncFile(const std::string& path) { SyncDescriptorOf(path, O_RDONLY); }

void SyncParentDirectory(const std::string& path) {
  SyncDescriptorOf(ParentDirectory(path), O_RDONLY | O_DIRECTORY);
}

TempFile::TempFile(const std::string& beside, const std::string& tag) {
  std::string pattern = beside + "." + tag + "-XXXXXX";
  std::vector<char> buf(pattern.begin(), pattern.end());
  buf.push_back('\0');
  const int fd = ::mkstemp(buf.data());  // mode 0600: it will hold the JWT secret's pages
  if (fd < 0) throw FileError("cannot create a temporary file", pattern, errno);
  ::close(fd);
  path_ = buf.data();
}

TempFile::~TempFile() {
  if (!renamed_) ::unlink(path_.c_str());
}

void TempFile::RenameOver(const std::string& target) {
  SyncFile(path_);
  if (::rename(path_.c_str(), target.c_str()) != 0) {
    throw FileError("cannot rename " + path_ + " to", target, errno);
  }
  renamed_ = true;
  SyncParentDirectory(target);
}

}  // namespace ib::storage
