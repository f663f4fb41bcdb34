// Helpers for the /storage/v1 e2e scenarios: a Storage fixture around ServerProcess with
// upload/download shorthands, direct read-only looks at the server's database file (to prove
// that nothing was stored), users for the owner foreign key, random bytes, encodeURI as
// supabase-js applies it, multipart bodies, and a raw TCP connection for cut-short uploads.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "tests/e2e/support/server_process.h"

namespace ib::e2e {

inline const std::string kAudioBucket = "interview-audio";

struct Storage {
  ServerProcess server;
  explicit Storage(std::vector<std::string> args = {}) : server(std::move(args)) {}

  const std::string& S() const { return server.service_key(); }
  const std::string& A() const { return server.anon_key(); }

  // `path` below /storage/v1; `token` as bearer (apikey = anon key unless given).
  Reply Call(const std::string& token, const std::string& method, const std::string& path,
             const std::string& body = "", httplib::Headers h = {}) const;
  // Raw-body upload (POST /object/{bucket}/{key}); `key` is sent as written (pre-encoded).
  Reply Upload(const std::string& token, const std::string& bucket, const std::string& key,
               const std::string& bytes, const std::string& type = "text/plain",
               httplib::Headers h = {}) const;
  Reply Download(const std::string& token, const std::string& bucket, const std::string& key,
                 httplib::Headers h = {}) const;
  // Creates a bucket with the service key; throws unless 200.
  void MakeBucket(const std::string& id, bool is_public,
                  const nlohmann::json& extra = nlohmann::json::object()) const;
};

// "ok" for 200/206; otherwise "<http status> <statusCode> <code>", e.g. "400 404 NoSuchKey".
std::string StorageError(const Reply& r);

// One value from the server's database file, read beside the running server (-1 / "" if none).
int64_t DbScalar(const std::string& db_path, const std::string& sql);
std::string DbText(const std::string& db_path, const std::string& sql);
// Writes beside the running server (foreign keys on; now()/gen_random_uuid() provided).
void DbExec(const std::string& db_path, const std::string& sql);
// Rows in storage_objects (of `bucket`, or all) + storage_contents + storage_object_chunks.
int64_t StoredRows(const ServerProcess& s, const std::string& bucket = "");

// A confirmed auth user: through the admin API when the binary has it, else a bare auth_users
// row (all the owner foreign key needs). Returns the user id.
std::string MakeUser(const ServerProcess& s, const std::string& email);

std::string RandomBytes(size_t n, uint64_t seed);
// What encodeURI leaves alone stays; every other byte becomes %XX.
std::string EncodeUri(const std::string& s);
// multipart/form-data as supabase-js sends a Blob: field cacheControl, then a file part "".
std::string MultipartBody(const std::string& boundary, const std::string& bytes,
                          const std::string& type);
// Polls `done` every 50 ms for up to `seconds`.
bool WaitFor(const std::function<bool()>& done, int seconds);

// A raw TCP connection, for requests a well-behaved client would never send.
class RawConnection {
 public:
  explicit RawConnection(int port);
  ~RawConnection() { Close(); }
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;
  void Write(const std::string& data);
  void Close();

 private:
  int fd_;
};

}  // namespace ib::e2e
