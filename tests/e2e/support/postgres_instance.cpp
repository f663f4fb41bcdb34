#include "tests/e2e/support/postgres_instance.h"

#include <fcntl.h>
#include <netinet/in.h>
#include <pwd.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "tests/e2e/support/exec_image.h"

namespace ib::e2e {
namespace fs = std::filesystem;

namespace {

struct Outcome {
  int status = -1;
  std::string out;
  std::string err;
};

std::string ReadAll(int fd) {
  std::string s;
  char buf[4096];
  ssize_t n;
  while ((n = read(fd, buf, sizeof buf)) > 0) s.append(buf, static_cast<size_t>(n));
  close(fd);
  return s;
}

// fork/exec with stdout and stderr captured (stderr read after stdout: our outputs are small).
Outcome Run(const std::vector<std::string>& argv) {
  int out[2], err[2];
  const ExecImage image(argv);
  if (pipe(out) != 0 || pipe(err) != 0) throw std::runtime_error("pipe failed");
  const pid_t pid = fork();
  if (pid == 0) {  // only async-signal-safe calls until the exec (exec_image.h)
    dup2(out[1], 1);
    dup2(err[1], 2);
    for (int fd : {out[0], out[1], err[0], err[1]}) close(fd);
    image.Exec();
  }
  close(out[1]);
  close(err[1]);
  Outcome o;
  o.out = ReadAll(out[0]);
  o.err = ReadAll(err[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  o.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return o;
}

bool HasBinaries(const fs::path& dir) {
  return fs::exists(dir / "initdb") && fs::exists(dir / "postgres") && fs::exists(dir / "psql");
}

std::string FindBinDir() {
  if (const char* env = std::getenv("IB_PG_BINDIR"); env && HasBinaries(env)) return env;
  if (HasBinaries("/usr/lib/postgresql/15/bin")) return "/usr/lib/postgresql/15/bin";
  std::vector<fs::path> found;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator("/usr/lib/postgresql", ec)) {
    if (HasBinaries(entry.path() / "bin")) found.push_back(entry.path() / "bin");
  }
  std::sort(found.begin(), found.end());
  return found.empty() ? "" : found.back().string();
}

int FreePort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  int port = 54329;
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
    port = ntohs(addr.sin_port);
  }
  close(fd);
  return port;
}

}  // namespace

PostgresInstance::PostgresInstance() {
  bin_dir_ = FindBinDir();
  if (bin_dir_.empty()) {
    why_ =
        "PostgreSQL not found (no initdb/postgres/psql under /usr/lib/postgresql/*/bin; "
        "install it with packaging/install-deps.sh --test or set IB_PG_BINDIR)";
    return;
  }
  char tmpl[] = "/tmp/ib-pg-XXXXXX";
  if (!mkdtemp(tmpl)) throw std::runtime_error("mkdtemp failed");
  dir_ = tmpl;
  if (geteuid() == 0) {
    // PostgreSQL refuses to run as root: hand the directory to the postgres user.
    const passwd* pw = getpwnam("postgres");
    runuser_ = fs::exists("/usr/sbin/runuser") ? "/usr/sbin/runuser" : "/sbin/runuser";
    if (!pw || !fs::exists(runuser_)) {
      why_ = "running as root without a `postgres` user or runuser to start PostgreSQL as";
      return;
    }
    if (chown(dir_.c_str(), pw->pw_uid, pw->pw_gid) != 0) throw std::runtime_error("chown failed");
  }
  ready_ = Start();
}

std::vector<std::string> PostgresInstance::AsOwner(std::vector<std::string> argv) const {
  if (runuser_.empty()) return argv;
  argv.insert(argv.begin(), {runuser_, "-u", "postgres", "--"});
  return argv;
}

bool PostgresInstance::Start() {
  Outcome init = Run(AsOwner({bin_dir_ + "/initdb", "-D", dir_ + "/data", "-A", "trust", "-U",
                              "postgres", "-E", "UTF8", "--locale=C", "--no-sync"}));
  if (init.status != 0) {
    why_ = "initdb failed: " + init.err;
    return false;
  }
  port_ = FreePort();
  const std::vector<std::string> argv =
      AsOwner({bin_dir_ + "/postgres", "-D", dir_ + "/data", "-p", std::to_string(port_), "-k",
               dir_, "-c", "listen_addresses=", "-c", "fsync=off", "-c", "TimeZone=UTC"});
  const ExecImage image(argv);
  const std::string log_path = dir_ + "/server.log";
  pid_ = fork();
  if (pid_ == 0) {  // only async-signal-safe calls until the exec (exec_image.h)
    const int log = open(log_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    dup2(log, 1);
    dup2(log, 2);
    image.Exec();
  }
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (std::chrono::steady_clock::now() < deadline) {
    try {
      if (Query("SELECT 1") == "1") return true;
    } catch (const std::runtime_error&) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  }
  std::ifstream log(dir_ + "/server.log");
  why_ = "postgres did not start: " + std::string(std::istreambuf_iterator<char>(log), {});
  return false;
}

std::string PostgresInstance::Query(const std::string& sql, const std::string& database) const {
  const std::string file = dir_ + "/query.sql";
  {
    std::ofstream f(file, std::ios::trunc);
    f << sql;
  }
  fs::permissions(file, fs::perms::owner_read | fs::perms::owner_write | fs::perms::others_read);
  Outcome o = Run({bin_dir_ + "/psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h", dir_,
                   "-p", std::to_string(port_), "-U", "postgres", "-d", database, "-f", file});
  if (o.status != 0) throw std::runtime_error("psql failed: " + o.err);
  while (!o.out.empty() && o.out.back() == '\n') o.out.pop_back();
  return o.out;
}

PostgresInstance::~PostgresInstance() {
  if (pid_ > 0) {
    // SIGINT to the postmaster itself (runuser may not forward it): fast shutdown.
    std::ifstream pidfile(dir_ + "/data/postmaster.pid");
    long postmaster = 0;
    if (pidfile >> postmaster && postmaster > 0)
      kill(static_cast<pid_t>(postmaster), SIGINT);
    else
      kill(pid_, SIGINT);
    for (int i = 0; i < 200; ++i) {
      if (waitpid(pid_, nullptr, WNOHANG) == pid_) {
        pid_ = -1;
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    if (pid_ > 0) {
      if (postmaster > 0) kill(static_cast<pid_t>(postmaster), SIGKILL);
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
  }
  std::error_code ec;
  if (!dir_.empty()) fs::remove_all(dir_, ec);
}

}  // namespace ib::e2e
