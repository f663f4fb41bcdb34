// ResetAllData: what POST /admin/v1/reset does. Empties every table of the catalog (auth
// users, storage objects and our bookkeeping included) in one write transaction, keeping the
// schema, its version and ib_settings (the JWT secret), then puts back the rows the
// migrations themselves seed (the `interview-audio` bucket). Takes the Db's write lease.
#pragma once

namespace ib::storage {

class Catalog;
class Db;

// Returns the number of tables emptied. Throws Error on failure; nothing changes then.
int ResetAllData(Db& db, const Catalog& catalog);

}  // namespace ib::storage
