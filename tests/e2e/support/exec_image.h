// ExecImage: what a forked child of a test will exec, built before fork(). The e2e process is
// multi-threaded (each ServerProcess leaves a thread draining the server's stdout, which frees
// its buffers when the server exits), and a child forked from it may only make
// async-signal-safe calls until it execs: if another thread held the allocator's lock at the
// fork, a child that allocates waits for it forever, and the test with it (a restore test hung
// for its whole 600 s under ASan, whose allocator, unlike glibc's, is not reset in the child).
// So the argument and environment arrays and the program's path are prepared here, in the
// parent, and the child only calls dup2, open, close and Exec.
#pragma once

#include <string>
#include <vector>

namespace ib::e2e {

class ExecImage {
 public:
  // `argv[0]` is the program: a path, or a name looked up in PATH now (as execvp would).
  // `extra_env`: "NAME=value" entries added to this process's environment, replacing any
  // entry of the same name.
  explicit ExecImage(std::vector<std::string> argv, std::vector<std::string> extra_env = {});
  ExecImage(const ExecImage&) = delete;
  ExecImage& operator=(const ExecImage&) = delete;

  // In the forked child: execve, or _exit(127) if that fails. Async-signal-safe.
  [[noreturn]] void Exec() const noexcept;

 private:
  std::string path_;
  std::vector<std::string> args_;
  std::vector<std::string> env_;
  std::vector<char*> argv_;  // into args_, then nullptr
  std::vector<char*> envp_;  // into env_, then nullptr
};

}  // namespace ib::e2e
