// The hang watchdog of the doctest executables (unit and e2e): a test case that runs past its
// deadline prints the stacks of every thread of the test process and of each process it started
// (servers, Postgres, Node), kills those, and exits with kWatchdogExitCode. Without it a hang
// shows only as ctest's timeout ("Timeout 600 s", no output): the ASan and TSan hangs CI met
// could not be told apart from a slow machine.
//
// The deadline is per test case, IB_TEST_WATCHDOG_SECONDS (0: off), kDefaultSeconds by
// default: about seven times the longest case (a TSan e2e case, ~45 s) and early enough that
// the dumps finish inside ctest's 600 s (tests/run_all.sh). The stacks come from gdb
// (`thread apply all bt`, installed by packaging/install-deps.sh --test).
//
// When it fires, the hung thread may hold any lock, the allocator's included (the ASan hang
// was a child waiting for it). So the firing path allocates nothing and takes no lock a test
// could hold: fixed buffers, raw system calls, posix_spawn (which does not allocate in the
// child either), and write(2) rather than stdio.
#include <dirent.h>
#include <doctest/doctest.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <thread>

extern char** environ;

namespace ib::test {
namespace {

constexpr int kDefaultSeconds = 300;
constexpr int kWatchdogExitCode = 70;  // tests/e2e/hang_watchdog_test.cpp checks it
constexpr int kGdbSeconds = 60;        // one process's dump; then gdb is killed
constexpr int kMaxProcesses = 256;     // descendants looked at
constexpr size_t kNameBytes = 512;

void WriteToStderr(const char* text) {
  size_t left = std::strlen(text);
  while (left > 0) {
    const ssize_t n = write(2, text, left);
    if (n <= 0) return;
    text += n;
    left -= static_cast<size_t>(n);
  }
}

// Reads /proc/PID/stat's parent pid (the fourth field, after the command in parentheses, which
// may itself hold spaces and parentheses); 0 when the process is gone.
pid_t ParentPid(pid_t pid) {
  char path[64];
  std::snprintf(path, sizeof path, "/proc/%d/stat", static_cast<int>(pid));
  const int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return 0;
  char stat[1024];
  const ssize_t n = read(fd, stat, sizeof stat - 1);
  close(fd);
  if (n <= 0) return 0;
  stat[n] = '\0';
  const char* close_paren = std::strrchr(stat, ')');
  if (close_paren == nullptr) return 0;
  char state = 0;
  int parent = 0;
  if (std::sscanf(close_paren + 1, " %c %d", &state, &parent) != 2) return 0;
  return parent;
}

// Every process below `root` (children, their children, ...), found by scanning /proc with
// getdents64 into a fixed buffer; returns how many were written to `out`.
int DescendantPids(pid_t root, pid_t* out, int capacity) {
  pid_t pids[4 * kMaxProcesses];
  pid_t parents[4 * kMaxProcesses];
  int count = 0;
  const int dir = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir < 0) return 0;
  alignas(8) char entries[8192];
  for (;;) {
    const long n = syscall(SYS_getdents64, dir, entries, sizeof entries);
    if (n <= 0) break;
    for (long at = 0; at < n;) {
      const auto* entry = reinterpret_cast<const dirent64*>(entries + at);
      at += entry->d_reclen;
      char* end = nullptr;
      const long pid = std::strtol(entry->d_name, &end, 10);
      if (pid <= 0 || *end != '\0' || count == 4 * kMaxProcesses) continue;
      pids[count] = static_cast<pid_t>(pid);
      parents[count] = ParentPid(static_cast<pid_t>(pid));
      ++count;
    }
  }
  close(dir);
  // Breadth first from `root`: out[] doubles as the queue.
  int found = 0;
  for (int head = -1; head < found; ++head) {
    const pid_t parent = head < 0 ? root : out[head];
    for (int i = 0; i < count && found < capacity; ++i) {
      if (parents[i] == parent) out[found++] = pids[i];
    }
  }
  return found;
}

void SleepMilliseconds(long ms) {
  timespec t{ms / 1000, (ms % 1000) * 1000000L};
  nanosleep(&t, nullptr);
}

// Prints the threads' stacks of `pid` through gdb, waiting at most kGdbSeconds for it.
void DumpStacksWithGdb(pid_t pid) {
  char cmdline[200] = {0};
  char header[sizeof cmdline + 64];
  char path[64];
  std::snprintf(path, sizeof path, "/proc/%d/cmdline", static_cast<int>(pid));
  const int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd >= 0) {
    const ssize_t n = read(fd, cmdline, sizeof cmdline - 1);
    close(fd);
    for (ssize_t i = 0; i < n; ++i) {
      if (cmdline[i] == '\0') cmdline[i] = ' ';
    }
  }
  std::snprintf(header, sizeof header, "\n=== watchdog: stacks of pid %d: %s\n",
                static_cast<int>(pid), cmdline);
  WriteToStderr(header);
  char pid_text[16];
  std::snprintf(pid_text, sizeof pid_text, "%d", static_cast<int>(pid));
  char gdb[] = "gdb";
  char batch[] = "-batch";
  char nx[] = "-nx";
  char attach[] = "-p";
  char init_ex[] = "-iex";
  char ex[] = "-ex";
  char quiet_threads[] = "set print thread-events off";
  char all_bt[] = "thread apply all bt";
  char* argv[] = {gdb, batch, nx, init_ex, quiet_threads, attach, pid_text, ex, all_bt, nullptr};
  // gdb inherits stdout and stderr (ctest shows both). No file actions: adding one allocates.
  pid_t gdb_pid = 0;
  const int rc = posix_spawnp(&gdb_pid, gdb, nullptr, nullptr, argv, environ);
  if (rc != 0) {
    WriteToStderr(
        "watchdog: gdb could not be started (packaging/install-deps.sh --test installs it)\n");
    return;
  }
  for (int waited_ms = 0;; waited_ms += 100) {
    int status = 0;
    if (waitpid(gdb_pid, &status, WNOHANG) != 0) return;
    if (waited_ms >= kGdbSeconds * 1000) {
      kill(gdb_pid, SIGKILL);
      waitpid(gdb_pid, &status, 0);
      WriteToStderr("watchdog: gdb took too long and was stopped\n");
      return;
    }
    SleepMilliseconds(100);
  }
}

