// Every limit Realtime enforces, with its value (docs/limits.md lists them for readers).
// Values follow self-hosted Supabase Realtime's defaults or are looser, except where a bound
// protects the process (queue bytes, sockets).
#pragma once

#include <chrono>
#include <cstddef>

namespace ib::realtime {

struct RealtimeLimits {
  size_t channels_per_socket = 100;
  size_t bindings_per_channel = 100;         // postgres_changes entries of one join
  size_t max_payload_bytes = 3'000'000;      // a broadcast or track payload
  size_t max_frame_bytes = 5'000'000;        // one WebSocket message from the client
  size_t messages_per_second = 100;          // client messages per socket (heartbeats excluded)
  size_t presence_calls_per_window = 5;      // track/untrack per channel...
  std::chrono::seconds presence_window{30};  // ...per this window
  // Frames waiting to be written to one socket. A subscriber that reads slower than it is sent
  // to is closed when its queue passes this, so it never holds back writers or other sockets.
  size_t send_queue_bytes = size_t{4} << 20;
  size_t max_sockets = 10000;
  // Tracked presence payloads, kept while their channels live: per socket and per process.
  size_t presence_bytes_per_socket = 3'000'000;
  size_t presence_bytes_total = size_t{256} << 20;
  // Committed transactions waiting for Realtime's thread. Past it they are dropped and every
  // channel with postgres_changes bindings gets phx_error (the client rejoins at once), so no
  // subscriber silently misses a change and memory stays bounded.
  size_t change_backlog = 10000;
  std::chrono::seconds idle{60};  // a socket that sent no frame for this long is closed
  // How often channels whose access token has expired are looked for and closed (tests
  // shorten it).
  std::chrono::milliseconds token_sweep{1000};
};

}  // namespace ib::realtime
