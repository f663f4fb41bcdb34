// Phoenix messages as realtime-js speaks them: `(join_ref, ref, topic, event, payload)`.
// Serializer 2.0.0 sends text frames as JSON arrays and user broadcasts as binary frames
// (kind 3 from the client, kind 4 to it); 1.0.0 sends JSON objects and never binary. Decoding
// returns nullopt for anything malformed (the socket logs it and stays open). Encoding takes
// the payload as ready JSON text, so a change rendered once goes to many sockets. Pure.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace ib::realtime {

enum class Vsn { kV1, kV2 };

// From the `vsn` query parameter: "1.x.y" -> kV1, "2.x.y" -> kV2, absent -> kV1; else nullopt.
std::optional<Vsn> ParseVsn(std::optional<std::string_view> vsn);

struct PhoenixMessage {
  std::optional<std::string> join_ref;
  std::optional<std::string> ref;
  std::string topic;
  std::string event;
  nlohmann::json payload = nlohmann::json::object();  // always an object
};

// A text frame in the socket's serializer. Refs may be strings or numbers (kept as text).
std::optional<PhoenixMessage> DecodeText(std::string_view frame, Vsn vsn);
// A binary frame: only kind 3 (user broadcast push, 2.0.0; its text fields valid UTF-8),
// turned into the equivalent
// `broadcast` push {"type":"broadcast","event":..,"payload":..}. A raw-bytes payload (enc 0)
// is kept as the string in `raw_payload` and the payload's "payload" is null.
struct DecodedBinary {
  PhoenixMessage message;
  std::optional<std::string> raw_payload;
};
std::optional<DecodedBinary> DecodeBinary(std::string_view frame);

// A text frame. `payload_json` must be the JSON text of an object.
std::string EncodeText(Vsn vsn, const std::optional<std::string>& join_ref,
                       const std::optional<std::string>& ref, std::string_view topic,
                       std::string_view event, std::string_view payload_json);
// A kind-4 binary frame (2.0.0 only): a user broadcast with a JSON payload (`json` true) or raw
// bytes. nullopt when topic or event exceeds 255 bytes (the format's one-byte lengths).
std::optional<std::string> EncodeUserBroadcast(std::string_view topic, std::string_view event,
                                               std::string_view payload, bool json);

}  // namespace ib::realtime
