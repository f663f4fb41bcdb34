// Config: everything `interviewbase serve` can be told, from flags (--name value or
// --name=value), IB_<NAME> environment variables and a `--config FILE` (server/config_file.h);
// flags win over the environment, which wins over the file. And the maintenance commands
// (backup, check, restore, export, import: --db and their operands; push-storage: DIR, --url and
// --service-key). Parsing is pure: the environment
// comes in as a lookup function. A bad value throws ConfigError (exit code 2).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace ib {

// Argon2id cost of stored passwords: libsodium's INTERACTIVE limits, or its minimum (tests).
enum class PasswordCostLevel { kInteractive, kMinimal };

struct Config {
  std::string db_path = "./data/interviewbase.db";
  std::string host = "127.0.0.1";
  int port = 54321;                       // 0 = any free port
  std::optional<std::string> jwt_secret;  // unset: generated once, stored in the database
  int64_t jwt_expiry = 3600;              // access-token lifetime, seconds
  int64_t max_rows = 1000;                // PostgREST db-max-rows; 0 = unlimited
  int threads = 0;                        // HTTP worker threads; 0 = automatic
  int max_connections_per_ip = 256;       // open connections per client address; 0 = off
  bool log_requests = true;               // one access-log line per request on standard error
  bool log_json = false;                  // --log-format json: those lines as JSON objects
  bool quiet = false;                     // start-up prints only the listening line
  // --durability full|normal: full syncs every commit (batch) before answering; normal syncs
  // at checkpoints only (an acknowledged write may be lost on power loss; test suites).
  bool durable_commits = true;
  // HTTP framing (docs/limits.md): bodies outside /storage/v1, and deadlines for a whole head
  // and a whole body on top of the per-recv timeout.
  int64_t max_body_size = 4194304;           // bytes (4 MiB); past it 413 before the body is read
  int64_t head_timeout = 10;                 // seconds
  int64_t body_timeout = 60;                 // seconds
  int64_t storage_max_file_size = 52428800;  // bytes per stored object (50 MiB); buckets lower it
  // Auth (/auth/v1).
  PasswordCostLevel password_cost = PasswordCostLevel::kInteractive;
  int password_min_length = 6;             // shorter -> 422 weak_password
  int64_t refresh_reuse_interval = 10;     // seconds a rotated refresh token stays usable
  int64_t signin_failures_per_email = 10;  // per 5 minutes; 0 = unlimited (also below)
  int64_t signin_failures_per_ip = 100;
  int64_t signin_failures_per_account = 1000;
  int64_t signups_per_ip = 1000;
  int64_t refreshes_per_ip = 1000;
  // Realtime (/realtime/v1).
  int64_t realtime_max_sockets = 10000;  // open WebSockets; past it the upgrade gets 429
  int64_t realtime_idle_timeout = 60;    // seconds without a frame from the client: closed
  // CORS: {"*"} allows every origin (Supabase's default); a list allows only those origins.
  std::vector<std::string> cors_origins = {"*"};
  // HTTPS: a PEM certificate chain and its private key (both or neither; empty: plain HTTP).
  std::string tls_cert;
  std::string tls_key;
};

enum class Command {
  kServe,
  kHelp,
  kVersion,
  kBackup,
  kCheck,
  kRestore,
  kExport,
  kImport,
  kPushStorage,
  kDemo
};

struct Invocation {
  Command command = Command::kServe;
  Config config;
  // The operands: backup's OUT, restore's BACKUP, export's and import's format ("postgres")
  // and directory, push-storage's DIR (none for serve and check).
  // push-storage's DIR (none for serve and check).
  std::vector<std::string> operands;
  // Said on standard error before starting (a config file holding the secret open to others).
  std::vector<std::string> warnings;
  // push-storage's flags: where to and with which key (flags only, never the environment).
  std::string push_url;
  std::string push_service_key;
};

class ConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

using EnvLookup = std::function<const char*(const char*)>;

// argv[0] is the program name. `interviewbase`, `interviewbase serve [flags]`,
// `interviewbase backup --db DB OUT`, `interviewbase check --db DB`,
// `interviewbase restore BACKUP --db DB`, `interviewbase demo --db DB [--password-cost C]`,
// `interviewbase --help`, `interviewbase --version`. The maintenance commands take --db only
// (demo also --password-cost), and --config, of which they use the same keys.
// `--config FILE` (or IB_CONFIG) is read from disk here; everything else is pure.
Invocation ParseInvocation(int argc, const char* const* argv, const EnvLookup& env);

// The usage text printed by --help.
std::string Usage();

}  // namespace ib
