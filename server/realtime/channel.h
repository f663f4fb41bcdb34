// A channel: one topic joined by one socket, with what its join asked for (broadcast self/ack,
// presence, postgres_changes bindings) and whose claims it reads with. Plain data owned by its
// SocketSession; the Hub indexes it while it is joined. Realtime's thread only.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "server/realtime/change_filter.h"
#include "storage/catalog.h"
#include "storage/principal.h"

namespace ib::realtime {

class SocketSession;

// One entry of the join's `config.postgres_changes`.
struct Binding {
  int64_t id = 0;                         // the number the join reply and every change frame carry
  std::string event = "*";                // INSERT, UPDATE, DELETE or * (any other text means *)
  const storage::Table* table = nullptr;  // nullptr: every exposed table
  std::optional<ChangeFilter> filter;
  bool active = true;  // false when it cannot be served (the channel was told why)
};

struct Channel {
  SocketSession* socket = nullptr;
  std::string topic;      // "realtime:room1"
  std::string sub_topic;  // "room1"
  std::string join_ref;
  bool broadcast_self = false;
  bool broadcast_ack = false;
  bool presence_enabled = false;
  std::string presence_key;
  std::vector<int64_t> presence_calls;  // when recent track/untrack calls came (seconds)
  size_t tracked_bytes = 0;             // the JSON size of what it tracks
  storage::Principal principal;         // whose rows it may receive
  std::string token;                    // the access_token it reads with ("": the socket's apikey)
  int64_t expires_at = 0;               // the token's exp (Unix seconds); 0: never
  std::vector<Binding> bindings;
  // Changes up to this change-log sequence committed before the join and are not sent.
  int64_t after_sequence = 0;
};

}  // namespace ib::realtime
