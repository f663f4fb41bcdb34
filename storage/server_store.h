// What the server itself keeps in or asks of the database, outside the application's tables:
// the generated JWT secret (ib_settings) and the health probe. Both take their own lease, so
// call them outside any unit of work. Thread-safe as Db is.
#pragma once

#include <functional>
#include <string>

#include "storage/db.h"

namespace ib::storage {

// The JWT secret stored by an earlier start, or `generate()`'s value, stored now so keys
// survive restarts.
std::string LoadOrCreateJwtSecret(Db& db, const std::function<std::string()>& generate);

// A trivial read on this thread's connection: throws an Error when the database is unusable.
void ProbeReadable(Db& db);

}  // namespace ib::storage
