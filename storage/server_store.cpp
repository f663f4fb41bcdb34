#include "storage/server_store.h"

#include <string>

#include "storage/executor.h"
#include "storage/unit_of_work.h"

namespace ib::storage {
namespace {

constexpr const char* kJwtSecretKey = "jwt_secret";

Principal ServerItself() {
  Principal who;
  who.role = Role::kServiceRole;
  return who;
}

}  // namespace

std::string LoadOrCreateJwtSecret(Db& db, const RequestClock& clock,
                                  const std::function<std::string()>& generate) {
  return db.Write(ServerItself(), clock, [&](WriteScope& scope) {
    auto& w = scope.writer();
    if (auto found = w.FindRow("ib_settings", "key", std::string(kJwtSecretKey))) {
      std::string stored = hooks::TextOf(found->row, "value");
      if (!stored.empty()) return stored;
    }
    std::string secret = generate();
    w.Insert("ib_settings", {{"key", std::string(kJwtSecretKey)}, {"value", secret}});
    return secret;
  });
}

void ProbeReadable(Db& db, const RequestClock& clock) {
  db.Read(Principal{}, clock, [](ReadScope& scope) {
    Executor(scope.conn()).Scalar({"SELECT 1", {}, ""});
  });
}

}  // namespace ib::storage
