// The maintenance commands beside serve: backup, check, restore, export and import of a
// database file, and push-storage of an export. Each prints what it did (or why not) and
// returns the process's exit status: 0 on success, 1 when refused or failed. The work is in
// storage/ (backup, db_check, restore, export/, postgres_import) and server/http/storage_push.h;
// this only reports.
#pragma once

#include "server/config.h"

namespace ib {

int RunBackup(const Invocation& inv);
int RunCheck(const Invocation& inv);
int RunRestore(const Invocation& inv);
int RunExport(const Invocation& inv);
int RunImport(const Invocation& inv);
int RunPushStorage(const Invocation& inv);

}  // namespace ib
