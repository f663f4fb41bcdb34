#include "server/http/metrics_page.h"

namespace ib::http {
namespace {

void Family(std::string& out, const char* name, const char* type, const char* help, double value) {
  AppendFamily(out, name, type, help);
  AppendSample(out, name, {}, value);
}

}  // namespace

std::string RenderMetricsPage(const HttpMetrics& http, const storage::DbStats& db,
                              size_t realtime_sockets) {
  std::string out;
  out.reserve(16384);
  AppendFamily(out, "ib_build_info", "gauge", "The running build; the value is always 1.");
  AppendSample(out, "ib_build_info", {{"version", IB_VERSION}}, 1);
  http.Render(out);
  Family(out, "ib_realtime_sockets_open", "gauge", "Open Realtime WebSockets.",
         static_cast<double>(realtime_sockets));
  Family(out, "ib_db_size_bytes", "gauge", "Size of the database file (0 for :memory:).",
         static_cast<double>(db.file_bytes));
  Family(out, "ib_db_wal_size_bytes", "gauge", "Size of the database's write-ahead log file.",
         static_cast<double>(db.wal_bytes));
  Family(out, "ib_db_checkpoints_total", "counter",
         "WAL checkpoints completed by the background checkpointer.",
         static_cast<double>(db.checkpoints));
  Family(out, "ib_db_commit_batches_total", "counter",
         "Write transactions run by the group commit (each shared by one or more writes).",
         static_cast<double>(db.write_batches));
  Family(out, "ib_db_writes_total", "counter",
         "Writes (units of work) run in those transactions, committed or rolled back.",
         static_cast<double>(db.writes));
  Family(out, "ib_db_wal_syncs_total", "counter",
         "fdatasync calls on the WAL under --durability full (one may cover several batches).",
         static_cast<double>(db.wal_syncs));
  Family(out, "ib_storage_objects", "gauge", "Objects stored through /storage/v1.",
         static_cast<double>(db.objects));
  Family(out, "ib_storage_bytes", "gauge", "Bytes of the objects stored through /storage/v1.",
         static_cast<double>(db.object_bytes));
  return out;
}

}  // namespace ib::http
