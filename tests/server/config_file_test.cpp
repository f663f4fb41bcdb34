#include "server/config_file.h"

#include <doctest/doctest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <map>
#include <string>

#include "server/config.h"

namespace {

// A config file in a fresh temp directory, removed with it.
class TempFile {
 public:
  TempFile(const std::string& text, mode_t mode) {
    char dir[] = "/tmp/ib-config-XXXXXX";
    dir_ = mkdtemp(dir);
    path_ = dir_ + "/interviewbase.conf";
    std::ofstream(path_) << text;
    chmod(path_.c_str(), mode);
  }
  ~TempFile() {
    unlink(path_.c_str());
    rmdir(dir_.c_str());
  }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string dir_;
  std::string path_;
};

ib::Invocation Parse(std::vector<const char*> args, std::map<std::string, std::string> env = {}) {
  args.insert(args.begin(), "interviewbase");
  return ib::ParseInvocation(static_cast<int>(args.size()), args.data(),
                             [env](const char* name) -> const char* {
                               auto it = env.find(name);
                               return it == env.end() ? nullptr : it->second.c_str();
                             });
}

std::string ErrorOf(const std::string& text) {
  try {
    ib::ParseConfigFile(text, "f.conf");
  } catch (const ib::ConfigError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("config file: name = value, name=value, IB_ names, comments, blanks and quotes") {
  auto entries = ib::ParseConfigFile(
      "# comment\n\n  port = 8080  \nhost=0.0.0.0\r\nIB_JWT_EXPIRY=60\n"
      "cors-origins = \"https://a.example, https://b.example\"\nIB_DB='/var/lib/x.db'\n",
      "f.conf");
  REQUIRE(entries.size() == 5);
  CHECK(entries[0].name == "port");
  CHECK(entries[0].value == "8080");
  CHECK(entries[0].line == 3);
  CHECK(entries[1].name == "host");
  CHECK(entries[1].value == "0.0.0.0");
  CHECK(entries[2].name == "jwt-expiry");
  CHECK(entries[2].value == "60");
  CHECK(entries[3].value == "https://a.example, https://b.example");
  CHECK(entries[4].name == "db");
  CHECK(entries[4].value == "/var/lib/x.db");
  CHECK(ib::ParseConfigFile("", "f.conf").empty());
}

TEST_CASE("config file: malformed lines are refused with the file and line") {
  const std::map<std::string, std::string> cases = {
      {"port 8080\n", "f.conf:1: expected `name = value`"},
      {"# ok\n= 1\n", "f.conf:2: malformed setting name ''"},
      {"jwt secret = x\n", "f.conf:1: malformed setting name 'jwt secret'"},
      {"--port = 1\n", "f.conf:1: malformed setting name '--port'"},
      {"IB_port = 1\n", "f.conf:1: malformed setting name 'IB_port'"},
      {"host = \"x\n", "f.conf:1: unterminated quote in the value of host"},
      {"port = 1\nIB_PORT = 2\n", "f.conf:2: IB_PORT is already set on line 1"},
  };
  for (const auto& [text, error] : cases) {
    CAPTURE(text);
    CHECK(ErrorOf(text) == error);
  }
}

TEST_CASE("config file: --config values apply, environment and flags override them") {
  TempFile file("port = 8080\nhost = 0.0.0.0\njwt-expiry = 60\nmax-rows = 5\n", 0600);
  auto from_file = Parse({"--config", file.path().c_str()});
  CHECK(from_file.config.port == 8080);
  CHECK(from_file.config.host == "0.0.0.0");
  CHECK(from_file.config.jwt_expiry == 60);
  CHECK(from_file.config.max_rows == 5);
  CHECK(from_file.warnings.empty());

  auto layered = Parse({"serve", "--port", "9090", ("--config=" + file.path()).c_str()},
                       {{"IB_PORT", "7070"}, {"IB_HOST", "10.0.0.1"}});
  CHECK(layered.config.port == 9090);        // flag > environment > file
  CHECK(layered.config.host == "10.0.0.1");  // environment > file
  CHECK(layered.config.jwt_expiry == 60);    // file > default
  CHECK(layered.config.max_rows == 5);

  auto via_env = Parse({}, {{"IB_CONFIG", file.path()}});
  CHECK(via_env.config.port == 8080);
  auto flag_beats_env_path = Parse({"--config", file.path().c_str()}, {{"IB_CONFIG", "/nope"}});
  CHECK(flag_beats_env_path.config.port == 8080);
  // The maintenance commands read the same file (they use its db).
  TempFile db_file("db = /tmp/x.db\nport = 1\n", 0600);
  auto check = Parse({"check", "--config", db_file.path().c_str()});
  CHECK(check.command == ib::Command::kCheck);
  CHECK(check.config.db_path == "/tmp/x.db");
}

TEST_CASE("config file: unknown keys, bad values and unreadable files are refused") {
  TempFile unknown("port = 1\nportt = 2\n", 0600);
  CHECK_THROWS_WITH_AS(Parse({"--config", unknown.path().c_str()}),
                       (unknown.path() + ":2: unknown setting 'portt'").c_str(), ib::ConfigError);
  TempFile nested("config = /etc/other\n", 0600);
  CHECK_THROWS_WITH_AS(Parse({"--config", nested.path().c_str()}),
                       (nested.path() + ":1: unknown setting 'config'").c_str(), ib::ConfigError);
  TempFile bad_value("\nport = 70000\n", 0600);
  CHECK_THROWS_WITH_AS(
      Parse({"--config", bad_value.path().c_str()}),
      (bad_value.path() +
       ":2: invalid value for --port: '70000' (expected an integer from 0 to 65535)")
          .c_str(),
      ib::ConfigError);
  CHECK_THROWS_WITH_AS(Parse({"--config", "/nonexistent/ib.conf"}),
                       "cannot read config file /nonexistent/ib.conf: No such file or directory",
                       ib::ConfigError);
  CHECK_THROWS_AS(Parse({"--config"}), ib::ConfigError);
}

TEST_CASE("config file: a secret readable by group or others is warned about") {
  const std::string secret = "jwt-secret = 0123456789abcdef0123456789abcdef\n";
  TempFile open_file(secret, 0644);
  auto warned = Parse({"--config", open_file.path().c_str()});
  REQUIRE(warned.warnings.size() == 1);
  CHECK(warned.warnings[0] == open_file.path() +
                                  " is readable by group or others (mode 0644) and holds the "
                                  "JWT secret; restrict it with: chmod 600 " +
                                  open_file.path());
  TempFile closed(secret, 0600);
  CHECK(Parse({"--config", closed.path().c_str()}).warnings.empty());
  TempFile no_secret("port = 1\n", 0644);
  CHECK(Parse({"--config", no_secret.path().c_str()}).warnings.empty());
}

TEST_CASE("config: --cors-origins is * or a list of origins") {
  CHECK(Parse({}).config.cors_origins == std::vector<std::string>{"*"});
  CHECK(Parse({"--cors-origins", "https://a.example, http://localhost:3000"}).config.cors_origins ==
        std::vector<std::string>{"https://a.example", "http://localhost:3000"});
  for (const char* bad : {"", "a.example", "https://a.example/", "https://a.example/x",
                          "*,https://a.example", "https://a.example,,https://b.example"}) {
    CAPTURE(bad);
    CHECK_THROWS_AS(Parse({"--cors-origins", bad}), ib::ConfigError);
  }
}
