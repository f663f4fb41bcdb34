// Whole-file replacement that a crash cannot leave half done: a temporary file created beside
// its destination (same directory, so the same filesystem), synced, renamed over the
// destination, then the directory synced. TempFile removes the temporary unless it was
// renamed. Errors are Error::Internal naming the file and the cause (disk full, permissions).
#pragma once

#include <string>

namespace ib::storage {

class TempFile {
 public:
  // Creates `<beside>.<tag>-XXXXXX` (mode 0600) in beside's directory.
  TempFile(const std::string& beside, const std::string& tag);
  ~TempFile();  // unlinks the file unless RenameOver succeeded
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;

  const std::string& path() const { return path_; }
  // fsync, rename over `target`, fsync the directory. After it the file is the target's.
  void RenameOver(const std::string& target);

 private:
  std::string path_;
  bool renamed_ = false;
};

// fsync of a file by path (the data and its size).
void SyncFile(const std::string& path);
// fsync of the directory holding `path`, so a rename or unlink in it is durable.
void SyncParentDirectory(const std::string& path);
// The directory holding `path` ("." for a bare name).
std::string ParentDirectory(const std::string& path);

}  // namespace ib::storage
