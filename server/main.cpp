// interviewbase: flags/env -> Config, open and migrate the database, start the App, print
// the listening line and keys, stop cleanly on SIGINT/SIGTERM; or run one maintenance command
// (server/commands.h). Nothing else lives here.
#include <pthread.h>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <thread>

#include "server/app.h"
#include "server/commands.h"
#include "server/config.h"
#include "server/demo/demo_command.h"
#include "server/start_banner.h"
#include "storage/error.h"
#include "storage/sqlite_process.h"

namespace {

// Blocks SIGINT/SIGTERM in every thread and waits for them on a dedicated one, so shutdown
// runs in ordinary code (not a signal handler) and can call App::Stop(). The thread is joined
// before the App is destroyed (a detached one could still be inside Stop() while main tears the
// listener down); when Run() ended without a signal, the destructor wakes it with one.
class SignalStopper {
 public:
  SignalStopper(ib::App& app, sigset_t signals)
      : thread_([this, &app, signals] {
          int sig = 0;
          sigwait(&signals, &sig);
          if (done_) return;
          std::cerr << "received signal " << sig << ", shutting down" << std::endl;
          app.Stop();
        }) {}
  ~SignalStopper() {
    done_ = true;
    // SIGTERM is blocked in every thread, so this only wakes the sigwait above (a no-op once
    // the thread has returned); it cannot terminate anything.
    pthread_kill(thread_.native_handle(), SIGTERM);  // NOLINT(bugprone-bad-signal-to-kill-thread)
    thread_.join();
  }
  SignalStopper(const SignalStopper&) = delete;
  SignalStopper& operator=(const SignalStopper&) = delete;

 private:
  std::atomic<bool> done_{false};
  std::thread thread_;  // after done_, which it reads
};

}  // namespace

int main(int argc, char** argv) {
  ib::storage::ConfigureSqliteProcess();  // before any database opens
  ib::Invocation inv;
  try {
    inv = ib::ParseInvocation(argc, argv, [](const char* name) { return std::getenv(name); });
  } catch (const ib::ConfigError& e) {
    std::cerr << "interviewbase: " << e.what() << "\n\n" << ib::Usage();
    return 2;
  }
  for (const std::string& warning : inv.warnings) {
    std::cerr << "interviewbase: warning: " << warning << std::endl;
  }
  if (inv.command == ib::Command::kHelp) {
    std::cout << ib::Usage();
    return 0;
  }
  if (inv.command == ib::Command::kVersion) {
    std::cout << "interviewbase " << IB_VERSION << "\n";
    return 0;
  }
  if (inv.command == ib::Command::kBackup) return ib::RunBackup(inv);
  if (inv.command == ib::Command::kCheck) return ib::RunCheck(inv);
  if (inv.command == ib::Command::kRestore) return ib::RunRestore(inv);
  if (inv.command == ib::Command::kExport) return ib::RunExport(inv);
  if (inv.command == ib::Command::kImport) return ib::RunImport(inv);
  if (inv.command == ib::Command::kPushStorage) return ib::RunPushStorage(inv);
  if (inv.command == ib::Command::kDemo) return ib::RunDemo(inv);

  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);  // inherited by every thread started below
  std::signal(SIGPIPE, SIG_IGN);

  ib::App app(inv.config);
  int port = 0;
  try {
    port = app.Start();
  } catch (const ib::storage::Error& e) {
    std::cerr << "interviewbase: " << e.message() << std::endl;
    return 1;
  }
  for (const std::string& warning : app.warnings()) {
    std::cerr << "interviewbase: warning: " << warning << std::endl;
  }
  ib::StartFacts facts;
  facts.base_url = (inv.config.tls_cert.empty() ? "http://" : "https://") + inv.config.host + ":" +
                   std::to_string(port);
  facts.anon_key = app.anon_key();
  facts.service_key = app.service_key();
  facts.db_path = inv.config.db_path;
  if (inv.config.db_path != ":memory:") facts.db_bytes = ib::DatabaseBytes(inv.config.db_path);
  facts.schema_version = app.schema_version();
  // Starts with the line tests and tools wait for; flushed at once even when stdout is a pipe.
  std::fputs(ib::StartBanner(facts, inv.config.quiet).c_str(), stdout);
  std::fflush(stdout);
  {
    SignalStopper stopper(app, signals);
    app.Run();
  }
  std::cerr << "interviewbase stopped" << std::endl;
  return 0;
}
