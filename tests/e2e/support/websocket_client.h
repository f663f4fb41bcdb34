// WebSocketClient: a test client for /realtime/v1/websocket on Boost.Beast, with a deadline on
// every wait so a missing frame fails a test instead of hanging it. One outstanding read at a
// time: a read that timed out stays pending and the next Read() continues it.
#pragma once

#include <chrono>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace ib::e2e {

struct UpgradeOutcome {
  int status = 0;    // 101 when upgraded
  std::string body;  // the refusal's body
};

class WebSocketClient {
 public:
  // Connects to 127.0.0.1:`port` and upgrades with `query` ("apikey=...&vsn=2.0.0"). Throws
  // when the server does not answer 101.
  WebSocketClient(int port, const std::string& query);
  ~WebSocketClient();
  WebSocketClient(const WebSocketClient&) = delete;
  WebSocketClient& operator=(const WebSocketClient&) = delete;

  // The answer to an upgrade with `query`, without keeping the socket.
  static UpgradeOutcome Upgrade(int port, const std::string& query);

  void SendText(const std::string& frame);
  void SendBinary(const std::string& frame);
  // The next message (text or binary); nullopt when none came within `wait`. Throws when the
  // connection ended (see closed()).
  std::optional<std::string> Read(std::chrono::milliseconds wait = std::chrono::seconds(5));
  // The next text message as JSON; fails the wait with an exception when none comes.
  nlohmann::json ReadJson(std::chrono::milliseconds wait = std::chrono::seconds(5));
  // Waits up to `wait` for the server to end the connection, discarding messages.
  bool WaitClosed(std::chrono::milliseconds wait);
  bool last_was_binary() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace ib::e2e
