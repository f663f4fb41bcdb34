#include "server/config.h"

#include <sys/stat.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>
#include <vector>

#include "server/config_file.h"
#include "server/files/buckets.h"

namespace ib {
namespace {

constexpr size_t kMinSecretLength = 32;

int64_t ParseInteger(const std::string& flag, const std::string& value, int64_t min, int64_t max) {
  int64_t out = 0;
  auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), out);
  if (ec != std::errc() || ptr != value.data() + value.size() || out < min || out > max) {
    throw ConfigError("invalid value for --" + flag + ": '" + value +
                      "' (expected an integer from " + std::to_string(min) + " to " +
                      std::to_string(max) + ")");
  }
  return out;
}

bool ParseBool(const std::string& flag, const std::string& value) {
  if (value == "1" || value == "true" || value == "yes" || value == "on") return true;
  if (value == "0" || value == "false" || value == "no" || value == "off") return false;
  throw ConfigError("invalid value for --" + flag + ": '" + value + "' (expected true or false)");
}

// Each setting once: its flag name (also IB_<NAME> upper-cased with '_') and how to apply it.
struct Setting {
  const char* name;
  std::function<void(Config&, const std::string&)> apply;
  // A switch: the value `--NAME` alone stands for (`--NAME=VALUE` still works).
  const char* bare_value = nullptr;
};

std::string NonEmpty(const std::string& flag, const std::string& value) {
  if (value.empty()) throw ConfigError("--" + flag + " needs a file path");
  return value;
}

// "*" alone, or a comma-separated list of origins as browsers send them: scheme://host[:port],
// no path, no trailing slash (an Origin header is compared byte for byte).
std::vector<std::string> ParseOrigins(const std::string& v) {
  std::vector<std::string> out;
  std::stringstream in(v);
  std::string item;
  while (std::getline(in, item, ',')) {
    size_t b = item.find_first_not_of(" \t");
    size_t e = item.find_last_not_of(" \t");
    item = b == std::string::npos ? "" : item.substr(b, e - b + 1);
    const size_t scheme = item.find("://");
    const bool origin = scheme != std::string::npos && scheme > 0 && scheme + 3 < item.size() &&
                        item.find('/', scheme + 3) == std::string::npos &&
                        item.find_first_of(" \t*") == std::string::npos;
    if (item != "*" && !origin) {
      throw ConfigError("invalid value for --cors-origins: '" + item +
                        "' (expected * or origins like https://app.example.com, comma-separated)");
    }
    out.push_back(item);
  }
  if (out.empty()) throw ConfigError("--cors-origins needs * or at least one origin");
  if (out.size() > 1) {
    for (const auto& o : out) {
      if (o == "*") throw ConfigError("--cors-origins: * cannot be combined with origins");
    }
  }
  return out;
}

