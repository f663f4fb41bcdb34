#include "tests/e2e/support/server_process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "server/auth/jwt.h"
#include "tests/e2e/support/exec_image.h"

namespace ib::e2e {

nlohmann::json Reply::json() const { return nlohmann::json::parse(body); }

std::string Reply::header(const std::string& name) const {
  auto it = headers.find(name);
  return it == headers.end() ? "" : it->second;
}

ServerProcess::ServerProcess(std::vector<std::string> args, std::string db_path) {
  char tmpl[] = "/tmp/ib-e2e-XXXXXX";
  if (!mkdtemp(tmpl)) throw std::runtime_error("mkdtemp failed");
  dir_ = tmpl;
  db_path_ = db_path.empty() ? dir_ + "/test.db" : db_path;

  std::vector<std::string> argv = {IB_BINARY,        "serve", "--db",         db_path_,
                                   "--port",         "0",     "--jwt-secret", kTestSecret,
                                   "--log-requests", "false"};
  argv.insert(argv.end(), args.begin(), args.end());
  const ExecImage image(argv);
  const std::string log = dir_ + "/server.log";
  int out_pipe[2];
  if (pipe(out_pipe) != 0) throw std::runtime_error("pipe failed");
  pid_ = fork();
  if (pid_ == 0) {  // only async-signal-safe calls until the exec (exec_image.h)
    dup2(out_pipe[1], 1);
    close(out_pipe[0]);
    close(out_pipe[1]);
    const int err = open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (err >= 0) dup2(err, 2);
    image.Exec();
  }
  close(out_pipe[1]);
  // Read stdout until the keys have been printed (they follow the listening line).
  FILE* out = fdopen(out_pipe[0], "r");
  char line[4096];
  while (std::fgets(line, sizeof line, out)) {
    std::string s(line);
    stdout_ += s;
    if (s.rfind("listening on http://", 0) == 0 || s.rfind("listening on https://", 0) == 0) {
      port_ = std::stoi(s.substr(s.rfind(':') + 1));
      base_url_ = std::string(s.find("https://") != std::string::npos ? "https" : "http") +
                  "://127.0.0.1:" + std::to_string(port_);
    } else if (s.rfind("anon key: ", 0) == 0) {
      anon_key_ = s.substr(10, s.size() - 11);
    } else if (s.rfind("service_role key: ", 0) == 0) {
      service_key_ = s.substr(18, s.size() - 19);
      break;
    }
  }
  // Keep draining stdout in the background so the server never blocks on a full pipe.
  std::thread([out] {
    char buf[4096];
    while (std::fgets(buf, sizeof buf, out)) {
    }
    std::fclose(out);
  }).detach();
  if (port_ == 0) {
    const std::string report = SanitizerReport();
    Stop(9);
    throw std::runtime_error("server did not start: " + stdout_ + report);
  }
}

std::string ServerProcess::SanitizerReport() const {
  std::ifstream in(dir_ + "/server.log");
  std::stringstream text;
  text << in.rdbuf();
  const std::string log = text.str();
  // A ThreadSanitizer report opens with "WARNING: ThreadSanitizer: <kind>"; its fatal errors
  // with "ERROR: ThreadSanitizer". The report runs to the end of the log (halt_on_error).
  for (const char* opening : {"WARNING: ThreadSanitizer", "ERROR: ThreadSanitizer"}) {
    const size_t at = log.find(opening);
    if (at != std::string::npos) return log.substr(log.rfind('\n', at) + 1);
  }
  return "";
}

// The default for users of this harness outside the e2e suite, which defines its own.
__attribute__((weak)) void OnServerSanitizerReport(const std::string& report) {
  std::fprintf(stderr, "the server reported:\n%s\n", report.c_str());
}

ServerProcess::~ServerProcess() {
  if (pid_ > 0) Stop(15);
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

int ServerProcess::Stop(int sig) {
  if (pid_ <= 0) return 0;
  kill(pid_, sig);
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
  const std::string report = SanitizerReport();
  if (!report.empty()) OnServerSanitizerReport(report);
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  return -WTERMSIG(status);
}

std::string ServerProcess::Token(const std::string& role, const std::string& sub,
                                 long long expires_in, const nlohmann::json& extra) {
  long long now = std::chrono::duration_cast<std::chrono::seconds>(
                      std::chrono::system_clock::now().time_since_epoch())
                      .count();
  nlohmann::json claims = extra;
  claims["role"] = role;
  claims["iat"] = now;
  claims["exp"] = now + expires_in;
  if (!sub.empty()) claims["sub"] = sub;
  return auth::SignHs256(claims, kTestSecret);
}

Reply ServerProcess::Send(const std::string& method, const std::string& path,
                          const std::string& bearer, const std::string& body,
                          httplib::Headers headers) const {
  httplib::Client cli(base_url_);
  if (!ca_file_.empty()) cli.set_ca_cert_path(ca_file_.c_str());
  cli.set_read_timeout(30, 0);
  // Encode only what cannot travel raw (spaces, control and non-ASCII bytes): '+' and '%XX'
  // stay as the caller wrote them, as supabase-js sends them (httplib would turn '+' into %2B).
  cli.set_url_encode(false);
  std::string target;
  for (unsigned char c : path) {
    if (c <= 0x20 || c >= 0x7F) {
      static const char* kHex = "0123456789ABCDEF";
      target += '%';
      target += kHex[c >> 4];
      target += kHex[c & 15];
    } else {
      target += static_cast<char>(c);
    }
  }
  if (!bearer.empty()) {
    if (!headers.count("apikey")) headers.emplace("apikey", anon_key_);
    headers.emplace("Authorization", "Bearer " + bearer);
  }
  std::string type = "application/json";
  if (auto it = headers.find("Content-Type"); it != headers.end()) {
    type = it->second;
    headers.erase(it);
  }
  const char* ctype = type.c_str();
  auto send = [&]() -> httplib::Result {
    if (method == "GET") return cli.Get(target, headers);
    if (method == "HEAD") return cli.Head(target, headers);
    if (method == "POST") return cli.Post(target, headers, body, ctype);
    if (method == "PATCH") return cli.Patch(target, headers, body, ctype);
    if (method == "PUT") return cli.Put(target, headers, body, ctype);
    if (method == "DELETE") return cli.Delete(target, headers, body, ctype);
    if (method == "OPTIONS") return cli.Options(target, headers);
    throw std::runtime_error("unknown method " + method);
  };
  httplib::Result res = send();
  if (!res) {
    // A server stopped by a sanitizer report answers nothing: say why.
    throw std::runtime_error("request failed: " + httplib::to_string(res.error()) + "\n" +
                             SanitizerReport());
  }
  return Reply{res->status, res->body, res->headers};
}

std::string ServerProcess::CreateUser(const std::string& email, const std::string& password,
                                      const nlohmann::json& metadata) const {
  nlohmann::json body = {{"email", email},
                         {"password", password},
                         {"email_confirm", true},
                         {"user_metadata", metadata}};
  Reply r =
      Send("POST", "/auth/v1/admin/users", service_key_, body.dump(), {{"apikey", service_key_}});
  if (r.status != 200) throw std::runtime_error("CreateUser failed: " + r.body);
  return r.json().at("id").get<std::string>();
}

CommandResult RunProgram(const std::vector<std::string>& argv,
                         const std::vector<std::string>& env) {
  const ExecImage image(argv, env);
  int out_pipe[2];
  if (pipe(out_pipe) != 0) throw std::runtime_error("pipe failed");
  pid_t pid = fork();
  if (pid == 0) {  // only async-signal-safe calls until the exec (exec_image.h)
    dup2(out_pipe[1], 1);
    dup2(out_pipe[1], 2);
    close(out_pipe[0]);
    close(out_pipe[1]);
    image.Exec();
  }
  close(out_pipe[1]);
  CommandResult result;
  char buf[4096];
  ssize_t n;
  while ((n = read(out_pipe[0], buf, sizeof buf)) > 0)
    result.output.append(buf, static_cast<size_t>(n));
  close(out_pipe[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  result.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

CommandResult RunBinary(const std::vector<std::string>& args, const std::vector<std::string>& env) {
  std::vector<std::string> argv = {IB_BINARY};
  argv.insert(argv.end(), args.begin(), args.end());
  return RunProgram(argv, env);
}

std::string Encode(const std::string& value) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : value) {
    if (std::isalnum(c) || c == '*' || c == '-' || c == '.' || c == '_') {
      out += static_cast<char>(c);
    } else if (c == ' ') {
      out += '+';
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

std::vector<std::string> FastPasswords(std::vector<std::string> extra) {
  std::vector<std::string> args = {"--password-cost", "minimal"};
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

std::string Repeat(const std::string& s, int n) {
  std::string out;
  out.reserve(s.size() * static_cast<size_t>(std::max(n, 0)));
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

}  // namespace ib::e2e
