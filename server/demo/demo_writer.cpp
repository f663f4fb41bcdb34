#include "server/demo/demo_writer.h"

#include <algorithm>
#include <set>
#include <stdexcept>
#include <utility>

#include "server/demo/tone_wav.h"

namespace ib::demo {
namespace {

using nlohmann::json;

constexpr const char* kBucket = "interview-audio";
constexpr const char* kTables[] = {"profiles",           "practice_attempts",
                                   "interview_sessions", "interview_responses",
                                   "interview_feedback", "voice_analytics",
                                   "achievements",       "user_progress",
                                   "leaderboard",        "streaks"};

std::string RecordingPath(const std::string& uid, const DemoSession& s) {
  return uid + "/" + s.id + ".wav";
}

}  // namespace

DemoWriter::DemoWriter(http::LocalClient& client, std::string anon_key, std::string service_key)
    : client_(client), anon_key_(std::move(anon_key)), service_key_(std::move(service_key)) {}

json DemoWriter::Call(const std::string& method, const std::string& path, const std::string& token,
                      const std::string& body, const std::string& content_type) {
  std::map<std::string, std::string> headers{
      {"apikey", token == service_key_ ? service_key_ : anon_key_},
      {"Authorization", "Bearer " + token}};
  if (path.rfind("/rest/v1/", 0) == 0 && method != "GET") headers["Prefer"] = "return=minimal";
  const http::LocalReply reply = client_.Send(method, path, headers, body, content_type);
  if (reply.status < 200 || reply.status >= 300) {
    throw std::runtime_error(method + " " + path + " answered " + std::to_string(reply.status) +
                             ": " + reply.body);
  }
  if (reply.body.empty()) return nullptr;
  return json::parse(reply.body, nullptr, /*allow_exceptions=*/false);
}

std::vector<std::pair<std::string, std::string>> DemoWriter::Users() {
  std::vector<std::pair<std::string, std::string>> out;
  // More than a page of users cannot be the demo's twelve: one page of 100 is enough to tell.
  const json page = Call("GET", "/auth/v1/admin/users?page=1&per_page=100", service_key_);
  for (const json& u : page.at("users")) {
    out.emplace_back(u.value("email", ""), u.at("id").get<std::string>());
  }
  return out;
}

DemoState DemoWriter::Inspect(const std::vector<DemoUser>& plan, std::string& why) {
  const auto users = Users();
  if (!users.empty()) {
    std::set<std::string> demo_emails;
    for (const DemoUser& u : plan) demo_emails.insert(u.email);
    for (const auto& [email, id] : users) {
      if (demo_emails.count(email) == 0) {
        why = "it holds user " + email + ", who is not a demo user";
        return DemoState::kOther;
      }
    }
    if (users.size() == plan.size()) {
      const DemoUser& last = plan.back();
      const auto it = std::find_if(users.begin(), users.end(),
                                   [&](const auto& u) { return u.first == last.email; });
      const auto rec = std::find_if(last.sessions.rbegin(), last.sessions.rend(),
                                    [](const DemoSession& s) { return s.audio; });
      const http::LocalReply info = client_.Send(
          "GET",
          std::string("/storage/v1/object/info/") + kBucket + "/" + RecordingPath(it->second, *rec),
          {{"apikey", service_key_}, {"Authorization", "Bearer " + service_key_}});
      if (info.status == 200) return DemoState::kFinished;
    }
    why = "it holds an unfinished demo (an interrupted run)";
    return DemoState::kOther;
  }
  for (const char* table : kTables) {
    const json rows =
        Call("GET", std::string("/rest/v1/") + table + "?select=*&limit=1", service_key_);
    if (!rows.empty()) {
      why = std::string("it holds rows in ") + table;
      return DemoState::kOther;
    }
  }
  const json buckets = Call("GET", "/storage/v1/bucket", service_key_);
  for (const json& b : buckets) {
    const std::string name = b.at("name").get<std::string>();
    if (name != kBucket) {
      why = "it holds bucket " + name;
      return DemoState::kOther;
    }
  }
  const json objects = Call("POST", std::string("/storage/v1/object/list/") + kBucket, service_key_,
                            json{{"prefix", ""}, {"limit", 1}}.dump());
  if (!objects.empty()) {
    why = std::string("it holds objects in bucket ") + kBucket;
    return DemoState::kOther;
  }
  return DemoState::kFresh;
}

void DemoWriter::Write(const std::vector<DemoUser>& plan) {
  for (const DemoUser& user : plan) {
    const json created = Call("POST", "/auth/v1/admin/users", service_key_,
                              json{{"email", user.email},
                                   {"password", user.password},
                                   {"email_confirm", true},
                                   {"user_metadata", {{"full_name", user.full_name}}}}
                                  .dump());
    const std::string uid = created.at("id").get<std::string>();
    const json session = Call("POST", "/auth/v1/token?grant_type=password", anon_key_,
                              json{{"email", user.email}, {"password", user.password}}.dump());
    const std::string token = session.at("access_token").get<std::string>();
    Call("PATCH", "/rest/v1/profiles?id=eq." + uid, token, user.profile.dump());
    for (const DemoSession& s : user.sessions) {
      json row = s.insert;
      row["user_id"] = uid;
      if (s.audio)
        row["metadata"]["recording"] = std::string(kBucket) + "/" + RecordingPath(uid, s);
      Call("POST", "/rest/v1/interview_sessions", token, row.dump());
      Call("POST", "/rest/v1/interview_responses", token, s.responses.dump());
      if (s.completion.is_null()) continue;
      Call("PATCH", "/rest/v1/interview_sessions?id=eq." + s.id, token, s.completion.dump());
      json feedback = s.feedback;
      feedback["user_id"] = uid;
      Call("POST", "/rest/v1/interview_feedback", token, feedback.dump());
      if (!s.analytics.is_null()) {
        Call("POST", "/rest/v1/voice_analytics", token, s.analytics.dump());
      }
    }
    for (const DemoSession& s : user.sessions) {
      if (!s.audio) continue;
      Call("POST", std::string("/storage/v1/object/") + kBucket + "/" + RecordingPath(uid, s),
           token, ToneWav(s.tone_hz, 1500), "audio/wav");
    }
  }
}

}  // namespace ib::demo
