#include "server/config.h"

#include <doctest/doctest.h>

#include <map>

namespace {

ib::Invocation ParseArgs(std::vector<const char*> args,
                         std::map<std::string, std::string> env = {}) {
  args.insert(args.begin(), "interviewbase");
  return ib::ParseInvocation(static_cast<int>(args.size()), args.data(),
                             [env](const char* name) -> const char* {
                               auto it = env.find(name);
                               return it == env.end() ? nullptr : it->second.c_str();
                             });
}

}  // namespace

TEST_CASE("config: defaults are the local Supabase port and ./data") {
  auto inv = ParseArgs({});
  CHECK(inv.command == ib::Command::kServe);
  CHECK(inv.config.port == 54321);
  CHECK(inv.config.host == "127.0.0.1");
  CHECK(inv.config.db_path == "./data/interviewbase.db");
  CHECK(inv.config.jwt_expiry == 3600);
  CHECK_FALSE(inv.config.jwt_secret.has_value());
}

TEST_CASE("config: flags, --flag=value and environment, flags winning") {
  auto inv = ParseArgs({"serve", "--db", ":memory:", "--port=0", "--host", "0.0.0.0"},
                       {{"IB_PORT", "9999"}, {"IB_JWT_EXPIRY", "60"}});
  CHECK(inv.config.db_path == ":memory:");
  CHECK(inv.config.port == 0);
  CHECK(inv.config.host == "0.0.0.0");
  CHECK(inv.config.jwt_expiry == 60);
}

TEST_CASE("config: help and version") {
  CHECK(ParseArgs({"--help"}).command == ib::Command::kHelp);
  CHECK(ParseArgs({"--version"}).command == ib::Command::kVersion);
  CHECK(ParseArgs({"serve", "--help"}).command == ib::Command::kHelp);
}

TEST_CASE("config: bad input is a ConfigError") {
  CHECK_THROWS_AS(ParseArgs({"--jwt-secret", "short"}), ib::ConfigError);
  CHECK_THROWS_AS(ParseArgs({}, {{"IB_JWT_SECRET", "short"}}), ib::ConfigError);
  CHECK_THROWS_AS(ParseArgs({"--port", "70000"}), ib::ConfigError);
  CHECK_THROWS_AS(ParseArgs({"--port", "12x"}), ib::ConfigError);
  CHECK_THROWS_AS(ParseArgs({"--nope", "1"}), ib::ConfigError);
  CHECK_THROWS_AS(ParseArgs({"--port"}), ib::ConfigError);
  CHECK_THROWS_AS(ParseArgs({"extra"}), ib::ConfigError);
  CHECK(ParseArgs({"--jwt-secret", "0123456789abcdef0123456789abcdef"})
            .config.jwt_secret.has_value());
}

TEST_CASE("config: request framing limits - body size and the head and body deadlines") {
  auto defaults = ParseArgs({});
  CHECK(defaults.config.max_body_size == 4 * 1024 * 1024);
  CHECK(defaults.config.head_timeout == 10);
  CHECK(defaults.config.body_timeout == 60);
  auto set =
      ParseArgs({"--max-body-size", "1000", "--head-timeout", "2"}, {{"IB_BODY_TIMEOUT", "7"}});
  CHECK(set.config.max_body_size == 1000);
  CHECK(set.config.head_timeout == 2);
  CHECK(set.config.body_timeout == 7);
  CHECK(ParseArgs({"--max-body-size", "2MB"}).config.max_body_size > 1000000);
  CHECK_THROWS_AS(ParseArgs({"--max-body-size", "0"}), ib::ConfigError);
  CHECK_THROWS_AS(ParseArgs({"--max-body-size", "lots"}), ib::ConfigError);
  CHECK_THROWS_AS(ParseArgs({"--head-timeout", "0"}), ib::ConfigError);
  CHECK_THROWS_AS(ParseArgs({"--body-timeout", "-1"}), ib::ConfigError);
}

TEST_CASE("config: --max-connections-per-ip, 256 by default, 0 turns the cap off") {
  CHECK(ParseArgs({}).config.max_connections_per_ip == 256);
  CHECK(ParseArgs({"--max-connections-per-ip", "0"}).config.max_connections_per_ip == 0);
  CHECK(ParseArgs({}, {{"IB_MAX_CONNECTIONS_PER_IP", "4000"}}).config.max_connections_per_ip ==
        4000);
  CHECK_THROWS_AS(ParseArgs({"--max-connections-per-ip", "-1"}), ib::ConfigError);
  CHECK_THROWS_AS(ParseArgs({"--max-connections-per-ip", "many"}), ib::ConfigError);
}

