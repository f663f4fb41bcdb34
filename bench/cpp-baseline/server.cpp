// The "minimal cpp-httplib + SQLiteCpp + nlohmann/json" reference server of bench/run.sh. It
// serves only the reference list
//   GET /rest/v1/interview_sessions?select=*&order=created_at.desc&limit=10
// from the SAME database file as interviewbase (read-only), with the same guards as the Node
// baseline: HS256 JWT verified with OpenSSL HMAC and a constant-time compare (alg, exp, role
// checked), RLS = `WHERE user_id = ?` with the token's sub. One prepared statement per thread,
// a nlohmann::json DOM built per row, jsonb columns parsed so the JSON is nested, then dump().
// set_tcp_nodelay, a high keep-alive count and a 64-thread pool, as the guide prescribes.
//
//   server --db PATH --jwt-secret S [--port 0]
// prints `listening on http://127.0.0.1:PORT` once bound.
#include <httplib.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace {

std::string g_db_path;
std::string g_secret;

bool Base64UrlDecode(const std::string& in, std::string& out) {
  static const auto table = [] {
    std::array<int, 256> t{};
    t.fill(-1);
    const char* a = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    for (int i = 0; i < 64; ++i) t[static_cast<unsigned char>(a[i])] = i;
    return t;
  }();
  out.clear();
  out.reserve(in.size() * 3 / 4);
  unsigned acc = 0;
  int bits = 0;
  for (unsigned char c : in) {
    int v = table[c];
    if (v < 0) return false;
    acc = (acc << 6) | static_cast<unsigned>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((acc >> bits) & 0xff));
    }
  }
  return true;
}

// The claims of a valid HS256 token, or nullopt.
std::optional<nlohmann::json> Verify(const std::string& token) {
  size_t d1 = token.find('.');
  if (d1 == std::string::npos) return std::nullopt;
  size_t d2 = token.find('.', d1 + 1);
  if (d2 == std::string::npos || token.find('.', d2 + 1) != std::string::npos) return std::nullopt;
  std::string header, payload, sig;
  if (!Base64UrlDecode(token.substr(0, d1), header) ||
      !Base64UrlDecode(token.substr(d1 + 1, d2 - d1 - 1), payload) ||
      !Base64UrlDecode(token.substr(d2 + 1), sig))
    return std::nullopt;
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned mac_len = 0;
  HMAC(EVP_sha256(), g_secret.data(), static_cast<int>(g_secret.size()),
       reinterpret_cast<const unsigned char*>(token.data()), d2, mac, &mac_len);
  if (sig.size() != mac_len || CRYPTO_memcmp(sig.data(), mac, mac_len) != 0) return std::nullopt;
  auto h = nlohmann::json::parse(header, nullptr, false);
  if (!h.is_object() || h.value("alg", "") != "HS256") return std::nullopt;
  auto claims = nlohmann::json::parse(payload, nullptr, false);
  if (!claims.is_object()) return std::nullopt;
  if (claims.contains("exp") && claims["exp"].is_number()) {
    auto now = std::chrono::duration_cast<std::chrono::seconds>(
                   std::chrono::system_clock::now().time_since_epoch())
                   .count();
    if (claims["exp"].get<double>() <= static_cast<double>(now)) return std::nullopt;
  }
  return claims;
}

struct ThreadDb {
  SQLite::Database db{g_db_path, SQLite::OPEN_READONLY};
  SQLite::Statement list{
      db, "SELECT * FROM interview_sessions WHERE user_id = ? ORDER BY created_at DESC LIMIT 10"};
};

ThreadDb& Db() {
  thread_local std::unique_ptr<ThreadDb> db = std::make_unique<ThreadDb>();
  return *db;
}

bool IsJsonColumn(const char* name) {
  return !std::strcmp(name, "metadata") || !std::strcmp(name, "questions") ||
         !std::strcmp(name, "answers") || !std::strcmp(name, "feedback");
}

void List(const httplib::Request& req, httplib::Response& res) {
  const std::string auth = req.get_header_value("Authorization");
  std::optional<nlohmann::json> claims;
  if (auth.rfind("Bearer ", 0) == 0) claims = Verify(auth.substr(7));
  if (!claims) {
    res.status = 401;
    res.set_content(R"({"code":"PGRST301","message":"JWT invalid"})", "application/json");
    return;
  }
  if (claims->value("role", "") != "authenticated" || !(*claims)["sub"].is_string()) {
    res.set_content("[]", "application/json");
    return;
  }
  auto& db = Db();
  auto& st = db.list;
  st.reset();
  st.bind(1, (*claims)["sub"].get<std::string>());
  nlohmann::json rows = nlohmann::json::array();
  while (st.executeStep()) {
    nlohmann::json row = nlohmann::json::object();
    for (int i = 0; i < st.getColumnCount(); ++i) {
      SQLite::Column c = st.getColumn(i);
      const char* name = c.getName();
      switch (c.getType()) {
        case SQLITE_INTEGER: row[name] = c.getInt64(); break;
        case SQLITE_FLOAT: row[name] = c.getDouble(); break;
        case SQLITE_NULL: row[name] = nullptr; break;
        default:
          if (IsJsonColumn(name)) row[name] = nlohmann::json::parse(c.getString());
          else row[name] = c.getString();
      }
    }
    rows.push_back(std::move(row));
  }
  res.set_content(rows.dump(), "application/json");
}

}  // namespace

int main(int argc, char** argv) {
  int port = 0;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string a = argv[i];
    if (a == "--db") g_db_path = argv[i + 1];
    else if (a == "--jwt-secret") g_secret = argv[i + 1];
    else if (a == "--port") port = std::stoi(argv[i + 1]);
  }
  if (g_db_path.empty() || g_secret.empty()) {
    std::fprintf(stderr, "usage: server --db PATH --jwt-secret S [--port N]\n");
    return 2;
  }
  httplib::Server svr;
  svr.new_task_queue = [] { return new httplib::ThreadPool(64); };
  svr.set_tcp_nodelay(true);
  svr.set_keep_alive_max_count(1000000);
  svr.Get("/rest/v1/interview_sessions", List);
  int bound = port ? (svr.bind_to_port("127.0.0.1", port) ? port : -1)
                   : svr.bind_to_any_port("127.0.0.1");
  if (bound <= 0) {
    std::fprintf(stderr, "bind failed\n");
    return 1;
  }
  std::printf("listening on http://127.0.0.1:%d\n", bound);
  std::fflush(stdout);
  return svr.listen_after_bind() ? 0 : 1;
}
