#include "server/realtime/socket_session.h"

#include <openssl/rand.h>

#include <algorithm>
#include <cctype>
#include <cstdio>

#include "server/realtime/realtime_token.h"
#include "storage/db.h"
#include "storage/json_text.h"

namespace ib::realtime {
namespace {

constexpr std::string_view kTopicPrefix = "realtime:";

// A config flag: true/false, or the strings "true"/"false"; anything else is `fallback`.
bool Flag(const nlohmann::json& object, const char* name, bool fallback) {
  if (!object.is_object()) return fallback;
  auto it = object.find(name);
  if (it == object.end()) return fallback;
  if (it->is_boolean()) return it->get<bool>();
  if (it->is_string()) {
    if (*it == "true") return true;
    if (*it == "false") return false;
  }
  return fallback;
}

const nlohmann::json& Member(const nlohmann::json& object, const char* name) {
  static const nlohmann::json kNull;
  if (!object.is_object()) return kNull;
  auto it = object.find(name);
  return it == object.end() ? kNull : *it;
}

std::string Upper(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return text;
}

// A random UUID (version 4), the presence key of a channel that gave none.
std::string NewUuid() {
  unsigned char b[16];
  RAND_bytes(b, sizeof b);
  b[6] = static_cast<unsigned char>((b[6] & 0x0F) | 0x40);
  b[8] = static_cast<unsigned char>((b[8] & 0x3F) | 0x80);
  char text[37];
  std::snprintf(text, sizeof text,
                "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0], b[1],
                b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14],
                b[15]);
  return text;
}

std::string ReasonJson(std::string_view reason) {
  std::string out = "{\"reason\":";
  storage::AppendJsonString(out, reason);
  return out + "}";
}

// Why a binding cannot be served, as Realtime words it ("" when it can). Sets its table and
// filter.
std::string ReadBinding(const nlohmann::json& spec, const storage::Catalog& catalog,
                        Binding& binding) {
  auto unable = [&spec] {
    return "Unable to subscribe to changes with given parameters. Please check Realtime is "
           "enabled for the given connect parameters: [" +
           spec.dump() + "]";
  };
  if (!spec.is_object()) return unable();
  const nlohmann::json& event = Member(spec, "event");
  std::string upper = event.is_string() ? Upper(event.get<std::string>()) : "*";
  binding.event = (upper == "INSERT" || upper == "UPDATE" || upper == "DELETE") ? upper : "*";
  const nlohmann::json& schema = Member(spec, "schema");
  if (!schema.is_null() && schema != "public" && schema != "*") return unable();
  const nlohmann::json& table = Member(spec, "table");
  if (!table.is_null() && table != "*") {
    if (!table.is_string()) return unable();
    binding.table = catalog.FindExposedTable(table.get<std::string>());
    if (binding.table == nullptr) return unable();
  }
  const nlohmann::json& filter = Member(spec, "filter");
  if (filter.is_null()) return "";
  if (!filter.is_string()) return unable();
  const std::string text = filter.get<std::string>();
  if (text.find_first_not_of(" \t") == std::string::npos) return "";
  if (binding.table == nullptr) return unable();  // a filter names a column of one table
  auto parsed = ChangeFilter::Parse(text, *binding.table);
  if (auto* error = std::get_if<FilterError>(&parsed)) return error->message;
  binding.filter = std::move(std::get<ChangeFilter>(parsed));
  return "";
}

}  // namespace

SocketSession::SocketSession(Hub& hub, Vsn vsn, storage::Principal principal, Outbox& out)
    : hub_(hub), vsn_(vsn), principal_(std::move(principal)), out_(out) {}

// NOLINTNEXTLINE(bugprone-exception-escape): ending the process is the outcome (the header).
SocketSession::~SocketSession() {
  for (auto& [topic, channel] : channels_) {
    hub_.Untrack(channel.get());
    hub_.Remove(channel.get());
  }
}

void SocketSession::OnText(std::string_view frame, int64_t now) {
  std::optional<PhoenixMessage> m = DecodeText(frame, vsn_);
  if (m) Handle(std::move(*m), std::nullopt, now);
}

