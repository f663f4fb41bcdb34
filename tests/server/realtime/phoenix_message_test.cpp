// The Phoenix codec: 2.0.0 arrays and 1.0.0 objects both ways, kind-3 binary pushes from the
// client and kind-4 user broadcasts to it, and nothing but nullopt for malformed frames.
#include "server/realtime/phoenix_message.h"

#include <doctest/doctest.h>

#include <string>

namespace ib::realtime {
namespace {

TEST_CASE("phoenix: vsn 2.0.0 text frames are arrays, 1.0.0 frames objects") {
  auto v2 = DecodeText(R"(["6","7","realtime:room1","phx_join",{"config":{}}])", Vsn::kV2);
  REQUIRE(v2);
  CHECK(v2->join_ref == "6");
  CHECK(v2->ref == "7");
  CHECK(v2->topic == "realtime:room1");
  CHECK(v2->event == "phx_join");
  CHECK(v2->payload.contains("config"));
  auto heartbeat = DecodeText(R"([null,"11","phoenix","heartbeat",{}])", Vsn::kV2);
  REQUIRE(heartbeat);
  CHECK_FALSE(heartbeat->join_ref);
  auto v1 =
      DecodeText(R"({"topic":"phoenix","event":"heartbeat","payload":{},"ref":"11"})", Vsn::kV1);
  REQUIRE(v1);
  CHECK(v1->ref == "11");
  CHECK_FALSE(v1->join_ref);
  CHECK(EncodeText(Vsn::kV2, std::nullopt, "11", "phoenix", "phx_reply",
                   R"({"status":"ok","response":{}})") ==
        R"([null,"11","phoenix","phx_reply",{"status":"ok","response":{}}])");
  CHECK(
      EncodeText(Vsn::kV1, "6", "11", "phoenix", "phx_reply", R"({"status":"ok","response":{}})") ==
      R"({"event":"phx_reply","payload":{"status":"ok","response":{}},"ref":"11","topic":"phoenix"})");
}

TEST_CASE("phoenix: malformed frames decode to nothing") {
  for (const char* frame :
       {"", "[", "not json", "[1,2,3]", R"([null,"1","t","e",[]])", R"([null,"1",5,"e",{}])",
        R"([null,"1","t","e",{},6])", R"({"topic":"t","event":"e","payload":[]})", "{}",
        R"([{"a":1},"1","t","e",{}])"}) {
    CAPTURE(frame);
    CHECK_FALSE(DecodeText(frame, Vsn::kV2));
  }
  CHECK_FALSE(DecodeText(R"(["6","7","t","e",{}])", Vsn::kV1));  // an array on a 1.0.0 socket
  CHECK_FALSE(DecodeText(std::string(100000, '['), Vsn::kV2));
}

TEST_CASE("phoenix: a kind-3 binary push is the broadcast push it encodes") {
  // Observed from realtime-js: ch.send({type:'broadcast', event:'ping', payload:{n:1,s:'é'}}).
  const std::string payload = "{\"n\":1,\"s\":\"\xc3\xa9\"}";
  std::string frame = std::string("\x03\x01\x01\x0e\x04\x00\x01", 7) + "6" + "7" +
                      "realtime:room1" + "ping" + payload;
  auto decoded = DecodeBinary(frame);
  REQUIRE(decoded);
  CHECK(decoded->message.join_ref == "6");
  CHECK(decoded->message.ref == "7");
  CHECK(decoded->message.topic == "realtime:room1");
  CHECK(decoded->message.event == "broadcast");
  CHECK(decoded->message.payload["event"] == "ping");
  CHECK(decoded->message.payload["payload"]["s"] == "\xc3\xa9");
  CHECK_FALSE(decoded->raw_payload);
  // Raw bytes (enc 0) are kept as they are.
  std::string raw =
      std::string("\x03\x00\x00\x01\x01\x00\x00", 7) + "t" + "e" + std::string("\x00\xff", 2);
  auto bytes = DecodeBinary(raw);
  REQUIRE(bytes);
  CHECK(*bytes->raw_payload == std::string("\x00\xff", 2));
  // Truncated, another kind, a bad encoding flag, bad JSON: nothing.
  CHECK_FALSE(DecodeBinary(frame.substr(0, 12)));
  CHECK_FALSE(DecodeBinary("\x04" + frame.substr(1)));
  CHECK_FALSE(DecodeBinary(std::string("\x03\x00\x00\x01\x01\x00\x02", 7) + "te"));
  CHECK_FALSE(DecodeBinary(std::string("\x03\x00\x00\x01\x01\x00\x01", 7) + "te{"));
  CHECK_FALSE(DecodeBinary(""));
  // Text fields must be UTF-8: they come back in JSON frames (an unmatched topic's reply).
  CHECK_FALSE(DecodeBinary(std::string("\x03\x00\x00\x02\x01\x00\x01", 7) + "t\xff" + "e" + "{}"));
  CHECK_FALSE(
      DecodeBinary(std::string("\x03\x01\x00\x01\x01\x00\x01", 7) + "\xc3" + "t" + "e" + "{}"));
}

TEST_CASE("phoenix: a kind-4 user broadcast carries topic, event and payload") {
  auto frame = EncodeUserBroadcast("realtime:room1", "ping", "{}", true);
  REQUIRE(frame);
  CHECK(*frame == std::string("\x04\x0e\x04\x00\x01", 5) + "realtime:room1" + "ping" + "{}");
  CHECK_FALSE(EncodeUserBroadcast(std::string(256, 't'), "e", "{}", true));
}

TEST_CASE("phoenix: vsn 1.x and 2.x are served, a missing vsn is 1.0.0, others are not") {
  CHECK(ParseVsn(std::nullopt) == Vsn::kV1);
  CHECK(ParseVsn("1.0.0") == Vsn::kV1);
  CHECK(ParseVsn("2.0.0") == Vsn::kV2);
  CHECK_FALSE(ParseVsn("3.0.0"));
  CHECK_FALSE(ParseVsn(""));
}

}  // namespace
}  // namespace ib::realtime
