// The hang watchdog of the test executables (tests/hang_watchdog.cpp) seen from outside: this
// executable, run on a fixture case that starts a server and never ends, with a 3 s deadline,
// prints both processes' stacks, stops the server and exits with the watchdog's status.
#include <doctest/doctest.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

#include "tests/e2e/support/server_process.h"

namespace ib::e2e {
namespace {

// Its name is what the test looks for in the dumped stacks.
[[gnu::noinline]] void WaitForTheWatchdogForever() {
  for (;;) std::this_thread::sleep_for(std::chrono::seconds(1));
}

// Whether `pid` has ended: gone, or a zombie nobody reaped yet (an orphan's new parent).
bool Ended(int pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
  if (text.empty()) return true;
  const size_t close_paren = text.rfind(')');
  return close_paren != std::string::npos && text.compare(close_paren, 3, ") Z") == 0;
}

}  // namespace

// Skipped unless asked for by name with --no-skip: it is the hung test the case below watches.
TEST_CASE("watchdog fixture: a test case that starts a server and never ends" * doctest::skip()) {
  ServerProcess server;
  std::printf("fixture server pid %d\n", server.pid());
  std::fflush(stdout);
  WaitForTheWatchdogForever();
}

TEST_CASE("harness: a hung test case prints its stacks and its server's, stops both, fails") {
  const std::string self = std::filesystem::read_symlink("/proc/self/exe").string();
  const CommandResult run =
      RunProgram({self, "--no-skip", "-tc=watchdog fixture*"}, {"IB_TEST_WATCHDOG_SECONDS=3"});
  INFO(run.output);
  CHECK(run.status == 70);
  CHECK(run.output.find("=== watchdog: the test case \"watchdog fixture: a test case that "
                        "starts a server and never ends\" ran past 3 s") != std::string::npos);
  // The test process's threads, the hung one by its function's name (unless this machine
  // forbids gdb to attach: then the dump says so, and only the rest can be checked).
  if (run.output.find("ptrace: Operation not permitted") == std::string::npos) {
    CHECK(run.output.find("WaitForTheWatchdogForever") != std::string::npos);
  } else {
    MESSAGE("gdb may not attach to processes here (ptrace): no stacks to check");
  }
  int server_pid = 0;
  const size_t at = run.output.find("fixture server pid ");
  REQUIRE(at != std::string::npos);
  server_pid = std::stoi(run.output.substr(at + 19));
  // The server's stacks (its command line names the binary), then the server is stopped.
  CHECK(run.output.find("=== watchdog: stacks of pid " + std::to_string(server_pid) + ": " +
                        IB_BINARY + " serve") != std::string::npos);
  CHECK(run.output.find("=== watchdog: exiting with 70") != std::string::npos);
  // SIGKILL is sent, not awaited: the process may take a moment to go (an ASan server's huge
  // mappings are torn down slowly).
  bool ended = Ended(server_pid);
  for (int i = 0; i < 200 && !ended; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    ended = Ended(server_pid);
  }
  CHECK(ended);
}

}  // namespace ib::e2e
