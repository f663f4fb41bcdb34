#include "tests/e2e/support/storage_client.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sqlite3.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <random>
#include <stdexcept>
#include <thread>

namespace ib::e2e {
namespace {

using nlohmann::json;

void Now(sqlite3_context* ctx, int, sqlite3_value**) {
  sqlite3_result_text(ctx, "2025-01-01T00:00:00.000000+00:00", -1, SQLITE_STATIC);
}

void Uuid(sqlite3_context* ctx, int, sqlite3_value**) {
  static std::mt19937_64 rng(std::random_device{}());
  char id[40];
  std::snprintf(id, sizeof id, "%08x-%04x-4%03x-8%03x-%012llx", static_cast<unsigned>(rng()),
                static_cast<unsigned>(rng() & 0xFFFF), static_cast<unsigned>(rng() & 0xFFF),
                static_cast<unsigned>(rng() & 0xFFF),
                static_cast<unsigned long long>(rng() & 0xFFFFFFFFFFFFULL));
  sqlite3_result_text(ctx, id, -1, SQLITE_TRANSIENT);
}

// Runs `sql` read-only and hands the first row's first column to `read`.
void FirstValue(const std::string& db_path, const std::string& sql,
                const std::function<void(sqlite3_stmt*)>& read) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
    sqlite3_busy_timeout(db, 5000);
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK &&
        sqlite3_step(stmt) == SQLITE_ROW) {
      read(stmt);
    }
    sqlite3_finalize(stmt);
  }
  sqlite3_close(db);
}

}  // namespace

Reply Storage::Call(const std::string& token, const std::string& method, const std::string& path,
                    const std::string& body, httplib::Headers h) const {
  return server.Send(method, "/storage/v1" + path, token, body, std::move(h));
}

Reply Storage::Upload(const std::string& token, const std::string& bucket, const std::string& key,
                      const std::string& bytes, const std::string& type, httplib::Headers h) const {
  h.emplace("Content-Type", type);
  return Call(token, "POST", "/object/" + bucket + "/" + key, bytes, std::move(h));
}

Reply Storage::Download(const std::string& token, const std::string& bucket, const std::string& key,
                        httplib::Headers h) const {
  return Call(token, "GET", "/object/" + bucket + "/" + key, "", std::move(h));
}

void Storage::MakeBucket(const std::string& id, bool is_public, const json& extra) const {
  json body = {{"id", id}, {"name", id}, {"public", is_public}};
  body.update(extra);
  Reply r = Call(S(), "POST", "/bucket", body.dump());
  if (r.status != 200) throw std::runtime_error("MakeBucket failed: " + r.body);
}

std::string StorageError(const Reply& r) {
  if (r.status == 200 || r.status == 206) return "ok";
  auto body = json::parse(r.body, nullptr, false);
  if (!body.is_object()) return "http " + std::to_string(r.status) + " " + r.body;
  return std::to_string(r.status) + " " + body.value("statusCode", "?") + " " +
         body.value("code", "?");
}

int64_t DbScalar(const std::string& db_path, const std::string& sql) {
  int64_t out = -1;
  FirstValue(db_path, sql, [&](sqlite3_stmt* stmt) { out = sqlite3_column_int64(stmt, 0); });
  return out;
}

std::string DbText(const std::string& db_path, const std::string& sql) {
  std::string out;
  FirstValue(db_path, sql, [&](sqlite3_stmt* stmt) {
    const unsigned char* text = sqlite3_column_text(stmt, 0);
    out = text ? reinterpret_cast<const char*>(text) : "";
  });
  return out;
}

void DbExec(const std::string& db_path, const std::string& sql) {
  sqlite3* db = nullptr;
  if (sqlite3_open(db_path.c_str(), &db) != SQLITE_OK) {
    sqlite3_close(db);
    throw std::runtime_error("cannot open " + db_path);
  }
  sqlite3_busy_timeout(db, 5000);
  sqlite3_create_function(db, "now", 0, SQLITE_UTF8, nullptr, Now, nullptr, nullptr);
  sqlite3_create_function(db, "gen_random_uuid", 0, SQLITE_UTF8, nullptr, Uuid, nullptr, nullptr);
  char* error = nullptr;
  int rc = sqlite3_exec(db, ("PRAGMA foreign_keys=ON; " + sql).c_str(), nullptr, nullptr, &error);
  std::string message = error ? error : "";
  sqlite3_free(error);
  sqlite3_close(db);
  if (rc != SQLITE_OK) throw std::runtime_error("DbExec: " + message);
}

int64_t StoredRows(const ServerProcess& s, const std::string& bucket) {
  std::string where = bucket.empty() ? "" : " WHERE bucket_id = '" + bucket + "'";
  return DbScalar(s.db_path(), "SELECT count(*) FROM storage_objects" + where) +
         DbScalar(s.db_path(), "SELECT count(*) FROM storage_contents") +
         DbScalar(s.db_path(), "SELECT count(*) FROM storage_object_chunks");
}

std::string MakeUser(const ServerProcess& s, const std::string& email) {
  try {
    return s.CreateUser(email);
  } catch (const std::exception&) {
    // No admin API in this binary yet: a bare row is enough for the owner foreign key.
  }
  DbExec(s.db_path(), "INSERT INTO auth_users (email) VALUES ('" + email + "')");
  return DbText(s.db_path(), "SELECT id FROM auth_users WHERE email = '" + email + "'");
}

std::string RandomBytes(size_t n, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::string out(n, '\0');
  for (size_t i = 0; i < n; i += 8) {
    uint64_t v = rng();
    for (size_t k = 0; k < 8 && i + k < n; ++k) out[i + k] = static_cast<char>(v >> (8 * k));
  }
  return out;
}

std::string EncodeUri(const std::string& s) {
  static const std::string kKeep = ";,/?:@&=+$-_.!~*'()#";
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || kKeep.find(static_cast<char>(c)) != std::string::npos) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

std::string MultipartBody(const std::string& boundary, const std::string& bytes,
                          const std::string& type) {
  return "--" + boundary +
         "\r\nContent-Disposition: form-data; name=\"cacheControl\"\r\n\r\n3600\r\n--" + boundary +
         "\r\nContent-Disposition: form-data; name=\"\"; filename=\"blob\"\r\n" +
         "Content-Type: " + type + "\r\n\r\n" + bytes + "\r\n--" + boundary + "--\r\n";
}

bool WaitFor(const std::function<bool()>& done, int seconds) {
  auto until = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
  while (std::chrono::steady_clock::now() < until) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return done();
}

RawConnection::RawConnection(int port) : fd_(socket(AF_INET, SOCK_STREAM, 0)) {
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (fd_ < 0 || connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    throw std::runtime_error("connect failed");
  }
}

void RawConnection::Write(const std::string& data) {
  size_t done = 0;
  while (done < data.size()) {
    ssize_t n = ::send(fd_, data.data() + done, data.size() - done, MSG_NOSIGNAL);
    if (n <= 0) return;
    done += static_cast<size_t>(n);
  }
}

void RawConnection::Close() {
  if (fd_ >= 0) close(fd_);
  fd_ = -1;
}

}  // namespace ib::e2e