TEST_CASE("config: --durability, full by default, normal for test suites") {
  CHECK(ParseArgs({}).config.durable_commits);
  CHECK_FALSE(ParseArgs({"--durability", "normal"}).config.durable_commits);
  CHECK(ParseArgs({"--durability", "full"}).config.durable_commits);
  CHECK_FALSE(ParseArgs({}, {{"IB_DURABILITY", "normal"}}).config.durable_commits);
  CHECK_THROWS_AS(ParseArgs({"--durability", "off"}), ib::ConfigError);
}

TEST_CASE("config: --log-format, text by default, json on request") {
  CHECK_FALSE(ParseArgs({}).config.log_json);
  CHECK(ParseArgs({}).config.log_requests);
  CHECK(ParseArgs({"--log-format", "json"}).config.log_json);
  CHECK_FALSE(ParseArgs({"--log-format", "text"}).config.log_json);
  CHECK(ParseArgs({}, {{"IB_LOG_FORMAT", "json"}}).config.log_json);
  CHECK_FALSE(ParseArgs({"--log-format=text"}, {{"IB_LOG_FORMAT", "json"}}).config.log_json);
  CHECK_THROWS_AS(ParseArgs({"--log-format", "yaml"}), ib::ConfigError);
  CHECK_THROWS_AS(ParseArgs({"--log-format", "JSON"}), ib::ConfigError);
}

TEST_CASE("config: backup, check and restore take --db and their file operands") {
  auto backup = ParseArgs({"backup", "--db", "a.db", "out.db"});
  CHECK(backup.command == ib::Command::kBackup);
  CHECK(backup.config.db_path == "a.db");
  CHECK(backup.operands == std::vector<std::string>{"out.db"});
  auto restore = ParseArgs({"restore", "b.db", "--db=a.db"});
  CHECK(restore.command == ib::Command::kRestore);
  CHECK(restore.operands == std::vector<std::string>{"b.db"});
  auto check = ParseArgs({"check"}, {{"IB_DB", "env.db"}});
  CHECK(check.command == ib::Command::kCheck);
  CHECK(check.config.db_path == "env.db");
  CHECK(check.operands.empty());
  CHECK_THROWS_AS(ParseArgs({"backup", "--db", "a.db"}), ib::ConfigError);                // no OUT
  CHECK_THROWS_AS(ParseArgs({"backup", "--db", "a.db", "x", "y"}), ib::ConfigError);      // two
  CHECK_THROWS_AS(ParseArgs({"check", "--db", "a.db", "x"}), ib::ConfigError);            // extra
  CHECK_THROWS_AS(ParseArgs({"check", "--db", "a.db", "--port", "1"}), ib::ConfigError);  // serve's
  CHECK_THROWS_AS(ParseArgs({"check", "--db", ":memory:"}), ib::ConfigError);
  CHECK_THROWS_AS(ParseArgs({"serve", "out.db"}), ib::ConfigError);
}

TEST_CASE("config: --quiet is a switch, also --quiet=false and IB_QUIET") {
  CHECK_FALSE(ParseArgs({}).config.quiet);
  CHECK(ParseArgs({"--quiet"}).config.quiet);
  CHECK(ParseArgs({"--quiet", "--port", "0"}).config.port == 0);
  CHECK(ParseArgs({"--quiet", "--port", "0"}).config.quiet);
  CHECK_FALSE(ParseArgs({"--quiet=false"}).config.quiet);
  CHECK(ParseArgs({}, {{"IB_QUIET", "true"}}).config.quiet);
  CHECK_FALSE(ParseArgs({"--quiet=no"}, {{"IB_QUIET", "true"}}).config.quiet);
  CHECK_THROWS_AS(ParseArgs({"--quiet=maybe"}), ib::ConfigError);
  // A switch takes no separate value: the word after it is an (unexpected) operand.
  CHECK_THROWS_AS(ParseArgs({"--quiet", "true"}), ib::ConfigError);
}