const std::vector<Setting>& Settings() {
  static const std::vector<Setting> kSettings = {
      {"db", [](Config& c, const std::string& v) { c.db_path = v; }},
      {"host", [](Config& c, const std::string& v) { c.host = v; }},
      {"port",
       [](Config& c, const std::string& v) {
         c.port = static_cast<int>(ParseInteger("port", v, 0, 65535));
       }},
      {"jwt-secret",
       [](Config& c, const std::string& v) {
         if (v.size() < kMinSecretLength) {
           throw ConfigError("--jwt-secret must be at least 32 characters long");
         }
         c.jwt_secret = v;
       }},
      {"jwt-expiry",
       [](Config& c, const std::string& v) {
         c.jwt_expiry = ParseInteger("jwt-expiry", v, 1, 10LL * 365 * 24 * 3600);
       }},
      {"max-rows",
       [](Config& c, const std::string& v) {
         c.max_rows = ParseInteger("max-rows", v, 0, 1LL << 40);
       }},
      {"threads",
       [](Config& c, const std::string& v) {
         c.threads = static_cast<int>(ParseInteger("threads", v, 0, 1024));
       }},
      {"max-connections-per-ip",
       [](Config& c, const std::string& v) {
         c.max_connections_per_ip =
             static_cast<int>(ParseInteger("max-connections-per-ip", v, 0, 1000000));
       }},
      {"durability",
       [](Config& c, const std::string& v) {
         if (v != "full" && v != "normal") {
           throw ConfigError("invalid value for --durability: '" + v +
                             "' (expected full or normal)");
         }
         c.durable_commits = v == "full";
       }},
      {"log-requests",
       [](Config& c, const std::string& v) { c.log_requests = ParseBool("log-requests", v); }},
      {"log-format",
       [](Config& c, const std::string& v) {
         if (v != "text" && v != "json") {
           throw ConfigError("invalid value for --log-format: '" + v + "' (expected text or json)");
         }
         c.log_json = v == "json";
       }},
      {"quiet", [](Config& c, const std::string& v) { c.quiet = ParseBool("quiet", v); }, "true"},
      {"max-body-size",
       [](Config& c, const std::string& v) {
         auto bytes = files::ParseByteSize(v);
         if (!bytes || *bytes < 1 || *bytes > (1LL << 40)) {
           throw ConfigError("invalid value for --max-body-size: '" + v +
                             "' (expected bytes, or a size like 4MB, from 1 to 1 TiB)");
         }
         c.max_body_size = *bytes;
       }},
      {"realtime-max-sockets",
       [](Config& c, const std::string& v) {
         c.realtime_max_sockets = ParseInteger("realtime-max-sockets", v, 1, 1000000);
       }},
      {"realtime-idle-timeout",
       [](Config& c, const std::string& v) {
         c.realtime_idle_timeout = ParseInteger("realtime-idle-timeout", v, 1, int64_t{24} * 3600);
       }},
      {"head-timeout",
       [](Config& c, const std::string& v) {
         c.head_timeout = ParseInteger("head-timeout", v, 1, 3600);
       }},
      {"body-timeout",
       [](Config& c, const std::string& v) {
         c.body_timeout = ParseInteger("body-timeout", v, 1, int64_t{24} * 3600);
       }},
      {"storage-max-file-size",
       [](Config& c, const std::string& v) {
         auto bytes = files::ParseByteSize(v);
         if (!bytes || *bytes < 1 || *bytes > (1LL << 40)) {
           throw ConfigError("invalid value for --storage-max-file-size: '" + v +
                             "' (expected bytes, or a size like 50MB, from 1 to 1 TiB)");
         }
         c.storage_max_file_size = *bytes;
       }},
      {"password-cost",
       [](Config& c, const std::string& v) {
         if (v == "interactive") {
           c.password_cost = PasswordCostLevel::kInteractive;
         } else if (v == "minimal") {
           c.password_cost = PasswordCostLevel::kMinimal;
         } else {
           throw ConfigError("invalid value for --password-cost: '" + v +
                             "' (expected interactive or minimal)");
         }
       }},
      {"password-min-length",
       [](Config& c, const std::string& v) {
         c.password_min_length = static_cast<int>(ParseInteger("password-min-length", v, 1, 1024));
       }},
      {"refresh-reuse-interval",
       [](Config& c, const std::string& v) {
         c.refresh_reuse_interval =
             ParseInteger("refresh-reuse-interval", v, 0, int64_t{24} * 3600);
       }},
      {"signin-failures-per-email",
       [](Config& c, const std::string& v) {
         c.signin_failures_per_email = ParseInteger("signin-failures-per-email", v, 0, 1LL << 40);
       }},
      {"signin-failures-per-ip",
       [](Config& c, const std::string& v) {
         c.signin_failures_per_ip = ParseInteger("signin-failures-per-ip", v, 0, 1LL << 40);
       }},
      {"signin-failures-per-account",
       [](Config& c, const std::string& v) {
         c.signin_failures_per_account =
             ParseInteger("signin-failures-per-account", v, 0, 1LL << 40);
       }},
      {"signups-per-ip",
       [](Config& c, const std::string& v) {
         c.signups_per_ip = ParseInteger("signups-per-ip", v, 0, 1LL << 40);
       }},
      {"refreshes-per-ip",
       [](Config& c, const std::string& v) {
         c.refreshes_per_ip = ParseInteger("refreshes-per-ip", v, 0, 1LL << 40);
       }},
      {"cors-origins", [](Config& c, const std::string& v) { c.cors_origins = ParseOrigins(v); }},
      {"tls-cert", [](Config& c, const std::string& v) { c.tls_cert = NonEmpty("tls-cert", v); }},
      {"tls-key", [](Config& c, const std::string& v) { c.tls_key = NonEmpty("tls-key", v); }},
  };
  return kSettings;
}

