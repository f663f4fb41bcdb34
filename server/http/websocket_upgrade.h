// The WebSocket door of Realtime: a `GET /realtime/v1/websocket` with `Upgrade: websocket` is
// checked here (its apikey and vsn, before any 101) and, when accepted, its socket leaves the
// HTTP workers for Realtime's event loop. A refused upgrade gets a plain HTTP error. Every other
// request is left to the routes.
#pragma once

#include <functional>

#include "server/http/connection_stream.h"

namespace ib::realtime {
class RealtimeService;
}

namespace ib::http {

// The FramedServer upgrade handler for `realtime` (which must outlive the server).
std::function<bool(ConnectionStream&)> RealtimeUpgrade(realtime::RealtimeService& realtime);

}  // namespace ib::http
