#include "server/http/local_client.h"

#include <httplib.h>

#include <stdexcept>

namespace ib::http {

LocalClient::LocalClient(const std::string& host, int port)
    : client_(std::make_unique<httplib::Client>(host, port)) {
  client_->set_keep_alive(true);
  client_->set_tcp_nodelay(true);  // else each small request waits out a delayed ACK (~40 ms)
  client_->set_read_timeout(60, 0);
}

LocalClient::~LocalClient() = default;

LocalReply LocalClient::Send(const std::string& method, const std::string& path,
                             const std::map<std::string, std::string>& headers,
                             const std::string& body, const std::string& content_type) {
  const httplib::Headers h(headers.begin(), headers.end());
  auto send = [&]() -> httplib::Result {
    if (method == "GET") return client_->Get(path.c_str(), h);
    if (method == "POST") return client_->Post(path.c_str(), h, body, content_type.c_str());
    if (method == "PATCH") return client_->Patch(path.c_str(), h, body, content_type.c_str());
    if (method == "DELETE") return client_->Delete(path.c_str(), h, body, content_type.c_str());
    throw std::runtime_error("LocalClient: unsupported method " + method);
  };
  const httplib::Result r = send();
  if (!r) {
    throw std::runtime_error(method + " " + path + ": " + httplib::to_string(r.error()));
  }
  return LocalReply{r->status, r->body};
}

}  // namespace ib::http
