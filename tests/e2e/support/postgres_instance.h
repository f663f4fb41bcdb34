// PostgresInstance: a throwaway PostgreSQL server for differential tests. Finds the binaries
// (IB_PG_BINDIR, else /usr/lib/postgresql/<newest>/bin, preferring 15), initdb's a temp data
// dir, starts `postgres` on a private Unix socket (no TCP; as the `postgres` user when we are
// root) with TimeZone UTC, and stops it (SIGINT, fast shutdown) and deletes it on destruction.
// When PostgreSQL is missing, available() is false and why() says so. Single-threaded use.
#pragma once

#include <string>
#include <vector>

namespace ib::e2e {

class PostgresInstance {
 public:
  PostgresInstance();
  ~PostgresInstance();
  PostgresInstance(const PostgresInstance&) = delete;
  PostgresInstance& operator=(const PostgresInstance&) = delete;

  bool available() const { return ready_; }
  const std::string& why() const { return why_; }

  // Runs `sql` through psql (-X -A -t, ON_ERROR_STOP) in `database` and returns its standard
  // output without the trailing newline. Throws std::runtime_error with psql's error text on
  // failure.
  std::string Query(const std::string& sql, const std::string& database = "postgres") const;

 private:
  bool Start();
  std::vector<std::string> AsOwner(std::vector<std::string> argv) const;

  std::string bin_dir_;
  std::string dir_;
  std::string runuser_;  // set when the server must run as the postgres user
  int port_ = 0;
  int pid_ = -1;  // the process we started (runuser or postgres itself)
  bool ready_ = false;
  std::string why_;
};

}  // namespace ib::e2e
