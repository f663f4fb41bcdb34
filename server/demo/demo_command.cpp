#include "server/demo/demo_command.h"

#include <chrono>
#include <csignal>
#include <cstdio>
#include <exception>
#include <iostream>
#include <optional>
#include <random>
#include <string>
#include <thread>

#include "server/app.h"
#include "server/demo/demo_plan.h"
#include "server/demo/demo_writer.h"
#include "server/http/local_client.h"
#include "storage/error.h"
#include "storage/migrator.h"

namespace ib {
namespace {

int64_t TodayEpochDay() {
  const auto now = std::chrono::system_clock::now().time_since_epoch();
  return std::chrono::duration_cast<std::chrono::seconds>(now).count() / 86400;
}

// A secret for this run's tokens only. Given one, the App stores none, so a refused run leaves
// a database without a stored secret exactly as it found it; the demo's tokens are never used
// after it ends (a server later settles its own secret as on any first start).
std::string EphemeralSecret() {
  std::random_device random;
  std::string out;
  for (int i = 0; i < 16; ++i) {
    char hex[8];
    std::snprintf(hex, sizeof hex, "%04x", static_cast<unsigned>(random() & 0xffff));
    out += hex;
  }
  return out;
}

// The App migrates a file made by an older binary as it opens it. A demo is written only into
// a database without users, so a file with users and an older schema is refused before that:
// a refused run leaves the file byte for byte as it was. The reason, or nullopt when the file
// is absent, empty, current, user-less or unreadable (the App then decides).
std::optional<std::string> OlderSchemaWithUsers(const std::string& path) {
  try {
    const int version = storage::StoredSchemaVersion(path);
    const int latest = storage::LatestVersion(storage::EmbeddedMigrations());
    if (version == 0 || version >= latest || !storage::StoredFileHasUsers(path)) {
      return std::nullopt;
    }
    return "it holds users under schema version " + std::to_string(version) +
           ", older than this binary's " + std::to_string(latest) + "; serve it once to upgrade it";
  } catch (const storage::Error&) {
    return std::nullopt;
  }
}

void PrintCredentials(const std::vector<demo::DemoUser>& accounts) {
  std::cout << "demo users (email password):\n";
  for (const demo::DemoUser& u : accounts)
    std::cout << "  " << u.email << " " << u.password << "\n";
  std::cout << std::flush;
}

// Runs the App on its own thread for the lifetime of this object.
class RunningApp {
 public:
  explicit RunningApp(App& app) : app_(app), thread_([&app] { app.Run(); }) {}
  ~RunningApp() {
    app_.Stop();
    thread_.join();
  }
  RunningApp(const RunningApp&) = delete;
  RunningApp& operator=(const RunningApp&) = delete;

 private:
  App& app_;
  std::thread thread_;
};

}  // namespace

int RunDemo(const Invocation& inv) {
  std::signal(SIGPIPE, SIG_IGN);
  Config config;
  config.db_path = inv.config.db_path;
  config.host = "127.0.0.1";
  config.port = 0;
  config.log_requests = false;
  config.password_cost = inv.config.password_cost;
  config.jwt_secret = EphemeralSecret();
  // Many small commits; an interrupted run is refused next time anyway, so syncing each one
  // buys nothing (the file is synced when the App closes it).
  config.durable_commits = false;
  if (config.db_path != ":memory:") {
    if (auto why = OlderSchemaWithUsers(config.db_path)) {
      std::cerr << "interviewbase demo: refused: " << config.db_path << " is not a fresh database ("
                << *why << "); nothing written. Use a new --db path." << std::endl;
      return 1;
    }
  }
  App app(config);
  int port = 0;
  try {
    port = app.Start();
  } catch (const storage::Error& e) {
    std::cerr << "interviewbase demo: " << e.message() << std::endl;
    return 1;
  }
  const std::vector<demo::DemoUser> plan = demo::MakeDemoPlan(TodayEpochDay());
  try {
    RunningApp running(app);
    http::LocalClient client("127.0.0.1", port);
    demo::DemoWriter writer(client, app.anon_key(), app.service_key());
    std::string why;
    switch (writer.Inspect(plan, why)) {
      case demo::DemoState::kFinished:
        std::cout << "database " << config.db_path << " already holds the demo; nothing written"
                  << std::endl;
        PrintCredentials(plan);
        return 0;
      case demo::DemoState::kOther:
        std::cerr << "interviewbase demo: refused: " << config.db_path
                  << " is not a fresh database (" << why
                  << "); nothing written. Use a new --db path." << std::endl;
        return 1;
      case demo::DemoState::kFresh:
        break;
    }
    writer.Write(plan);
  } catch (const std::exception& e) {
    std::cerr << "interviewbase demo: failed: " << e.what()
              << " (the database now holds a partial demo; delete it and run again)" << std::endl;
    return 1;
  }
  std::cout << "demo data written to " << config.db_path << std::endl;
  PrintCredentials(plan);
  return 0;
}

}  // namespace ib
