// ResetAllData: what POST /admin/v1/reset does. Empties every table of the catalog (auth
// users, storage objects and our bookkeeping included) in one write transaction, keeping the
// schema, its version and the record of applied migrations, and ib_settings (the JWT secret),
// then puts back the rows the migrations themselves seed (the `interview-audio` bucket).
// One Db::Write: every deleted and
// re-seeded row reaches the change log. Call it outside any unit of work.
#pragma once

namespace ib::storage {

class Db;
struct Principal;
struct RequestClock;

// Returns the number of tables emptied. Throws Error on failure; nothing changes then.
int ResetAllData(Db& db, const Principal& who, const RequestClock& clock);

}  // namespace ib::storage