TEST_CASE("config: import takes a format, a directory and --db") {
  auto import = ParseArgs({"import", "postgres", "dump", "--db", "new.db"});
  CHECK(import.command == ib::Command::kImport);
  CHECK(import.operands == std::vector<std::string>{"postgres", "dump"});
  CHECK(import.config.db_path == "new.db");
  CHECK_THROWS_WITH_AS(ParseArgs({"import", "mysql", "dump", "--db", "new.db"}),
                       doctest::Contains("one format, postgres"), ib::ConfigError);
  CHECK_THROWS_AS(ParseArgs({"import", "postgres", "--db", "new.db"}), ib::ConfigError);  // no DIR
  CHECK_THROWS_AS(ParseArgs({"import", "postgres", "d", "--db", ":memory:"}), ib::ConfigError);
  CHECK_THROWS_AS(ParseArgs({"import", "postgres", "d", "--url", "http://x"}), ib::ConfigError);
}

TEST_CASE("config: push-storage takes its directory and its own flags") {
  auto push =
      ParseArgs({"push-storage", "out", "--url", "https://x.supabase.co", "--service-key=k"});
  CHECK(push.command == ib::Command::kPushStorage);
  CHECK(push.operands == std::vector<std::string>{"out"});
  CHECK(push.push_url == "https://x.supabase.co");
  CHECK(push.push_service_key == "k");
  CHECK_THROWS_WITH_AS(ParseArgs({"push-storage", "out", "--url", "http://x"}),
                       doctest::Contains("IB_SERVICE_KEY"), ib::ConfigError);
  // The key from the environment (out of the process list); the flag wins over it.
  CHECK(ParseArgs({"push-storage", "out", "--url", "http://x"}, {{"IB_SERVICE_KEY", "from-env"}})
            .push_service_key == "from-env");
  CHECK(ParseArgs({"push-storage", "out", "--url", "http://x", "--service-key", "flag"},
                  {{"IB_SERVICE_KEY", "from-env"}})
            .push_service_key == "flag");
  CHECK_THROWS_WITH_AS(
      ParseArgs({"push-storage", "out", "--url", "http://x", "--service-key", "k", "--db", "a.db"}),
      doctest::Contains("takes --url and --service-key"), ib::ConfigError);
  CHECK_THROWS_AS(ParseArgs({"push-storage", "--url", "http://x", "--service-key", "k"}),
                  ib::ConfigError);  // no DIR
}

TEST_CASE("config: demo takes --db and --password-cost only") {
  auto demo = ParseArgs({"demo", "--db", "d.db", "--password-cost", "minimal"});
  CHECK(demo.command == ib::Command::kDemo);
  CHECK(demo.config.db_path == "d.db");
  CHECK(demo.config.password_cost == ib::PasswordCostLevel::kMinimal);
  CHECK(ParseArgs({"demo", "--db", "d.db"}).config.password_cost ==
        ib::PasswordCostLevel::kInteractive);
  CHECK_THROWS_AS(ParseArgs({"demo", "--db", "d.db", "--port", "1"}), ib::ConfigError);
  CHECK_THROWS_AS(ParseArgs({"demo", "--db", "d.db", "extra"}), ib::ConfigError);
  CHECK_THROWS_AS(ParseArgs({"demo", "--db", ":memory:"}), ib::ConfigError);
}

TEST_CASE("config: --tls-cert and --tls-key come together, from flags or the environment") {
  auto inv = ParseArgs({"--tls-cert", "/etc/ib/cert.pem", "--tls-key", "/etc/ib/key.pem"});
  CHECK(inv.config.tls_cert == "/etc/ib/cert.pem");
  CHECK(inv.config.tls_key == "/etc/ib/key.pem");
  auto env = ParseArgs({}, {{"IB_TLS_CERT", "c.pem"}, {"IB_TLS_KEY", "k.pem"}});
  CHECK(env.config.tls_cert == "c.pem");
  CHECK(env.config.tls_key == "k.pem");
  CHECK(ParseArgs({}).config.tls_cert.empty());
  CHECK_THROWS_WITH_AS(ParseArgs({"--tls-cert", "c.pem"}),
                       "HTTPS needs both --tls-cert FILE and --tls-key FILE", ib::ConfigError);
  CHECK_THROWS_WITH_AS(ParseArgs({}, {{"IB_TLS_KEY", "k.pem"}}),
                       "HTTPS needs both --tls-cert FILE and --tls-key FILE", ib::ConfigError);
  CHECK_THROWS_WITH_AS(ParseArgs({"--tls-cert=", "--tls-key", "k.pem"}),
                       "--tls-cert needs a file path", ib::ConfigError);
}
