// Realtime through the real binary: the upgrade's key and version checks (refused before any
// 101), frames that are ignored or end the socket, a slow reader closed without holding back
// anyone else, guarded postgres_changes from REST writes, and the REST broadcast endpoints.
#include <doctest/doctest.h>

#include <chrono>
#include <exception>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "server/auth/jwt.h"
#include "tests/e2e/support/raw_http.h"
#include "tests/e2e/support/server_process.h"
#include "tests/e2e/support/websocket_client.h"

namespace ib::e2e {
namespace {

using nlohmann::json;

std::string Query(const std::string& key, const std::string& vsn = "2.0.0") {
  return "apikey=" + key + "&vsn=" + vsn;
}

// Joins `topic` and returns the join reply.
json Join(WebSocketClient& ws, const std::string& topic, const json& config,
          const std::string& token = "") {
  json payload{{"config", config}};
  if (!token.empty()) payload["access_token"] = token;
  ws.SendText(json::array({"1", "1", topic, "phx_join", payload}).dump());
  return ws.ReadJson();
}

TEST_CASE("realtime: the upgrade needs a good apikey and a known vsn before any 101") {
  ServerProcess server;
  UpgradeOutcome missing = WebSocketClient::Upgrade(server.port(), "vsn=2.0.0");
  CHECK(missing.status == 401);
  CHECK(missing.body == R"({"error":"API key is missing"})");
  const std::string other_secret =
      auth::SignHs256({{"role", "anon"}, {"exp", 4102444800}}, "another-secret-another-secret");
  UpgradeOutcome forged = WebSocketClient::Upgrade(server.port(), Query(other_secret));
  CHECK(forged.status == 401);
  CHECK(forged.body == R"({"error":"Failed to validate JWT signature"})");
  UpgradeOutcome expired =
      WebSocketClient::Upgrade(server.port(), Query(ServerProcess::Token("anon", "", -10)));
  CHECK(expired.status == 401);
  CHECK(json::parse(expired.body)["error"].get<std::string>().rfind("Token has expired", 0) == 0);
  CHECK(WebSocketClient::Upgrade(server.port(), Query("garbage")).status == 401);
  CHECK(WebSocketClient::Upgrade(server.port(), Query(server.anon_key(), "3.0.0")).status == 403);
  // The positive control, for both serializers.
  CHECK(WebSocketClient::Upgrade(server.port(), Query(server.anon_key())).status == 101);
  CHECK(WebSocketClient::Upgrade(server.port(), Query(server.anon_key(), "1.0.0")).status == 101);
  // Without the upgrade headers the path is an ordinary (unknown) route.
  CHECK(server.Send("GET", "/realtime/v1/websocket?" + Query(server.anon_key()), "").status == 404);
}

TEST_CASE("realtime: heartbeats in both serializers, and bad frames are ignored, not fatal") {
  ServerProcess server;
  WebSocketClient v2(server.port(), Query(server.anon_key()));
  v2.SendText("this is not json");
  v2.SendText(R"([1,2,3])");
  v2.SendText(R"({"topic":"phoenix","event":"heartbeat"})");  // an object on a 2.0.0 socket
  v2.SendBinary(std::string("\x07\x00\x01", 3));              // an unknown binary kind
  v2.SendBinary(std::string("\x03\x05\x05", 3));              // a truncated kind 3
  v2.SendText(R"([null,"11","phoenix","heartbeat",{}])");
  CHECK(v2.ReadJson() ==
        json::parse(R"([null,"11","phoenix","phx_reply",{"status":"ok","response":{}}])"));

  WebSocketClient v1(server.port(), Query(server.anon_key(), "1.0.0"));
  v1.SendText(R"({"topic":"phoenix","event":"heartbeat","payload":{},"ref":"11"})");
  CHECK(
      v1.ReadJson() ==
      json::parse(
          R"({"event":"phx_reply","payload":{"status":"ok","response":{}},"ref":"11","topic":"phoenix"})"));
  v1.SendBinary(std::string("\x03\x00\x00\x01\x01\x00\x01tex", 10));  // 1.0.0 never takes binary
  v1.SendText(R"({"topic":"realtime:r","event":"broadcast","payload":{},"ref":"12"})");
  CHECK(v1.ReadJson()["payload"]["response"]["reason"] == "unmatched topic");
}

TEST_CASE("realtime: a message over the frame limit ends that socket only") {
  ServerProcess server;
  WebSocketClient big(server.port(), Query(server.anon_key()));
  WebSocketClient other(server.port(), Query(server.anon_key()));
  big.SendText(R"([null,"1","phoenix","heartbeat",{}])");
  CHECK(big.ReadJson()[4]["status"] == "ok");
  // The server may end the socket before the whole message is written (it refuses it from the
  // frame's header): a write that fails with a broken pipe is then that end, not an error.
  try {
    big.SendText("[null,\"2\",\"phoenix\",\"heartbeat\",{\"x\":\"" + std::string(5'100'000, 'a') +
                 "\"}]");
  } catch (const std::exception& e) {  // Beast reports it as a boost::system::system_error
    MESSAGE("the send ended with: " << e.what());
  }
  CHECK(big.WaitClosed(std::chrono::seconds(10)));
  other.SendText(R"([null,"3","phoenix","heartbeat",{}])");
  CHECK(other.ReadJson()[4]["status"] == "ok");
}

TEST_CASE("realtime: a reader too slow for its traffic is closed while the others keep receiving") {
  ServerProcess server;
  WebSocketClient fast(server.port(), Query(server.anon_key()));
  WebSocketClient slow(server.port(), Query(server.anon_key()));
  CHECK(Join(fast, "realtime:flood", json::object())[4]["status"] == "ok");
  CHECK(Join(slow, "realtime:flood", json::object())[4]["status"] == "ok");
  // 40 MB of broadcasts through REST: far past the slow socket's send queue and what the
  // kernel buffers for it; it reads nothing meanwhile. The fast one reads each message before
  // the next is sent, so only the slow one falls behind, however loaded the machine is.
  const std::string payload = R"({"blob":")" + std::string(200'000, 'x') + R"("})";
  constexpr int kMessages = 200;
  int received = 0;
  for (int i = 0; i < kMessages; ++i) {
    Reply r = server.Send("POST", "/realtime/v1/api/broadcast/flood/events/e" + std::to_string(i),
                          server.anon_key(), payload);
    REQUIRE(r.status == 202);
    if (!fast.Read(std::chrono::seconds(20))) break;
    ++received;
  }
  CHECK(received == kMessages);
  // The slow socket was closed: after what was already in flight, the connection ends.
  CHECK(slow.WaitClosed(std::chrono::seconds(20)));
  // The server still serves REST and new sockets.
  CHECK(server.Send("GET", "/rest/v1/leaderboard?select=id", server.anon_key()).status == 200);
  WebSocketClient again(server.port(), Query(server.anon_key()));
  CHECK(Join(again, "realtime:flood", json::object())[4]["status"] == "ok");
}

TEST_CASE("realtime: postgres_changes from a REST insert reach the owner only") {
  ServerProcess server;
  const std::string u1 = server.CreateUser("u1@example.com");
  const std::string u2 = server.CreateUser("u2@example.com");
  const std::string t1 = ServerProcess::Token("authenticated", u1);
  const std::string t2 = ServerProcess::Token("authenticated", u2);
  const json bindings =
      json::array({{{"event", "*"}, {"schema", "public"}, {"table", "practice_attempts"}},
                   {{"event", "INSERT"},
                    {"schema", "public"},
                    {"table", "practice_attempts"},
                    {"filter", "score=gt.50"}}});
  WebSocketClient one(server.port(), Query(server.anon_key()));
  WebSocketClient two(server.port(), Query(server.anon_key()));
  json reply = Join(one, "realtime:mine", {{"postgres_changes", bindings}}, t1);
  REQUIRE(reply[4]["status"] == "ok");
  const json ids = json::array({reply[4]["response"]["postgres_changes"][0]["id"],
                                reply[4]["response"]["postgres_changes"][1]["id"]});
  CHECK(one.ReadJson()[4]["message"] == "Subscribed to PostgreSQL");
  REQUIRE(Join(two, "realtime:mine", {{"postgres_changes", bindings}}, t2)[4]["status"] == "ok");
  two.ReadJson();

  Reply low = server.Send("POST", "/rest/v1/practice_attempts", t1,
                          json{{"user_id", u1}, {"score", 40}}.dump());
  REQUIRE(low.status == 201);
  Reply high = server.Send("POST", "/rest/v1/practice_attempts", t1,
                           json{{"user_id", u1}, {"score", 90.5}}.dump(),
                           {{"Prefer", "return=representation"}});
  REQUIRE(high.status == 201);
  json first = one.ReadJson();
  CHECK(first[3] == "postgres_changes");
  CHECK(first[4]["ids"] == json::array({ids[0]}));  // 40 is not > 50
  json second = one.ReadJson();
  CHECK(second[4]["ids"] == ids);
  CHECK(second[4]["data"]["record"] == high.json()[0]);  // the REST representation
  CHECK(std::string(second[4]["data"]["commit_timestamp"]).size() == 24);
  // A rolled-back write (a constraint refuses it) sends nothing; the next change arrives.
  CHECK(server
            .Send("POST", "/rest/v1/practice_attempts", t1,
                  json{{"user_id", u1}, {"score", 40}, {"attempt_number", "x"}}.dump())
            .status == 400);
  CHECK(server.Send("DELETE", "/rest/v1/practice_attempts?score=eq.40", t1).status == 204);
  json deleted = one.ReadJson();
  CHECK(deleted[4]["data"]["type"] == "DELETE");
  CHECK(deleted[4]["ids"] == json::array({ids[0]}));
  // The other user heard nothing of it.
  CHECK_FALSE(two.Read(std::chrono::milliseconds(300)));
}

TEST_CASE("realtime: REST broadcast needs a good bearer, JSON or bytes, and a bounded size") {
  ServerProcess server;
  WebSocketClient ws(server.port(), Query(server.anon_key()));
  REQUIRE(Join(ws, "realtime:room", json::object())[4]["status"] == "ok");
  Reply sent = server.Send("POST", "/realtime/v1/api/broadcast/room/events/ping", server.anon_key(),
                           R"({"x":1})");
  CHECK(sent.status == 202);
  CHECK(sent.body.empty());
  CHECK(
      ws.ReadJson() ==
      json::parse(
          R"([null,null,"realtime:room","broadcast",{"type":"broadcast","event":"ping","payload":{"x":1}}])"));
  // A sub-topic and an event holding '/', ' ' and '%' arrive encoded, and are decoded once.
  WebSocketClient odd(server.port(), Query(server.anon_key()));
  REQUIRE(Join(odd, "realtime:a b/c%", json::object())[4]["status"] == "ok");
  CHECK(server
            .Send("POST", "/realtime/v1/api/broadcast/a%20b%2Fc%25/events/x%2Fy%2520",
                  server.anon_key(), "{}")
            .status == 202);
  json odd_frame = odd.ReadJson();
  CHECK(odd_frame[2] == "realtime:a b/c%");
  CHECK(odd_frame[4]["event"] == "x/y%20");
  Reply batch = server.Send("POST", "/realtime/v1/api/broadcast", server.anon_key(),
                            R"({"messages":[{"topic":"room","event":"e2","payload":{"y":2}}]})");
  CHECK(batch.status == 202);
  CHECK(ws.ReadJson()[4]["event"] == "e2");

  const std::string bad = ServerProcess::Token("anon", "", -5);
  Reply refused = server.Send("POST", "/realtime/v1/api/broadcast/room/events/ping", bad, "{}",
                              {{"apikey", bad}});
  CHECK(refused.status == 401);
  CHECK(refused.json() == json::parse(R"({"message":"Unauthorized"})"));
  CHECK(server
            .Send("POST", "/realtime/v1/api/broadcast/room/events/ping", server.anon_key(), "x",
                  {{"Content-Type", "text/plain"}})
            .status == 415);
  CHECK(server.Send("POST", "/realtime/v1/api/broadcast", server.anon_key(), R"({"messages":3})")
            .status == 422);
  const std::string huge = R"({"b":")" + std::string(3'100'000, 'x') + R"("})";
  CHECK(server.Send("POST", "/realtime/v1/api/broadcast/room/events/big", server.anon_key(), huge)
            .status == 422);
  // Nothing refused was delivered: the next message is the next one sent.
  CHECK(server.Send("POST", "/realtime/v1/api/broadcast/room/events/last", server.anon_key(), "{}")
            .status == 202);
  CHECK(ws.ReadJson()[4]["event"] == "last");
}

TEST_CASE("realtime: the server stops cleanly with sockets open") {
  ServerProcess server;
  WebSocketClient ws(server.port(), Query(server.anon_key()));
  REQUIRE(Join(ws, "realtime:room", json::object())[4]["status"] == "ok");
  CHECK(server.Stop() == 0);
  CHECK(ws.WaitClosed(std::chrono::seconds(5)));
}

}  // namespace
}  // namespace ib::e2e

