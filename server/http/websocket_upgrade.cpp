#include "server/http/websocket_upgrade.h"

#include <strings.h>

#include <optional>
#include <string>

#include "server/http/access_record.h"
#include "server/http/handler.h"
#include "server/realtime/realtime_service.h"

namespace ib::http {
namespace {

constexpr std::string_view kSocketPath = "/realtime/v1/websocket";

bool EqualsNoCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && strncasecmp(a.data(), b.data(), a.size()) == 0;
}

bool ContainsNoCase(std::string_view text, std::string_view token) {
  for (size_t i = 0; i + token.size() <= text.size(); ++i) {
    if (strncasecmp(text.data() + i, token.data(), token.size()) == 0) return true;
  }
  return false;
}

bool AsksForWebSocket(const RequestHead& head) {
  for (const auto& [name, value] : head.headers) {
    if (EqualsNoCase(name, "upgrade") && ContainsNoCase(value, "websocket")) return true;
  }
  return false;
}

// The first value of query parameter `name`, percent-decoded.
std::optional<std::string> QueryParam(std::string_view query, std::string_view name) {
  while (!query.empty()) {
    size_t amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    size_t eq = pair.find('=');
    if (PercentDecode(pair.substr(0, eq), false) == name) {
      return eq == std::string_view::npos ? std::string()
                                          : PercentDecode(pair.substr(eq + 1), false);
    }
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  return std::nullopt;
}

const char* Reason(int status) {
  switch (status) {
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 429:
      return "Too Many Requests";
    default:
      return "Bad Request";
  }
}

void Answer(ConnectionStream& strm, int status, const std::string& body) {
  std::string request_id;
  if (AccessRecord* record = CurrentAccess()) {
    record->status = status;
    request_id = "X-Request-Id: " + record->request_id + "\r\n";
  }
  std::string out = "HTTP/1.1 " + std::to_string(status) + " " + Reason(status) +
                    "\r\nContent-Type: application/json; charset=utf-8\r\n"
                    "X-Content-Type-Options: nosniff\r\nConnection: close\r\n" +
                    request_id + "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" +
                    body;
  strm.WriteAll(out);
}

}  // namespace

std::function<bool(ConnectionStream&)> RealtimeUpgrade(realtime::RealtimeService& realtime) {
  return [&realtime](ConnectionStream& strm) {
    const RequestHead& head = strm.head();
    const size_t question = head.target.find('?');
    const std::string_view path = std::string_view(head.target).substr(0, question);
    if (path != kSocketPath || head.method != "GET" || !AsksForWebSocket(head)) return false;
    if (AccessRecord* record = CurrentAccess()) record->route = std::string(kSocketPath);
    if (head.framing != BodyFraming::kNone || strm.HasUnreadInput()) {
      // A WebSocket client sends nothing before the 101.
      strm.AbandonInput();
      Answer(strm, 400, R"({"error":"unexpected bytes after the upgrade request"})");
      return true;
    }
    std::string_view query;
    if (question != std::string::npos) query = std::string_view(head.target).substr(question + 1);
    realtime::UpgradeCheck check =
        realtime.CheckUpgrade(QueryParam(query, "apikey"), QueryParam(query, "vsn"));
    if (check.status != 0) {
      Answer(strm, check.status, check.body);
      return true;
    }
    realtime::UpgradeRequest request{head.target, head.headers, {}};
    const int fd = strm.socket();
    strm.HandOver([&realtime, fd, request = std::move(request),
                   check = std::move(check)](std::shared_ptr<const void> address_place) mutable {
      request.address_place = std::move(address_place);
      realtime.Adopt(fd, std::move(request), std::move(check));
    });
    return true;
  };
}

}  // namespace ib::http