const Setting* FindSetting(const std::string& name) {
  for (const auto& s : Settings()) {
    if (name == s.name) return &s;
  }
  return nullptr;
}

std::string EnvName(const std::string& flag) {
  std::string out = "IB_";
  for (char c : flag) out += c == '-' ? '_' : static_cast<char>(std::toupper(c));
  return out;
}

constexpr size_t kMaxConfigFileBytes = size_t{1} << 20;

// The value of --config from the arguments (the last one wins, like any flag), else IB_CONFIG.
std::optional<std::string> ConfigFilePath(const std::vector<std::string>& args, size_t first,
                                          const EnvLookup& env) {
  std::optional<std::string> path;
  for (size_t i = first; i < args.size(); ++i) {
    if (args[i] == "--config" && i + 1 < args.size()) {
      path = args[++i];
    } else if (args[i].rfind("--config=", 0) == 0) {
      path = args[i].substr(9);
    }
  }
  if (!path && env) {
    if (const char* v = env("IB_CONFIG")) path = v;
  }
  return path;
}

// Applies every line of the config file to `inv.config`; refuses unknown names with the file
// and line. The file may carry the JWT secret: a secret readable by group or others is
// reported the way an open database file is.
void ApplyConfigFile(const std::string& path, Invocation& inv) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw ConfigError("cannot read config file " + path + ": " + std::strerror(errno));
  }
  std::string text(kMaxConfigFileBytes + 1, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<size_t>(in.gcount()));
  if (text.size() > kMaxConfigFileBytes) {
    throw ConfigError("config file " + path + " is larger than 1 MiB");
  }
  bool holds_secret = false;
  for (const auto& entry : ParseConfigFile(text, path)) {
    const std::string where = path + ":" + std::to_string(entry.line) + ": ";
    const Setting* setting = entry.name == "config" ? nullptr : FindSetting(entry.name);
    if (!setting) throw ConfigError(where + "unknown setting '" + entry.name + "'");
    try {
      setting->apply(inv.config, entry.value);
    } catch (const ConfigError& e) {
      throw ConfigError(where + e.what());
    }
    holds_secret = holds_secret || entry.name == "jwt-secret";
  }
  struct stat st {};
  if (holds_secret && ::stat(path.c_str(), &st) == 0 && (st.st_mode & (S_IRGRP | S_IROTH)) != 0) {
    char mode[8];
    std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
    inv.warnings.push_back(path + " is readable by group or others (mode " + mode +
                           ") and holds the JWT secret; restrict it with: chmod 600 " + path);
  }
}

}  // namespace

