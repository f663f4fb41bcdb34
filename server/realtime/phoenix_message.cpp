#include "server/realtime/phoenix_message.h"

#include <cstdint>

#include "storage/json_input.h"
#include "storage/json_text.h"
#include "storage/utf8.h"

namespace ib::realtime {
namespace {

// A ref as the client sent it: a string, a number (kept as its text) or null.
bool ReadRef(const nlohmann::json& value, std::optional<std::string>& out) {
  if (value.is_null()) {
    out.reset();
  } else if (value.is_string()) {
    out = value.get<std::string>();
  } else if (value.is_number_integer()) {
    out = value.dump();
  } else {
    return false;
  }
  return true;
}

bool Complete(PhoenixMessage& m, const nlohmann::json& topic, const nlohmann::json& event,
              nlohmann::json& payload) {
  if (!topic.is_string() || !event.is_string()) return false;
  if (payload.is_null()) payload = nlohmann::json::object();
  if (!payload.is_object()) return false;
  m.topic = topic.get<std::string>();
  m.event = event.get<std::string>();
  m.payload = std::move(payload);
  return true;
}

// Whether `s` is valid UTF-8 (the fields of a binary push are echoed in JSON text frames).
bool IsUtf8(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    const size_t n = storage::Utf8SequenceLength(s, i);
    if (n == 0) return false;
    i += n;
  }
  return true;
}

void AppendRef(std::string& out, const std::optional<std::string>& ref) {
  if (ref) {
    storage::AppendJsonString(out, *ref);
  } else {
    out += "null";
  }
}

}  // namespace

std::optional<Vsn> ParseVsn(std::optional<std::string_view> vsn) {
  if (!vsn) return Vsn::kV1;
  if (vsn->rfind("1.", 0) == 0) return Vsn::kV1;
  if (vsn->rfind("2.", 0) == 0) return Vsn::kV2;
  return std::nullopt;
}

std::optional<PhoenixMessage> DecodeText(std::string_view frame, Vsn vsn) {
  storage::ClientJson parsed = storage::ParseClientJson(frame);
  if (!parsed.ok()) return std::nullopt;
  nlohmann::json& doc = parsed.value;
  PhoenixMessage m;
  if (vsn == Vsn::kV2) {
    if (!doc.is_array() || doc.size() != 5) return std::nullopt;
    if (!ReadRef(doc[0], m.join_ref) || !ReadRef(doc[1], m.ref)) return std::nullopt;
    if (!Complete(m, doc[2], doc[3], doc[4])) return std::nullopt;
    return m;
  }
  if (!doc.is_object()) return std::nullopt;
  static const nlohmann::json kNull;
  auto field = [&](const char* name) -> const nlohmann::json& {
    auto it = doc.find(name);
    return it == doc.end() ? kNull : *it;
  };
  if (!ReadRef(field("join_ref"), m.join_ref) || !ReadRef(field("ref"), m.ref)) return std::nullopt;
  auto payload_it = doc.find("payload");
  nlohmann::json payload =
      payload_it == doc.end() ? nlohmann::json::object() : std::move(*payload_it);
  if (!Complete(m, field("topic"), field("event"), payload)) return std::nullopt;
  return m;
}

std::optional<DecodedBinary> DecodeBinary(std::string_view frame) {
  // u8 kind | u8 J | u8 R | u8 T | u8 E | u8 M | u8 enc | fields... | payload (to the end)
  constexpr size_t kHeader = 7;
  if (frame.size() < kHeader || static_cast<uint8_t>(frame[0]) != 3) return std::nullopt;
  const auto len = [&](size_t i) { return static_cast<size_t>(static_cast<uint8_t>(frame[i])); };
  const size_t join_len = len(1), ref_len = len(2), topic_len = len(3), event_len = len(4),
               meta_len = len(5);
  const uint8_t enc = static_cast<uint8_t>(frame[6]);
  const size_t fields = join_len + ref_len + topic_len + event_len + meta_len;
  if (enc > 1 || frame.size() < kHeader + fields) return std::nullopt;
  size_t at = kHeader;
  auto take = [&](size_t n) {
    std::string_view part = frame.substr(at, n);
    at += n;
    return std::string(part);
  };
  DecodedBinary out;
  PhoenixMessage& m = out.message;
  m.join_ref = take(join_len);
  m.ref = take(ref_len);
  m.topic = take(topic_len);
  std::string user_event = take(event_len);
  at += meta_len;  // metadata ({"persist":..}) is out of scope
  if (!IsUtf8(*m.join_ref) || !IsUtf8(*m.ref) || !IsUtf8(m.topic) || !IsUtf8(user_event)) {
    return std::nullopt;
  }
  std::string_view payload = frame.substr(at);
  m.event = "broadcast";
  m.payload = {{"type", "broadcast"}, {"event", user_event}};
  if (enc == 1) {
    storage::ClientJson parsed = storage::ParseClientJson(payload);
    if (!parsed.ok()) return std::nullopt;
    m.payload["payload"] = std::move(parsed.value);
  } else {
    m.payload["payload"] = nullptr;
    out.raw_payload = std::string(payload);
  }
  return out;
}

std::string EncodeText(Vsn vsn, const std::optional<std::string>& join_ref,
                       const std::optional<std::string>& ref, std::string_view topic,
                       std::string_view event, std::string_view payload_json) {
  std::string out;
  out.reserve(payload_json.size() + topic.size() + event.size() + 64);
  if (vsn == Vsn::kV2) {
    out += '[';
    AppendRef(out, join_ref);
    out += ',';
    AppendRef(out, ref);
    out += ',';
    storage::AppendJsonString(out, topic);
    out += ',';
    storage::AppendJsonString(out, event);
    out += ',';
    out += payload_json;
    out += ']';
    return out;
  }
  // Phoenix's V1 serializer drops join_ref.
  out += "{\"event\":";
  storage::AppendJsonString(out, event);
  out += ",\"payload\":";
  out += payload_json;
  out += ",\"ref\":";
  AppendRef(out, ref);
  out += ",\"topic\":";
  storage::AppendJsonString(out, topic);
  out += '}';
  return out;
}

std::optional<std::string> EncodeUserBroadcast(std::string_view topic, std::string_view event,
                                               std::string_view payload, bool json) {
  if (topic.size() > 255 || event.size() > 255) return std::nullopt;
  std::string out;
  out.reserve(5 + topic.size() + event.size() + payload.size());
  out += static_cast<char>(4);
  out += static_cast<char>(topic.size());
  out += static_cast<char>(event.size());
  out += static_cast<char>(0);  // no metadata
  out += static_cast<char>(json ? 1 : 0);
  out += topic;
  out += event;
  out += payload;
  return out;
}

}  // namespace ib::realtime
