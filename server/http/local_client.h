// LocalClient: a small blocking HTTP/1.1 client for talking to our own App on a loopback port
// (the demo command drives the API this way so every guard and hook runs as for a real
// client). One keep-alive connection; not thread-safe. A transport failure throws
// std::runtime_error; any HTTP status is returned as it came.
#pragma once

#include <map>
#include <memory>
#include <string>

namespace httplib {
class Client;
}

namespace ib::http {

struct LocalReply {
  int status = 0;
  std::string body;
};

class LocalClient {
 public:
  LocalClient(const std::string& host, int port);
  ~LocalClient();
  LocalClient(const LocalClient&) = delete;
  LocalClient& operator=(const LocalClient&) = delete;

  // `method` is GET, POST, PATCH or DELETE; `path` includes the query string.
  LocalReply Send(const std::string& method, const std::string& path,
                  const std::map<std::string, std::string>& headers, const std::string& body = "",
                  const std::string& content_type = "application/json");

 private:
  std::unique_ptr<httplib::Client> client_;
};

}  // namespace ib::http
