// Realtime's REST door: `POST /realtime/v1/api/broadcast/{sub-topic}/events/{event}` (what
// supabase-js `httpSend` calls) and `POST /realtime/v1/api/broadcast` with {"messages":[...]}
// (its fallback for send() on a channel not joined). Both answer 202 with no body once the
// messages are queued for delivery; errors have Realtime's shapes.
#pragma once

#include <httplib.h>

#include "server/realtime/realtime_service.h"

namespace ib::realtime {

void RegisterRealtimeRoutes(httplib::Server& server, RealtimeService& realtime);

}  // namespace ib::realtime
