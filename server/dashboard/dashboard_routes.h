// GET /_/: the dashboard, served from the files compiled into the binary (dashboard_assets.h).
// The pages need no key: they hold no data, and every request they make for data carries the
// service_role key the user pastes. `/_` redirects to `/_/`; `/_/` is index.html; an unknown
// path is 404. Each answer has its Content-Type, a strong ETag (If-None-Match -> 304),
// Cache-Control: no-cache (revalidate, so a new binary's files are seen at once), the
// dashboard's Content-Security-Policy and nosniff/no-referrer headers.
#pragma once

#include <httplib.h>

namespace ib::dashboard {

void RegisterDashboardRoutes(httplib::Server& server);

}  // namespace ib::dashboard
