// ServerProcess: starts the real interviewbase binary on a throwaway database (a temp dir,
// --port 0), reads its `listening on` line and keys, and stops it (SIGTERM) on destruction.
// Also small HTTP helpers so scenarios read as method, path, headers, body -> status, body.
#pragma once

#include <httplib.h>

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace ib::e2e {

// A fixed secret so tests can mint their own tokens (like any client holding the secret).
inline constexpr const char* kTestSecret = "e2e-test-secret-0123456789abcdef0123456789";

struct Reply {
  int status = 0;
  std::string body;
  httplib::Headers headers;
  nlohmann::json json() const;  // parsed body (throws if not JSON)
  std::string header(const std::string& name) const;
};

class ServerProcess {
 public:
  // Starts the server. `args` are extra flags; `db_path` "" = a fresh temp database.
  explicit ServerProcess(std::vector<std::string> args = {}, std::string db_path = "");
  ~ServerProcess();
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  // Sends `sig` and waits for exit; returns the exit status (or -signal). A sanitizer report
  // in the server's stderr (the ThreadSanitizer build, tests/tsan/) goes to
  // OnServerSanitizerReport.
  int Stop(int sig = 15);
  // The sanitizer reports the server wrote to its stderr so far ("" when none).
  std::string SanitizerReport() const;
  bool running() const { return pid_ > 0; }
  int pid() const { return pid_; }

  int port() const { return port_; }
  // "http://127.0.0.1:PORT", or https:// when the server serves TLS (--tls-cert).
  const std::string& base_url() const { return base_url_; }
  // For an HTTPS server: the CA file Send() and CreateUser() verify its certificate with.
  void set_ca_file(std::string path) { ca_file_ = std::move(path); }
  const std::string& db_path() const { return db_path_; }
  const std::string& dir() const { return dir_; }
  const std::string& anon_key() const { return anon_key_; }
  const std::string& service_key() const { return service_key_; }
  const std::string& stdout_text() const { return stdout_; }

  // A token for `role` (and `sub` for authenticated users) signed with kTestSecret.
  static std::string Token(const std::string& role, const std::string& sub = "",
                           long long expires_in = 3600,
                           const nlohmann::json& extra = nlohmann::json::object());

  // Creates a confirmed auth user through the admin API (service key); returns its id.
  std::string CreateUser(const std::string& email, const std::string& password = "secret123",
                         const nlohmann::json& metadata = nlohmann::json::object()) const;

  // One request with apikey = `key` and Authorization: Bearer `bearer` (empty = omitted).
  Reply Send(const std::string& method, const std::string& path, const std::string& bearer,
             const std::string& body = "", httplib::Headers headers = {}) const;

 private:
  std::string dir_;
  std::string db_path_;
  int pid_ = -1;
  int port_ = 0;
  std::string base_url_;
  std::string ca_file_;
  std::string anon_key_;
  std::string service_key_;
  std::string stdout_;
};

// Called by ServerProcess::Stop() with the sanitizer reports found in the server's stderr. The
// e2e suite fails the current test case (sanitizer_report.cpp); other users of this harness (the
// live fuzzer) get a default that prints the report to stderr.
void OnServerSanitizerReport(const std::string& report);

// Runs a program with arguments and returns its exit status and standard output.
struct CommandResult {
  int status = -1;
  std::string output;
};
CommandResult RunBinary(const std::vector<std::string>& args,
                        const std::vector<std::string>& env = {});
// The same for any program, found on PATH (argv[0]); standard error joins the output.
CommandResult RunProgram(const std::vector<std::string>& argv,
                         const std::vector<std::string>& env = {});

// Percent-encodes a query value the way supabase-js does (form encoding).
std::string Encode(const std::string& value);

// Server flags for scenarios that create users: the minimal password cost (the interactive one
// costs about 60 ms and 64 MiB a hash), then `extra`.
std::vector<std::string> FastPasswords(std::vector<std::string> extra = {});

// `s` written `n` times: bodies and query strings nested or repeated past a bound.
std::string Repeat(const std::string& s, int n);

}  // namespace ib::e2e