std::string Usage() {
  return "usage: interviewbase [serve] [flags]\n"
         "       interviewbase backup --db DB OUT\n"
         "       interviewbase check --db DB\n"
         "       interviewbase restore BACKUP --db DB\n"
         "       interviewbase export postgres OUT_DIR --db DB\n"
         "       interviewbase import postgres DIR --db DB\n"
         "       IB_SERVICE_KEY=KEY interviewbase push-storage DIR --url URL\n"
         "       interviewbase demo --db DB [--password-cost interactive|minimal]\n"
         "       interviewbase --help | --version\n"
         "\n"
         "Serves the interview platform's Supabase-compatible API (/rest/v1, /auth/v1,\n"
         "/storage/v1) from one SQLite database file.\n"
         "\n"
         "maintenance (--db as below; exit status 0 only on success):\n"
         "  backup --db DB OUT   writes a consistent copy of DB to OUT, also while a server\n"
         "                       serves DB (OUT appears only once complete)\n"
         "  check --db DB        integrity, foreign keys, schema version and stored objects'\n"
         "                       bytes; prints a report, exit status 1 on any problem\n"
         "  restore BACKUP --db DB\n"
         "                       checks BACKUP, then replaces DB with it atomically; refused\n"
         "                       while a server holds DB\n"
         "  export postgres OUT_DIR --db DB\n"
         "                       writes OUT_DIR/schema.sql (tables, policies, grants,\n"
         "                       functions) and OUT_DIR/data.sql (users and rows) for\n"
         "                       Supabase's Postgres; also while a server serves DB\n"
         "  import postgres DIR --db DB\n"
         "                       loads DIR/data.sql (or the file DIR: pg_dump --data-only COPY\n"
         "                       blocks) into a new, empty DB in one transaction; refused\n"
         "                       with the line number on malformed input (nothing written)\n"
         "  push-storage DIR --url URL\n"
         "                       uploads the objects an export wrote to DIR/storage through\n"
         "                       the Storage API at URL (Supabase or interviewbase), with the\n"
         "                       service_role key from IB_SERVICE_KEY (--service-key KEY also\n"
         "                       works, but shows the key to anyone who lists processes)\n"
         "  demo --db DB         fills a fresh DB with demo data (12 users, interviews,\n"
         "                       feedback, XP, streaks, audio) through the API and prints the\n"
         "                       users' emails and passwords; on a finished demo DB only\n"
         "                       prints them; refused on any other data or while served\n"
         "\n"
         "flags (each also settable as the environment variable IB_<NAME>, or as a line\n"
         "`name = value` of the --config file; flags win over the environment, which wins\n"
         "over the file):\n"
         "  --config FILE        settings, one `name = value` a line (name: a flag without\n"
         "                       its dashes, or IB_<NAME>); # comments; unknown names refused\n"
         "  --db PATH            database file, created if absent; :memory: for a throwaway one\n"
         "                       (default ./data/interviewbase.db)\n"
         "  --host HOST          address to listen on (default 127.0.0.1)\n"
         "  --port N             port to listen on, 0 = any free port (default 54321)\n"
         "  --jwt-secret S       HS256 secret, at least 32 characters; without it a secret is\n"
         "                       generated once and kept in the database\n"
         "  --jwt-expiry SECS    access-token lifetime (default 3600)\n"
         "  --max-rows N         most rows one read returns, 0 = unlimited (default 1000)\n"
         "  --threads N          HTTP worker threads, 0 = automatic (default 0)\n"
         "  --max-connections-per-ip N\n"
         "                       open connections one client address may hold; past it a new\n"
         "                       one gets 429 and is closed; 0 = no cap (default 256)\n"
         "  --log-requests BOOL  one access-log line per request on standard error: time,\n"
         "                       request id, method, route pattern, status, bytes, duration,\n"
         "                       role (default true)\n"
         "  --log-format text|json\n"
         "                       those lines as text or as one JSON object each (default text)\n"
         "  --quiet              on start print only the listening line (no keys, no URLs)\n"
         "  --durability full|normal\n"
         "                       full: a write is synced to disk before it is answered, so\n"
         "                       it survives power loss (concurrent writes share one sync);\n"
         "                       normal: synced at checkpoints, faster, for test suites\n"
         "                       (default full)\n"
         "  --max-body-size SIZE largest request body but an object upload's, in bytes or\n"
         "                       with a unit; larger ones get 413 (default 4194304 = 4 MiB)\n"
         "  --head-timeout SECS  time allowed for a whole request head (default 10)\n"
         "  --body-timeout SECS  time allowed for a whole request body (default 60)\n"
         "  --cors-origins LIST  * (any origin, the default) or comma-separated origins\n"
         "                       (https://app.example.com) browsers may call the API from\n"
         "  --tls-cert FILE      serve HTTPS (TLS 1.2 and 1.3) with this PEM certificate chain\n"
         "  --tls-key FILE       ... and this PEM private key (unencrypted); both or neither\n"
         "\n"
         "realtime (/realtime/v1):\n"
         "  --realtime-max-sockets N\n"
         "                       open WebSockets at most; more get 429 (default 10000)\n"
         "  --realtime-idle-timeout SECS\n"
         "                       a socket that sent no frame for this long is closed; clients\n"
         "                       send a heartbeat every 25 s (default 60)\n"
         "\n"
         "storage (/storage/v1):\n"
         "  --storage-max-file-size SIZE\n"
         "                       largest object accepted, in bytes or with a unit (10MB, 1GB);\n"
         "                       a bucket's file_size_limit can only lower it\n"
         "                       (default 52428800 = 50 MiB)\n"
         "\n"
         "auth (/auth/v1):\n"
         "  --password-cost interactive|minimal\n"
         "                       Argon2id cost of stored passwords; minimal is fast and weak,\n"
         "                       for test suites only (default interactive)\n"
         "  --password-min-length N\n"
         "                       shortest accepted password (default 6)\n"
         "  --refresh-reuse-interval SECS\n"
         "                       how long a rotated refresh token stays usable, 0 allowed\n"
         "                       (default 10)\n"
         "  rate limits, per 5 minutes, 0 = unlimited; over the limit -> 429:\n"
         "  --signin-failures-per-email N  failed password sign-ins per email from one client\n"
         "                                 address (default 10)\n"
         "  --signin-failures-per-ip N     failed password sign-ins per client address (default\n"
         "                                 100)\n"
         "  --signin-failures-per-account N\n"
         "                                 failed password sign-ins per email from all addresses\n"
         "                                 together (default 1000)\n"
         "  --signups-per-ip N             sign-ups per client IP (default 1000)\n"
         "  --refreshes-per-ip N           token refreshes per client IP (default 1000)\n";
}

