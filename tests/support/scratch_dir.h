// ScratchDir: a fresh, uniquely named directory under /tmp for a test's database files, removed
// with everything in it when the test ends. Header-only, so unit and e2e tests share it.
#pragma once

#include <doctest/doctest.h>
#include <stdlib.h>

#include <filesystem>
#include <string>
#include <system_error>

namespace ib::testing {

class ScratchDir {
 public:
  ScratchDir() {
    char pattern[] = "/tmp/ib-test-XXXXXX";
    REQUIRE(mkdtemp(pattern) != nullptr);
    path_ = pattern;
  }
  ~ScratchDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;

  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace ib::testing