void SocketSession::OnBinary(std::string_view frame, int64_t now) {
  if (vsn_ != Vsn::kV2) return;
  std::optional<DecodedBinary> d = DecodeBinary(frame);
  if (d) Handle(std::move(d->message), d->raw_payload, now);
}

void SocketSession::Send(const std::optional<std::string>& join_ref,
                         const std::optional<std::string>& ref, std::string_view topic,
                         std::string_view event, std::string_view payload_json) {
  out_.SendText(EncodeText(vsn_, join_ref, ref, topic, event, payload_json));
}

void SocketSession::Reply(const PhoenixMessage& m, std::string_view status,
                          std::string_view response_json) {
  std::string payload = "{\"status\":";
  storage::AppendJsonString(payload, status);
  payload += ",\"response\":";
  payload += response_json;
  payload += '}';
  Send(m.join_ref, m.ref, m.topic, "phx_reply", payload);
}

void SocketSession::ReplyUnmatched(const PhoenixMessage& m) {
  // Phoenix answers a topic with no channel outside any join: the reply's join_ref is null.
  PhoenixMessage unmatched = m;
  unmatched.join_ref.reset();
  Reply(unmatched, "error", ReasonJson("unmatched topic"));
}

void SocketSession::SystemFrame(const Channel& channel, std::string_view extension,
                                std::string_view status, std::string_view message) {
  std::string payload = "{\"extension\":";
  storage::AppendJsonString(payload, extension);
  payload += ",\"status\":";
  storage::AppendJsonString(payload, status);
  payload += ",\"message\":";
  storage::AppendJsonString(payload, message);
  payload += ",\"channel\":";
  storage::AppendJsonString(payload, channel.sub_topic);
  payload += '}';
  Send(channel.join_ref, std::nullopt, channel.topic, "system", payload);
}

bool SocketSession::OverMessageRate(int64_t now) {
  if (now != rate_second_) {
    rate_second_ = now;
    rate_count_ = 0;
  }
  return ++rate_count_ > hub_.limits().messages_per_second;
}

void SocketSession::Handle(PhoenixMessage m, const std::optional<std::string>& raw_payload,
                           int64_t now) {
  if (m.topic == "phoenix") {
    if (m.event == "heartbeat") Reply(m, "ok", "{}");
    return;
  }
  auto it = channels_.find(m.topic);
  Channel* channel = it == channels_.end() ? nullptr : it->second.get();
  if (OverMessageRate(now)) {
    if (channel) CloseChannel(channel, "Too many messages per second");
    return;
  }
  if (m.event == "phx_join") {
    Join(m, now);
    return;
  }
  if (channel == nullptr) {
    if (m.event == "phx_leave") {
      Reply(m, "ok", "{}");
    } else {
      ReplyUnmatched(m);
    }
    return;
  }
  if (m.event == "phx_leave") {
    Leave(m);
  } else if (m.event == "access_token") {
    AccessToken(channel, m, now);
  } else if (m.event == "broadcast") {
    Broadcast(channel, m, raw_payload);
  } else if (m.event == "presence") {
    Presence(channel, m, now);
  }
  // Any other event on a joined channel is ignored without a reply, as Realtime does.
}