namespace {

struct CommandWord {
  const char* word;
  Command command;
  size_t operands;  // how many file operands it takes
};
constexpr CommandWord kCommandWords[] = {{"serve", Command::kServe, 0},
                                         {"backup", Command::kBackup, 1},
                                         {"check", Command::kCheck, 0},
                                         {"restore", Command::kRestore, 1},
                                         {"export", Command::kExport, 2},
                                         {"import", Command::kImport, 2},
                                         {"push-storage", Command::kPushStorage, 1},
                                         {"demo", Command::kDemo, 0}};

const char* OperandsNeeded(Command command) {
  switch (command) {
    case Command::kBackup:
      return "the output file: backup --db DB OUT";
    case Command::kExport:
      return "a format and a directory: export postgres OUT_DIR --db DB";
    case Command::kImport:
      return "a format and a directory: import postgres DIR --db DB";
    case Command::kPushStorage:
      return "the export directory: IB_SERVICE_KEY=KEY push-storage DIR --url URL";
    default:
      return "the backup file: restore BACKUP --db DB";
  }
}

// push-storage's own flags; true when `name` was one of them.
bool ApplyPushFlag(Invocation& inv, const std::string& name, const std::string& value) {
  if (inv.command != Command::kPushStorage) return false;
  if (name == "url") {
    inv.push_url = value;
  } else if (name == "service-key") {
    inv.push_service_key = value;
  } else {
    throw ConfigError("flag --" + name +
                      " does not apply to push-storage (it takes --url and --service-key)");
  }
  return true;
}

const CommandWord* FindCommand(const std::string& word) {
  for (const auto& c : kCommandWords) {
    if (word == c.word) return &c;
  }
  return nullptr;
}

}  // namespace

