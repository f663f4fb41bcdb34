#include "tests/e2e/support/exec_image.h"

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <stdexcept>

namespace ib::e2e {
namespace {

std::string NameOf(const std::string& entry) { return entry.substr(0, entry.find('=')); }

// The first PATH directory holding an executable `name`, as execvp searches; `name` itself
// when it holds a slash or nothing is found (execve then fails and the child exits 127).
std::string Resolve(const std::string& name) {
  if (name.find('/') != std::string::npos) return name;
  const char* path = std::getenv("PATH");
  std::string dirs = path ? path : "/usr/local/bin:/usr/bin:/bin";
  size_t start = 0;
  while (start <= dirs.size()) {
    const size_t end = std::min(dirs.find(':', start), dirs.size());
    const std::string dir = end > start ? dirs.substr(start, end - start) : ".";
    const std::string candidate = dir + "/" + name;
    if (access(candidate.c_str(), X_OK) == 0) return candidate;
    start = end + 1;
  }
  return name;
}

}  // namespace

ExecImage::ExecImage(std::vector<std::string> argv, std::vector<std::string> extra_env)
    : args_(std::move(argv)) {
  if (args_.empty()) throw std::invalid_argument("ExecImage: no program");
  path_ = Resolve(args_[0]);
  for (char** entry = environ; entry && *entry; ++entry) {
    const std::string existing = *entry;
    bool replaced = false;
    for (const auto& extra : extra_env) replaced = replaced || NameOf(extra) == NameOf(existing);
    if (!replaced) env_.push_back(existing);
  }
  env_.insert(env_.end(), extra_env.begin(), extra_env.end());
  for (auto& a : args_) argv_.push_back(a.data());
  argv_.push_back(nullptr);
  for (auto& e : env_) envp_.push_back(e.data());
  envp_.push_back(nullptr);
}

void ExecImage::Exec() const noexcept {
  execve(path_.c_str(), argv_.data(), envp_.data());
  _exit(127);
}

}  // namespace ib::e2e
