// What the server itself keeps in or asks of the database, outside the application's tables:
// the generated JWT secret (ib_settings) and the health probe. Each runs as its own unit of
// work (Db::Write / Db::Read), so call them outside any other. Thread-safe as Db is.
#pragma once

#include <functional>
#include <string>

#include "storage/db.h"

namespace ib::storage {

struct RequestClock;

// The JWT secret stored by an earlier start, or `generate()`'s value, stored now so keys
// survive restarts. Needs the catalog set (Db::SetCatalog).
std::string LoadOrCreateJwtSecret(Db& db, const RequestClock& clock,
                                  const std::function<std::string()>& generate);

// A trivial read on this thread's connection: throws an Error when the database is unusable.
void ProbeReadable(Db& db, const RequestClock& clock);

}  // namespace ib::storage