Invocation ParseInvocation(int argc, const char* const* argv, const EnvLookup& env) {
  Invocation inv;
  std::vector<std::string> args(argv + 1, argv + argc);
  size_t i = 0;
  const CommandWord* command = &kCommandWords[0];
  if (i < args.size()) {
    if (const CommandWord* named = FindCommand(args[i])) {
      command = named;
      ++i;
    }
  }
  inv.command = command->command;
  // The file first, then the environment, then flags: each overrides the one before.
  if (auto path = ConfigFilePath(args, i, env)) ApplyConfigFile(*path, inv);
  for (const auto& s : Settings()) {
    if (const char* v = env ? env(EnvName(s.name).c_str()) : nullptr) {
      try {
        s.apply(inv.config, v);
      } catch (const ConfigError& e) {
        throw ConfigError(std::string(e.what()) + " (from " + EnvName(s.name) + ")");
      }
    }
  }
  for (; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--help" || arg == "-h") {
      inv.command = Command::kHelp;
      return inv;
    }
    if (arg == "--version" || arg == "-V") {
      inv.command = Command::kVersion;
      return inv;
    }
    if (arg.rfind("--", 0) != 0) {
      if (inv.operands.size() >= command->operands) {
        throw ConfigError("unexpected argument '" + arg + "'");
      }
      inv.operands.push_back(arg);
      continue;
    }
    std::string name = arg.substr(2);
    std::string value;
    auto eq = name.find('=');
    if (eq != std::string::npos) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
    } else if (const Setting* s = FindSetting(name); s && s->bare_value) {
      value = s->bare_value;
    } else {
      if (i + 1 >= args.size()) throw ConfigError("flag --" + name + " needs a value");
      value = args[++i];
    }
    if (name == "config") continue;  // read before everything else
    if (ApplyPushFlag(inv, name, value)) continue;
    const Setting* setting = FindSetting(name);
    if (!setting) throw ConfigError("unknown flag --" + name);
    const bool demo_flag = inv.command == Command::kDemo && name == "password-cost";
    if (inv.command != Command::kServe && name != "db" && !demo_flag) {
      throw ConfigError("flag --" + name + " does not apply to " + command->word +
                        (inv.command == Command::kDemo ? " (it takes --db and --password-cost only)"
                                                       : " (it takes --db only)"));
    }
    setting->apply(inv.config, value);
  }
  if (inv.operands.size() != command->operands) {
    throw ConfigError(std::string(command->word) + " needs " + OperandsNeeded(inv.command));
  }
  if (inv.command == Command::kExport && inv.operands[0] != "postgres") {
    throw ConfigError("export knows one format, postgres, not '" + inv.operands[0] +
                      "': export postgres OUT_DIR --db DB");
  }
  if (inv.command == Command::kImport && inv.operands[0] != "postgres") {
    throw ConfigError("import knows one format, postgres, not '" + inv.operands[0] +
                      "': import postgres DIR --db DB");
  }
  if (inv.command == Command::kPushStorage) {
    // The key from the environment keeps it out of the process list (`ps` shows arguments).
    if (inv.push_service_key.empty() && env) {
      if (const char* key = env("IB_SERVICE_KEY")) inv.push_service_key = key;
    }
    if (inv.push_url.empty() || inv.push_service_key.empty()) {
      throw ConfigError(
          "push-storage needs --url URL and the service_role key in IB_SERVICE_KEY (or "
          "--service-key KEY)");
    }
    return inv;
  }
  if (inv.config.tls_cert.empty() != inv.config.tls_key.empty()) {
    throw ConfigError("HTTPS needs both --tls-cert FILE and --tls-key FILE");
  }
  if (inv.command != Command::kServe && inv.config.db_path == ":memory:") {
    throw ConfigError(std::string(command->word) + " needs a database file, not :memory:");
  }
  return inv;
}

}  // namespace ib
