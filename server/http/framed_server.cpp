#include "server/http/framed_server.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>

#include "storage/error.h"

namespace ib::http {
namespace {

// Headers every response carries, whoever writes it.
constexpr std::pair<const char*, const char*> kEveryResponse[] = {
    // Browsers must not guess an active type from a body (stored objects are user content).
    {"X-Content-Type-Options", "nosniff"},
};

// The connection whose request this worker thread is serving: FinishResponse runs inside
// httplib's process_request, which gives it only the request and the response.
thread_local ConnectionStream* tl_current = nullptr;

class CurrentConnection {
 public:
  explicit CurrentConnection(ConnectionStream& strm) { tl_current = &strm; }
  ~CurrentConnection() { tl_current = nullptr; }
  CurrentConnection(const CurrentConnection&) = delete;
  CurrentConnection& operator=(const CurrentConnection&) = delete;
};

void ReplaceHeader(httplib::Response& res, const char* name, const std::string& value) {
  res.headers.erase(name);
  res.set_header(name, value);
}

void AddFixedHeaders(httplib::Response& res) {
  for (const auto& [name, value] : kEveryResponse) ReplaceHeader(res, name, value);
}

const char* Reason(int status) {
  switch (status) {
    case 408:
      return "Request Timeout";
    case 413:
      return "Payload Too Large";
    case 414:
      return "URI Too Long";
    case 431:
      return "Request Header Fields Too Large";
    default:
      return "Bad Request";
  }
}

void SetErrorBody(httplib::Response& res, int status) {
  res.status = status;
  res.set_content(storage::Error::FromHttpStatus(status).ToJson(),
                  "application/json; charset=utf-8");
  ReplaceHeader(res, "Content-Length", std::to_string(res.body.size()));
}

// One log line like Wrap()'s, for a request the routes never saw. A parsed target has no
// control characters (the parser refuses them); its query is left out like Wrap()'s.
void LogRefusal(int status, const std::string& reason, const RequestHead* head) {
  std::string path = head ? head->target.substr(0, head->target.find('?')) : "-";
  char line[512];
  int n = std::snprintf(line, sizeof line, "%s %.200s %d refused: %.100s\n",
                        head ? head->method.c_str() : "-", path.c_str(), status, reason.c_str());
  if (n > 0)
    std::fwrite(line, 1, std::min<size_t>(static_cast<size_t>(n), sizeof line - 1), stderr);
}

}  // namespace

FramedServer::FramedServer() {
  set_post_routing_handler(
      [this](const httplib::Request&, httplib::Response& res) { FinishResponse(res); });
}

bool FramedServer::process_and_close_socket(socket_t sock) {
  int on = 1;
  setsockopt(sock, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
  StreamTimeouts timeouts;
  timeouts.read = std::chrono::milliseconds(read_timeout_sec_ * 1000 + read_timeout_usec_ / 1000);
  timeouts.write =
      std::chrono::milliseconds(write_timeout_sec_ * 1000 + write_timeout_usec_ / 1000);
  timeouts.head = limits_.head_timeout;
  timeouts.body = limits_.body_timeout;
  ConnectionStream strm(sock, timeouts);
  for (size_t left = keep_alive_max_count_; left > 0 && WaitForRequest(strm, sock); --left) {
    if (!ServeOneRequest(strm, left == 1)) break;
  }
  if (strm.InputAbandoned()) strm.CloseLingering();
  shutdown(sock, SHUT_RDWR);
  close(sock);
  return true;
}

bool FramedServer::WaitForRequest(ConnectionStream& strm, socket_t sock) const {
  const auto idle_since = std::chrono::steady_clock::now();
  while (svr_sock_ != INVALID_SOCKET) {
    if (strm.HasBuffered()) return true;
    pollfd p{sock, POLLIN, 0};
    if (poll(&p, 1, 10) > 0) return true;
    if (std::chrono::steady_clock::now() - idle_since >
        std::chrono::seconds(keep_alive_timeout_sec_)) {
      return false;
    }
  }
  return false;
}

bool FramedServer::ServeOneRequest(ConnectionStream& strm, bool last) {
  switch (strm.ReadHead(limits_.head)) {
    case ConnectionStream::HeadStatus::kClosed:
      return false;
    case ConnectionStream::HeadStatus::kTimedOut:
      Refuse(strm, 408, "request head not complete in time", nullptr);
      return false;
    case ConnectionStream::HeadStatus::kRefused:
      Refuse(strm, strm.refusal().status, strm.refusal().reason, nullptr);
      return false;
    case ConnectionStream::HeadStatus::kReady:
      break;
  }
  const RequestHead& head = strm.head();
  const uint64_t max_body = BodyLimitFor(head.target);
  // Refused from Content-Length before a byte of the body is read (or parsed as JSON).
  if (head.framing == BodyFraming::kLength && head.content_length > max_body) {
    Refuse(strm, 413, "body larger than " + std::to_string(max_body) + " bytes", &head);
    return false;
  }
  strm.BeginRequest(max_body);
  CurrentConnection current(strm);
  bool connection_closed = false;
  bool written = process_request(strm, last, connection_closed, nullptr);
  return written && !connection_closed && head.keep_alive && strm.BodyComplete();
}

void FramedServer::FinishResponse(httplib::Response& res) const {
  if (decorate_) decorate_(res);
  AddFixedHeaders(res);
  ConnectionStream* strm = tl_current;
  if (strm == nullptr) return;
  // A body that failed to arrive decides the answer, whatever the handler made of the
  // failed read (httplib itself calls it 400).
  if (auto fault = strm->BodyFault()) SetErrorBody(res, *fault);
  if (!strm->BodyComplete()) {
    // Answered before the request was read whole: its unread rest must never be taken for a
    // request, so this connection ends with this response.
    res.headers.erase("Keep-Alive");
    ReplaceHeader(res, "Connection", "close");
  }
}

void FramedServer::Refuse(ConnectionStream& strm, int status, const std::string& reason,
                          const RequestHead* head) const {
  strm.AbandonInput();
  if (limits_.log_refusals) LogRefusal(status, reason, head);
  httplib::Response res;
  SetErrorBody(res, status);
  if (decorate_) decorate_(res);
  AddFixedHeaders(res);
  ReplaceHeader(res, "Connection", "close");
  std::string out = "HTTP/1.1 " + std::to_string(status) + " " + Reason(status) + "\r\n";
  for (const auto& [name, value] : res.headers)
    out.append(name).append(": ").append(value).append("\r\n");
  out += "\r\n";
  out += res.body;
  strm.WriteAll(out);
}

uint64_t FramedServer::BodyLimitFor(const std::string& target) const {
  // Storage uploads carry whole objects; every other route reads a JSON body into memory.
  return target.rfind("/storage/v1/", 0) == 0 ? limits_.max_upload_bytes : limits_.max_body_bytes;
}

}  // namespace ib::http
