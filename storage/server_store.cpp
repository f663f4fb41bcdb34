#include "storage/server_store.h"

#include <variant>

#include "storage/executor.h"

namespace ib::storage {

std::string LoadOrCreateJwtSecret(Db& db, const std::function<std::string()>& generate) {
  Db::WriteLease lease(db);
  Executor ex(lease.conn());
  auto stored = ex.Scalar({"SELECT value FROM ib_settings WHERE key = 'jwt_secret'", {}, ""});
  if (stored && std::holds_alternative<std::string>(*stored)) {
    return std::get<std::string>(*stored);
  }
  std::string secret = generate();
  ex.Run({"INSERT INTO ib_settings (key, value) VALUES ('jwt_secret', ?)", {secret}, ""});
  return secret;
}

void ProbeReadable(Db& db) {
  Db::ReadLease lease(db);
  Executor(lease.conn()).Scalar({"SELECT 1", {}, ""});
}

}  // namespace ib::storage
