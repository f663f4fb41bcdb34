// DemoWriter: the demo's conversation with a running App over HTTP: what the database holds
// (fresh, a finished demo, or something else) and writing the plan, each row as the user who
// owns it. Any unexpected answer throws std::runtime_error naming the request.
#pragma once

#include <string>
#include <vector>

#include "server/demo/demo_plan.h"
#include "server/http/local_client.h"

namespace ib::demo {

enum class DemoState { kFresh, kFinished, kOther };

class DemoWriter {
 public:
  DemoWriter(http::LocalClient& client, std::string anon_key, std::string service_key);

  // kFresh: no auth user, no public row, no stored object. kFinished: exactly the demo's
  // users and the demo's last write (the last user's recording) present. `why` says what
  // else was found.
  DemoState Inspect(const std::vector<DemoUser>& plan, std::string& why);
  // Writes `plan` (users in order, each session oldest first, the recordings last).
  void Write(const std::vector<DemoUser>& plan);

 private:
  nlohmann::json Call(const std::string& method, const std::string& path, const std::string& token,
                      const std::string& body = "",
                      const std::string& content_type = "application/json");
  std::vector<std::pair<std::string, std::string>> Users();  // (email, id)

  http::LocalClient& client_;
  std::string anon_key_;
  std::string service_key_;
};

}  // namespace ib::demo
