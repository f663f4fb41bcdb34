// SocketSession: the Phoenix protocol of one WebSocket, above its transport. It decodes each
// frame in the socket's serializer, answers heartbeats, joins and leaves channels (with their
// token, bindings and presence), relays broadcasts and presence through the Hub, and encodes
// every frame it sends. A malformed frame is ignored; a message for a topic not joined gets
// `unmatched topic`. Realtime's thread only.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "server/realtime/channel.h"
#include "server/realtime/hub.h"
#include "server/realtime/outbox.h"
#include "server/realtime/phoenix_message.h"

namespace ib::realtime {

class SocketSession {
 public:
  // `principal`: the socket's apikey; a join without access_token reads with it.
  SocketSession(Hub& hub, Vsn vsn, storage::Principal principal, Outbox& out);
  // Takes this socket's channels and presences out of the hub. Leaving tells the other members
  // (a presence_diff), which allocates: should that throw (bad_alloc), the process ends, as a
  // destructor's exception does. On purpose: the hub or the presence registry would otherwise
  // keep pointers to this socket's channels.
  ~SocketSession();  // NOLINT(bugprone-exception-escape): see above.
  SocketSession(const SocketSession&) = delete;
  SocketSession& operator=(const SocketSession&) = delete;

  void OnText(std::string_view frame, int64_t now);
  void OnBinary(std::string_view frame, int64_t now);

  Vsn vsn() const { return vsn_; }
  void Send(const std::optional<std::string>& join_ref, const std::optional<std::string>& ref,
            std::string_view topic, std::string_view event, std::string_view payload_json);
  void SendBinary(std::string frame) { out_.SendBinary(std::move(frame)); }

  // Tells `channel` why it ends (a `system` error) and closes it (`phx_close`); the client
  // does not rejoin.
  void CloseChannel(Channel* channel, std::string_view message);
  // Ends `channel` after an internal failure (`phx_error`); the client rejoins it.
  void FailChannel(Channel* channel);

 private:
  void Handle(PhoenixMessage m, const std::optional<std::string>& raw_payload, int64_t now);
  void Join(PhoenixMessage& m, int64_t now);
  void Leave(const PhoenixMessage& m);
  void AccessToken(Channel* channel, const PhoenixMessage& m, int64_t now);
  void Broadcast(Channel* channel, const PhoenixMessage& m,
                 const std::optional<std::string>& raw_payload);
  void Presence(Channel* channel, const PhoenixMessage& m, int64_t now);
  void Reply(const PhoenixMessage& m, std::string_view status, std::string_view response_json);
  // `unmatched topic`: a message for a topic this socket has not joined.
  void ReplyUnmatched(const PhoenixMessage& m);
  void SystemFrame(const Channel& channel, std::string_view extension, std::string_view status,
                   std::string_view message);
  // Drops a channel: out of the Hub, presence untracked.
  void Drop(const std::string& topic);
  bool OverMessageRate(int64_t now);

  Hub& hub_;
  const Vsn vsn_;
  const storage::Principal principal_;
  Outbox& out_;
  std::map<std::string, std::unique_ptr<Channel>> channels_;  // by topic
  int64_t rate_second_ = 0;
  size_t rate_count_ = 0;
};

}  // namespace ib::realtime