void SocketSession::Join(PhoenixMessage& m, int64_t now) {
  if (m.topic.compare(0, kTopicPrefix.size(), kTopicPrefix) != 0) {
    ReplyUnmatched(m);
    return;
  }
  std::string sub_topic = m.topic.substr(kTopicPrefix.size());
  if (sub_topic.empty()) {
    Reply(m, "error", ReasonJson("TopicNameRequired: You must provide a topic name"));
    return;
  }
  if (auto old = channels_.find(m.topic); old != channels_.end()) {
    // A rejoin (after a timeout, say): the old channel ends, the new join proceeds.
    const std::string old_ref = old->second->join_ref;
    Send(old_ref, old_ref, m.topic, "phx_close", "{}");
    Drop(m.topic);
  }
  if (channels_.size() >= hub_.limits().channels_per_socket) {
    Reply(m, "error", ReasonJson("ChannelRateLimitReached: Too many channels"));
    return;
  }
  auto channel = std::make_unique<Channel>();
  channel->socket = this;
  channel->topic = m.topic;
  channel->sub_topic = sub_topic;
  channel->join_ref = m.join_ref.value_or(m.ref.value_or(""));
  const nlohmann::json& token = Member(m.payload, "access_token");
  if (token.is_string()) {
    TokenCheck check = CheckToken(token.get<std::string>(), hub_.secret(), now);
    if (!check.ok()) {
      Reply(m, "error", ReasonJson(check.reason()));
      return;
    }
    channel->principal = std::move(*check.principal);
    channel->expires_at = check.expires_at;
    channel->token = token.get<std::string>();
  } else {
    channel->principal = principal_;
    auto exp =
        principal_.claims.is_object() ? principal_.claims.find("exp") : principal_.claims.end();
    if (principal_.claims.is_object() && exp != principal_.claims.end() && exp->is_number())
      channel->expires_at = exp->get<int64_t>();
  }
  const nlohmann::json& config = Member(m.payload, "config");
  const nlohmann::json& broadcast = Member(config, "broadcast");
  channel->broadcast_self = Flag(broadcast, "self", false);
  channel->broadcast_ack = Flag(broadcast, "ack", false);
  const nlohmann::json& presence = Member(config, "presence");
  channel->presence_enabled = Flag(presence, "enabled", false);
  const nlohmann::json& key = Member(presence, "key");
  channel->presence_key =
      key.is_string() && !key.get<std::string>().empty() ? key.get<std::string>() : NewUuid();
  if (Flag(config, "private", false) && channel->principal.is_anon()) {
    Reply(m, "error",
          ReasonJson("Unauthorized: You do not have permissions to read from this Channel topic: " +
                     sub_topic));
    return;
  }
  // Every binding is echoed with its id, in order; one that cannot be served stays in the
  // reply (the client matches by position) and the channel is told why.
  nlohmann::json echoed = nlohmann::json::array();
  std::vector<std::string> refusals;
  const nlohmann::json& specs = Member(config, "postgres_changes");
  if (specs.is_array()) {
    const storage::Catalog& catalog = hub_.db().catalog();
    for (const nlohmann::json& spec : specs) {
      Binding binding;
      binding.id = hub_.NextBindingId();
      std::string refusal = channel->bindings.size() >= hub_.limits().bindings_per_channel
                                ? "Too many postgres_changes bindings on one channel"
                                : ReadBinding(spec, catalog, binding);
      if (!refusal.empty()) {
        binding.active = false;
        refusals.push_back(std::move(refusal));
      }
      nlohmann::json entry = spec.is_object() ? spec : nlohmann::json::object();
      entry["id"] = binding.id;
      echoed.push_back(std::move(entry));
      channel->bindings.push_back(std::move(binding));
    }
  }
  // Changes committed from here on are delivered: the subscription is live before the reply (the
  // writer captures its tables from the next transaction it begins: storage/change_log.h).
  channel->after_sequence = hub_.db().changes().last_sequence();
  Channel* joined = channel.get();
  channels_.emplace(m.topic, std::move(channel));
  hub_.Add(joined);
  Reply(m, "ok", "{\"postgres_changes\":" + echoed.dump() + "}");
  if (refusals.size() < joined->bindings.size()) {
    SystemFrame(*joined, "postgres_changes", "ok", "Subscribed to PostgreSQL");
  }
  for (const std::string& refusal : refusals) {
    SystemFrame(*joined, "postgres_changes", "error", refusal);
  }
  if (joined->presence_enabled) {
    Send(joined->join_ref, std::nullopt, joined->topic, "presence_state",
         hub_.PresenceState(joined->topic));
  }
}

void SocketSession::Leave(const PhoenixMessage& m) {
  Reply(m, "ok", "{}");
  auto it = channels_.find(m.topic);
  if (it == channels_.end()) return;
  const std::string join_ref = it->second->join_ref;
  Send(join_ref, join_ref, m.topic, "phx_close", "{}");
  Drop(m.topic);
}

