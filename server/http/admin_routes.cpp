#include "server/http/admin_routes.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <memory>
#include <nlohmann/json.hpp>

#include "server/auth/authenticate.h"
#include "server/http/handler.h"
#include "storage/backup.h"
#include "storage/db_stats.h"
#include "storage/error.h"
#include "storage/reset.h"

namespace ib::http {
namespace {

// Admin operations are no row-level question: only the service key may.
storage::Principal RequireService(const httplib::Request& req, const ServerContext& ctx,
                                  RequestContext& rc, const char* what) {
  storage::Principal who = auth::AuthenticateRest(
      Header(req, "Authorization"), Header(req, "apikey"), ctx.secret, rc.clock.now_seconds());
  rc.principal = storage::RoleName(who.role);
  if (!who.is_service()) {
    throw storage::Error::PermissionDenied(
        who.is_anon(),
        std::string("permission denied: ") + what + " requires the service_role key");
  }
  return who;
}

// One backup at a time, from its copy until its stream ends: each holds a temporary file as
// large as the database, so two at once would double the disk a backup needs.
std::atomic<bool> backup_running{false};

// The unlinked backup file being streamed, and the slot it holds; both end with the stream.
struct BackupStream {
  int fd = -1;
  ~BackupStream() {
    if (fd >= 0) ::close(fd);
    backup_running = false;
  }
};

void StreamBackup(const ServerContext& ctx, httplib::Response& res) {
  if (ctx.db.in_memory()) {
    throw storage::Error::Conflict("this server runs on :memory:, which has no file to back up");
  }
  if (backup_running.exchange(true)) {
    throw storage::Error::Conflict("a backup is already running; retry when it has finished");
  }
  auto stream = std::make_shared<BackupStream>();
  stream->fd = storage::BackupToUnlinkedFile(ctx.config.db_path);
  struct stat st {};
  if (::fstat(stream->fd, &st) != 0) throw storage::Error::Internal("cannot stat the backup");
  res.set_header("Content-Disposition", "attachment; filename=\"interviewbase-backup.db\"");
  res.set_content_provider(static_cast<size_t>(st.st_size), "application/octet-stream",
                           [stream](size_t offset, size_t max, httplib::DataSink& sink) {
                             char buf[65536];
                             const ssize_t n = ::pread(stream->fd, buf, std::min(max, sizeof buf),
                                                       static_cast<off_t>(offset));
                             return n > 0 && sink.write(buf, static_cast<size_t>(n));
                           });
}

// The server's facts for the dashboard's overview (docs/wire.md, "Admin").
nlohmann::json ServerInfo(const ServerContext& ctx, const RequestContext& rc) {
  const storage::DbStats db = storage::ReadDbStats(ctx.db, rc.clock);
  const int64_t now = rc.clock.now_seconds();  // the request's one instant
  return {{"version", IB_VERSION},
          {"schema_version", ctx.schema_version},
          {"started_at", ctx.started_at},
          {"uptime_seconds", now > ctx.started_at ? now - ctx.started_at : 0},
          {"anon_key", ctx.anon_key},
          {"database",
           {{"path", ctx.config.db_path}, {"bytes", db.file_bytes}, {"wal_bytes", db.wal_bytes}}},
          {"storage", {{"objects", db.objects}, {"bytes", db.object_bytes}}}};
}

}  // namespace

void RegisterAdminRoutes(httplib::Server& server, const ServerContext& ctx) {
  server.Post(
      "/admin/v1/reset", Wrap(Service::kRest, [&ctx](const httplib::Request& req,
                                                     httplib::Response& res, RequestContext& rc) {
        const storage::Principal who = RequireService(req, ctx, rc, "reset");
        const int tables = storage::ResetAllData(ctx.db, who, rc.clock);
        res.set_content("{\"status\":\"ok\",\"tables_emptied\":" + std::to_string(tables) + "}",
                        "application/json; charset=utf-8");
      }));
  server.Post("/admin/v1/backup",
              Wrap(Service::kRest,
                   [&ctx](const httplib::Request& req, httplib::Response& res, RequestContext& rc) {
                     RequireService(req, ctx, rc, "backup");
                     StreamBackup(ctx, res);
                   }));
  server.Get("/admin/v1/info",
             Wrap(Service::kRest,
                  [&ctx](const httplib::Request& req, httplib::Response& res, RequestContext& rc) {
                    RequireService(req, ctx, rc, "info");
                    res.set_content(ServerInfo(ctx, rc).dump(), "application/json; charset=utf-8");
                  }));
}

}  // namespace ib::http