namespace ib::e2e {
namespace {

// True once an upgrade is answered 101, trying every 100 ms for 5 s: the server gives a closed
// socket's place back only once it has seen the close.
bool UpgradedWithinFiveSeconds(int port, const std::string& query) {
  for (int i = 0; i < 50; ++i) {
    if (WebSocketClient::Upgrade(port, query).status == 101) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return false;
}

TEST_CASE("realtime: past --realtime-max-sockets the upgrade gets 429 until a socket closes") {
  ServerProcess server({"--realtime-max-sockets", "2"});
  const std::string query = "apikey=" + server.anon_key() + "&vsn=2.0.0";
  auto first = std::make_unique<WebSocketClient>(server.port(), query);
  WebSocketClient second(server.port(), query);
  UpgradeOutcome third = WebSocketClient::Upgrade(server.port(), query);
  CHECK(third.status == 429);
  CHECK(third.body == R"({"error":"Too many connected users"})");
  first.reset();  // closes its socket; the server counts it gone once it sees the close
  CHECK(UpgradedWithinFiveSeconds(server.port(), query));
}

TEST_CASE("realtime: WebSockets count against --max-connections-per-ip until they close") {
  ServerProcess server({"--max-connections-per-ip", "3"});
  const std::string query = Query(server.anon_key());
  std::vector<std::unique_ptr<WebSocketClient>> sockets;
  for (int i = 0; i < 3; ++i) {
    sockets.push_back(std::make_unique<WebSocketClient>(server.port(), query));
  }
  // The address holds its three places with sockets that left HTTP: one more upgrade and one
  // more plain request are refused.
  CHECK(WebSocketClient::Upgrade(server.port(), query).status == 429);
  CHECK(SendFrom("127.0.0.1", server.port(), "GET", "/health", {}).status == 429);
  // Another address is not affected, and the open sockets still work.
  CHECK(SendFrom("127.0.0.2", server.port(), "GET", "/health", {}).status == 200);
  sockets.front()->SendText(R"([null,"11","phoenix","heartbeat",{}])");
  CHECK(sockets.front()->ReadJson()[3] == "phx_reply");
  // Closing one gives its place back once the server has seen the close.
  sockets.pop_back();
  CHECK(UpgradedWithinFiveSeconds(server.port(), query));
}

TEST_CASE("realtime: a silent socket is closed after the idle timeout, a heartbeating one is not") {
  ServerProcess server({"--realtime-idle-timeout", "2"});
  const std::string query = "apikey=" + server.anon_key() + "&vsn=2.0.0";
  WebSocketClient silent(server.port(), query);
  WebSocketClient beating(server.port(), query);
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < 8; ++i) {
    beating.SendText(R"([null,"1","phoenix","heartbeat",{}])");
    CHECK(beating.ReadJson()[4]["status"] == "ok");
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }
  CHECK(std::chrono::steady_clock::now() - start >= std::chrono::seconds(4));
  CHECK(silent.WaitClosed(std::chrono::seconds(1)));
  beating.SendText(R"([null,"2","phoenix","heartbeat",{}])");
  CHECK(beating.ReadJson()[4]["status"] == "ok");
}

}  // namespace
}  // namespace ib::e2e