class HangWatchdog {
 public:
  static HangWatchdog& Instance() {
    static HangWatchdog* watchdog = new HangWatchdog();  // never destroyed: its thread lives on
    return *watchdog;
  }

  void Arm(const char* test_case) {
    if (seconds_ <= 0) return;
    std::lock_guard<std::mutex> lock(mu_);
    std::snprintf(test_case_, sizeof test_case_, "%s", test_case);
    deadline_ = std::chrono::steady_clock::now() + std::chrono::seconds(seconds_);
    armed_ = true;
    if (!thread_started_) {
      thread_started_ = true;
      std::thread([this] { Watch(); }).detach();
    }
  }

  void Disarm() {
    std::lock_guard<std::mutex> lock(mu_);
    armed_ = false;
  }

 private:
  HangWatchdog() {
    const char* setting = std::getenv("IB_TEST_WATCHDOG_SECONDS");
    seconds_ = setting != nullptr ? std::atoi(setting) : kDefaultSeconds;
    // gdb, our child, attaches to this process: Yama's ptrace_scope 1 only lets a process
    // trace its descendants unless told otherwise (EINVAL without Yama: nothing to do).
    prctl(PR_SET_PTRACER, PR_SET_PTRACER_ANY, 0, 0, 0);
  }

  void Watch() {
    char test_case[kNameBytes];
    {
      std::unique_lock<std::mutex> lock(mu_);
      for (;;) {
        if (!armed_) {
          // Polls while disarmed: the next test case arms it within a second.
          cv_.wait_for(lock, std::chrono::seconds(1));
          continue;
        }
        if (std::chrono::steady_clock::now() >= deadline_) break;
        cv_.wait_until(lock, deadline_);
      }
      std::memcpy(test_case, test_case_, sizeof test_case);
    }
    Fire(test_case);
  }

  // Never returns. The lock is released: a test thread may still take it, nothing else here.
  void Fire(const char* test_case) const {
    char line[kNameBytes + 256];
    std::snprintf(line, sizeof line,
                  "\n=== watchdog: the test case \"%s\" ran past %d s: the stacks of this "
                  "process and of the processes it started follow, then they are stopped\n",
                  test_case, seconds_);
    WriteToStderr(line);
    pid_t started[kMaxProcesses];
    const int count = DescendantPids(getpid(), started, kMaxProcesses);
    DumpStacksWithGdb(getpid());
    for (int i = 0; i < count; ++i) DumpStacksWithGdb(started[i]);
    for (int i = 0; i < count; ++i) kill(started[i], SIGKILL);
    std::snprintf(line, sizeof line, "\n=== watchdog: exiting with %d\n", kWatchdogExitCode);
    WriteToStderr(line);
    _exit(kWatchdogExitCode);
  }

  int seconds_ = kDefaultSeconds;
  std::mutex mu_;
  std::condition_variable cv_;
  bool armed_ = false;
  bool thread_started_ = false;
  std::chrono::steady_clock::time_point deadline_;
  char test_case_[kNameBytes] = {0};
};

// Arms the watchdog as each test case starts and disarms it when the case ends (its subcases
// included: doctest reports their re-entries separately).
struct HangWatchdogListener : doctest::IReporter {
  explicit HangWatchdogListener(const doctest::ContextOptions&) {}
  void report_query(const doctest::QueryData&) override {}
  void test_run_start() override {}
  void test_run_end(const doctest::TestRunStats&) override {}
  void test_case_start(const doctest::TestCaseData& test) override {
    HangWatchdog::Instance().Arm(test.m_name);
  }
  void test_case_reenter(const doctest::TestCaseData&) override {}
  void test_case_end(const doctest::CurrentTestCaseStats&) override {
    HangWatchdog::Instance().Disarm();
  }
  void test_case_exception(const doctest::TestCaseException&) override {}
  void subcase_start(const doctest::SubcaseSignature&) override {}
  void subcase_end() override {}
  void log_assert(const doctest::AssertData&) override {}
  void log_message(const doctest::MessageData&) override {}
  void test_case_skipped(const doctest::TestCaseData&) override {}
};

}  // namespace
}  // namespace ib::test

REGISTER_LISTENER("hang_watchdog", 1, ib::test::HangWatchdogListener);
