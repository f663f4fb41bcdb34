#include "tests/e2e/support/websocket_client.h"

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <stdexcept>

namespace ib::e2e {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;

}  // namespace

struct WebSocketClient::Impl {
  asio::io_context io;
  websocket::stream<tcp::socket> ws{io};
  beast::flat_buffer buffer;
  bool reading = false;
  bool done = false;  // the pending read completed
  beast::error_code error;
  bool closed = false;
  bool binary = false;

  void Connect(int port) {
    ws.next_layer().connect(
        tcp::endpoint(asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port)));
  }
};

WebSocketClient::WebSocketClient(int port, const std::string& query)
    : impl_(std::make_unique<Impl>()) {
  impl_->Connect(port);
  websocket::response_type response;
  beast::error_code ec;
  impl_->ws.handshake(response, "127.0.0.1", "/realtime/v1/websocket?" + query, ec);
  if (ec) {
    throw std::runtime_error("upgrade refused: " + std::to_string(response.result_int()) + " " +
                             ec.message());
  }
}

WebSocketClient::~WebSocketClient() = default;

UpgradeOutcome WebSocketClient::Upgrade(int port, const std::string& query) {
  Impl impl;
  impl.Connect(port);
  websocket::response_type response;
  beast::error_code ec;
  impl.ws.handshake(response, "127.0.0.1", "/realtime/v1/websocket?" + query, ec);
  return UpgradeOutcome{static_cast<int>(response.result_int()), response.body()};
}

void WebSocketClient::SendText(const std::string& frame) {
  impl_->ws.text(true);
  impl_->ws.write(asio::buffer(frame));
}

void WebSocketClient::SendBinary(const std::string& frame) {
  impl_->ws.binary(true);
  impl_->ws.write(asio::buffer(frame));
}

std::optional<std::string> WebSocketClient::Read(std::chrono::milliseconds wait) {
  Impl& s = *impl_;
  if (s.closed) throw std::runtime_error("connection closed: " + s.error.message());
  if (!s.reading) {
    s.reading = true;
    s.done = false;
    s.ws.async_read(s.buffer, [&s](beast::error_code ec, size_t) {
      s.done = true;
      s.error = ec;
    });
  }
  s.io.restart();
  const auto deadline = std::chrono::steady_clock::now() + wait;
  while (!s.done && std::chrono::steady_clock::now() < deadline) {
    s.io.run_one_until(deadline);
  }
  if (!s.done) return std::nullopt;
  s.reading = false;
  if (s.error) {
    s.closed = true;
    throw std::runtime_error("connection closed: " + s.error.message());
  }
  s.binary = s.ws.got_binary();
  std::string out = beast::buffers_to_string(s.buffer.data());
  s.buffer.consume(s.buffer.size());
  return out;
}

nlohmann::json WebSocketClient::ReadJson(std::chrono::milliseconds wait) {
  std::optional<std::string> frame = Read(wait);
  if (!frame) throw std::runtime_error("no frame within the wait");
  return nlohmann::json::parse(*frame);
}

bool WebSocketClient::WaitClosed(std::chrono::milliseconds wait) {
  const auto deadline = std::chrono::steady_clock::now() + wait;
  try {
    while (std::chrono::steady_clock::now() < deadline) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (!Read(left)) return false;
    }
  } catch (const std::runtime_error&) {
    return true;
  }
  return false;
}

bool WebSocketClient::last_was_binary() const { return impl_->binary; }

}  // namespace ib::e2e
