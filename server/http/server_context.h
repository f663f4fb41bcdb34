// ServerContext: what every route group needs from the App (database, catalog, secret,
// configuration), passed by reference to each Register*Routes(). Immutable while serving.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "server/config.h"
#include "storage/catalog.h"
#include "storage/db.h"

namespace ib::http {

struct ServerContext {
  storage::Db& db;
  std::shared_ptr<const storage::Catalog> catalog;
  std::string secret;
  Config config;
  int schema_version = 0;
  std::string anon_key;    // the key clients are given (GET /admin/v1/info shows it)
  int64_t started_at = 0;  // unix seconds when the server started (uptime)
};

// Current unix time in seconds (the only clock the request path reads).
int64_t NowSeconds();

}  // namespace ib::http
