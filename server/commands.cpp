#include "server/commands.h"

#include <iostream>

#include "server/http/storage_push.h"
#include "storage/backup.h"
#include "storage/db_check.h"
#include "storage/error.h"
#include "storage/export/postgres_export.h"
#include "storage/migrator.h"
#include "storage/postgres_import.h"
#include "storage/restore.h"

namespace ib {
namespace {

int KnownVersion() { return storage::LatestVersion(storage::EmbeddedMigrations()); }

}  // namespace

int RunBackup(const Invocation& inv) {
  const std::string& out = inv.operands.at(0);
  try {
    const int64_t bytes = storage::BackupFile(inv.config.db_path, out);
    std::cout << "backup of " << inv.config.db_path << " written to " << out << " (" << bytes
              << " bytes)" << std::endl;
    return 0;
  } catch (const storage::Error& e) {
    std::cerr << "interviewbase backup: " << e.message() << " (" << out << " not written)"
              << std::endl;
    return 1;
  }
}

int RunCheck(const Invocation& inv) {
  const storage::CheckReport report = storage::CheckDatabase(inv.config.db_path, KnownVersion());
  std::cout << report.ToString() << std::flush;
  return report.ok() ? 0 : 1;
}

int RunRestore(const Invocation& inv) {
  const std::string& backup = inv.operands.at(0);
  try {
    for (const std::string& note :
         storage::RestoreDatabase(backup, inv.config.db_path, KnownVersion())) {
      std::cerr << "interviewbase restore: note: " << note << std::endl;
    }
    std::cout << "restored " << backup << " into " << inv.config.db_path << std::endl;
    return 0;
  } catch (const storage::Error& e) {
    std::cerr << "interviewbase restore: " << e.message() << std::endl;
    return 1;
  }
}

int RunExport(const Invocation& inv) {
  const std::string& out_dir = inv.operands.at(1);
  try {
    const storage::pgexport::ExportReport report =
        storage::pgexport::ExportPostgres(inv.config.db_path, out_dir);
    for (const auto& file : report.files) std::cout << "wrote " << file << "\n";
    std::cout << report.tables << " tables, " << report.policies << " row-level security policies, "
              << report.users << " users, " << report.rows << " rows, " << report.objects
              << " stored objects" << std::endl;
    return 0;
  } catch (const storage::Error& e) {
    std::cerr << "interviewbase export: " << e.message() << " (nothing written to " << out_dir
              << ")" << std::endl;
    return 1;
  }
}

int RunImport(const Invocation& inv) {
  const std::string& dir = inv.operands.at(1);
  try {
    const storage::ImportReport report = storage::ImportPostgresDump(inv.config.db_path, dir);
    int64_t total = 0;
    for (const auto& [table, rows] : report.rows) {
      std::cout << table << ": " << rows << " rows\n";
      total += rows;
    }
    if (!report.ignored_columns.empty()) {
      std::cout << "ignored (not modelled here):";
      for (const std::string& column : report.ignored_columns) std::cout << " " << column;
      std::cout << "\n";
    }
    std::cout << "imported " << total << " rows from " << dir << " into " << inv.config.db_path
              << std::endl;
    return 0;
  } catch (const storage::Error& e) {
    std::cerr << "interviewbase import: " << e.message() << std::endl;
    return 1;
  }
}

int RunPushStorage(const Invocation& inv) {
  const std::string& dir = inv.operands.at(0);
  try {
    const http::PushReport report =
        http::PushStorage(dir, inv.push_url, inv.push_service_key,
                          [](const std::string& line) { std::cout << "pushed " << line << "\n"; });
    std::cout << report.objects << " objects (" << report.bytes << " bytes) pushed to "
              << inv.push_url << ", " << report.buckets_created << " buckets created" << std::endl;
    return 0;
  } catch (const storage::Error& e) {
    std::cout << std::flush;
    std::cerr << "interviewbase push-storage: " << e.message() << std::endl;
    return 1;
  }
}

}  // namespace ib
