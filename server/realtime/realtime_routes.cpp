#include "server/realtime/realtime_routes.h"

#include "server/auth/authenticate.h"
#include "server/http/handler.h"
#include "storage/json_input.h"

namespace ib::realtime {
namespace {

constexpr const char* kJson = "application/json; charset=utf-8";

void Answer(httplib::Response& res, int status, const std::string& body) {
  res.status = status;
  if (!body.empty()) res.set_content(body, kJson);
}

// The bearer (Authorization, else apikey) must be a good token with `role` and `exp`.
bool Authorized(const httplib::Request& req, const RealtimeService& realtime) {
  std::optional<std::string> authorization = http::Header(req, "Authorization");
  std::optional<std::string_view> token = auth::BearerToken(authorization);
  std::optional<std::string> apikey = http::Header(req, "apikey");
  if (!token && apikey) token = *apikey;
  return token && realtime.CheckBearer(*token).has_value();
}

bool IsJson(const httplib::Request& req) {
  return req.get_header_value("Content-Type").rfind("application/json", 0) == 0;
}

const char* kUnsupported =
    R"({"error":"Unsupported Media Type. Use application/json or application/octet-stream"})";
const char* kTooLarge = R"({"errors":{"payload":["Payload size exceeds tenant limit"]}})";

}  // namespace

void RegisterRealtimeRoutes(httplib::Server& server, RealtimeService& realtime) {
  server.Post(
      // httplib matches the decoded path, so a sub-topic may hold '/' ("a b/c" arrives as
      // a%20b%2Fc): the last "/events/" separates it from the event.
      R"(/realtime/v1/api/broadcast/(.+)/events/(.+))",
      http::Wrap(http::Service::kPlain, [&realtime](const httplib::Request& req,
                                                    httplib::Response& res, http::RequestContext&) {
        if (!Authorized(req, realtime)) return Answer(res, 401, R"({"message":"Unauthorized"})");
        BroadcastMessage message;
        message.event = req.matches[2];  // already decoded
        const std::string content_type = req.get_header_value("Content-Type");
        if (IsJson(req)) {
          storage::ClientJson body = storage::ParseClientJson(req.body);
          if (!body.ok()) {
            return Answer(res, 422, R"({"errors":{"payload":["is invalid JSON"]}})");
          }
          message.payload = body.value.dump();
        } else if (content_type.rfind("application/octet-stream", 0) == 0) {
          message.raw = true;
          message.payload = req.body;
        } else {
          return Answer(res, 415, kUnsupported);
        }
        if (message.payload.size() > realtime.limits().max_payload_bytes) {
          return Answer(res, 422, kTooLarge);
        }
        realtime.PostBroadcast("realtime:" + std::string(req.matches[1]), std::move(message));
        res.status = 202;
      }));
  server.Post(
      "/realtime/v1/api/broadcast",
      http::Wrap(http::Service::kPlain, [&realtime](const httplib::Request& req,
                                                    httplib::Response& res, http::RequestContext&) {
        if (!Authorized(req, realtime)) return Answer(res, 401, R"({"message":"Unauthorized"})");
        if (!IsJson(req)) return Answer(res, 415, kUnsupported);
        storage::ClientJson body = storage::ParseClientJson(req.body);
        const nlohmann::json* messages = nullptr;
        if (body.ok() && body.value.is_object()) {
          auto it = body.value.find("messages");
          if (it != body.value.end() && it->is_array()) messages = &*it;
        }
        if (messages == nullptr) {
          return Answer(res, 422, R"({"errors":{"messages":["is invalid"]}})");
        }
        std::vector<std::pair<std::string, BroadcastMessage>> queued;
        for (const nlohmann::json& m : *messages) {
          auto topic = m.is_object() ? m.find("topic") : m.end();
          auto event = m.is_object() ? m.find("event") : m.end();
          if (!m.is_object() || topic == m.end() || !topic->is_string() || event == m.end() ||
              !event->is_string()) {
            return Answer(res, 422, R"({"errors":{"messages":["is invalid"]}})");
          }
          BroadcastMessage message;
          message.event = event->get<std::string>();
          auto payload = m.find("payload");
          message.payload = payload == m.end() ? "{}" : payload->dump();
          if (message.payload.size() > realtime.limits().max_payload_bytes) {
            return Answer(res, 422, kTooLarge);
          }
          queued.emplace_back("realtime:" + topic->get<std::string>(), std::move(message));
        }
        // All or nothing: a bad message refuses the whole request before any is sent.
        for (auto& [topic, message] : queued) {
          realtime.PostBroadcast(std::move(topic), std::move(message));
        }
        res.status = 202;
      }));
}

}  // namespace ib::realtime