void SocketSession::AccessToken(Channel* channel, const PhoenixMessage& m, int64_t now) {
  const nlohmann::json& token = Member(m.payload, "access_token");
  if (!token.is_string()) return;
  const std::string text = token.get<std::string>();
  // The same token, or an opaque key: nothing changes.
  if (text == channel->token || text.rfind("sb_", 0) == 0) return;
  TokenCheck check = CheckToken(text, hub_.secret(), now);
  if (!check.ok()) {
    CloseChannel(channel, check.message);
    return;
  }
  channel->principal = std::move(*check.principal);
  channel->expires_at = check.expires_at;
  channel->token = text;
}

void SocketSession::Broadcast(Channel* channel, const PhoenixMessage& m,
                              const std::optional<std::string>& raw_payload) {
  const nlohmann::json& event = Member(m.payload, "event");
  if (!event.is_string()) return;
  BroadcastMessage message;
  message.event = event.get<std::string>();
  if (raw_payload) {
    message.raw = true;
    message.payload = *raw_payload;
  } else {
    const nlohmann::json& payload = Member(m.payload, "payload");
    message.payload = payload.is_null() ? "{}" : payload.dump();
  }
  if (message.payload.size() > hub_.limits().max_payload_bytes) {
    if (channel->broadcast_ack) Reply(m, "error", "\"payload_size_exceeded\"");
    return;
  }
  hub_.Broadcast(channel->topic, message, channel);
  if (channel->broadcast_ack) Reply(m, "ok", "{}");
}

void SocketSession::Presence(Channel* channel, const PhoenixMessage& m, int64_t now) {
  const RealtimeLimits& limits = hub_.limits();
  auto& calls = channel->presence_calls;
  const int64_t window = limits.presence_window.count();
  calls.erase(
      std::remove_if(calls.begin(), calls.end(), [&](int64_t at) { return at <= now - window; }),
      calls.end());
  if (calls.size() >= limits.presence_calls_per_window) {
    CloseChannel(channel, "Client presence rate limit exceeded");
    return;
  }
  calls.push_back(now);
  const nlohmann::json& event = Member(m.payload, "event");
  if (event == "untrack") {
    Reply(m, "ok", "{}");
    hub_.Untrack(channel);
    return;
  }
  if (event != "track") return;
  const nlohmann::json& payload = Member(m.payload, "payload");
  if (!payload.is_object()) {
    Reply(m, "error", ReasonJson("Presence track payload must be a map"));
    return;
  }
  // Tracked payloads stay in memory while their channel lives: one is bounded, and so are what
  // one socket and the whole process hold.
  const size_t bytes = payload.dump().size();
  size_t socket_bytes = bytes;
  for (const auto& [topic, other] : channels_) {
    if (other.get() != channel) socket_bytes += other->tracked_bytes;
  }
  if (bytes > limits.max_payload_bytes || socket_bytes > limits.presence_bytes_per_socket ||
      hub_.presence_bytes() - channel->tracked_bytes + bytes > limits.presence_bytes_total) {
    CloseChannel(channel, "Track message size exceeded");
    return;
  }
  Reply(m, "ok", "{}");
  hub_.Track(channel, payload, bytes);
}

void SocketSession::CloseChannel(Channel* channel, std::string_view message) {
  SystemFrame(*channel, "system", "error", message);
  const std::string topic = channel->topic;
  Send(channel->join_ref, channel->join_ref, topic, "phx_close", "{}");
  Drop(topic);
}

void SocketSession::FailChannel(Channel* channel) {
  const std::string topic = channel->topic;
  Send(channel->join_ref, channel->join_ref, topic, "phx_error", R"({"reason":"channel_crash"})");
  Drop(topic);
}

void SocketSession::Drop(const std::string& topic) {
  auto it = channels_.find(topic);
  if (it == channels_.end()) return;
  hub_.Untrack(it->second.get());
  hub_.Remove(it->second.get());
  channels_.erase(it);
}

}  // namespace ib::realtime
