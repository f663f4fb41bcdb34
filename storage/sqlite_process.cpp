#include "storage/sqlite_process.h"

#include <sqlite3.h>

namespace ib::storage {

bool ConfigureSqliteProcess() { return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0) == SQLITE_OK; }

}  // namespace ib::storage
