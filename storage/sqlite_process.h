// Process-wide SQLite settings, made once before any database opens (sqlite3_config refuses
// them after SQLite has initialised).
#pragma once

namespace ib::storage {

// Turns off SQLite's memory statistics: with them on, every allocation and free SQLite makes
// takes one global mutex to count it, and concurrent readers queued on that mutex (a futex
// call each time it was held). Nothing reads the statistics. Returns whether SQLite took the
// setting (false once SQLite is initialised: the process then runs with the default).
bool ConfigureSqliteProcess();

}  // namespace ib::storage
