#include "tests/e2e/support/gamification_model.h"

#include <cmath>
#include <stdexcept>

namespace ib::e2e {

using nlohmann::json;

Reply AsService(const ServerProcess& server, const std::string& method, const std::string& path,
                const std::string& body, httplib::Headers headers) {
  headers.emplace("apikey", server.service_key());
  return server.Send(method, path, server.service_key(), body, headers);
}

std::string NewUser(const ServerProcess& server, const std::string& email,
                    const std::string& full_name) {
  const std::string uid = server.CreateUser(email, "secret123", {{"full_name", full_name}});
  const std::string token = ServerProcess::Token("authenticated", uid);
  Reply mine = server.Send("GET", "/rest/v1/profiles?select=id&id=eq." + uid, token);
  if (mine.status == 200 && mine.json().empty()) {
    Reply made = server.Send("POST", "/rest/v1/profiles", token,
                             json({{"id", uid}, {"email", email}, {"name", full_name}}).dump());
    if (made.status != 201) throw std::runtime_error("profile insert failed: " + made.body);
  }
  return uid;
}

std::string NewSession(const ServerProcess& server, const std::string& token,
                       const std::string& uid, const json& fields) {
  json body = {{"user_id", uid}, {"title", "Practice interview"}};
  if (fields.is_object()) body.update(fields);
  Reply r = server.Send("POST", "/rest/v1/interview_sessions?select=id", token, body.dump(),
                        {{"Prefer", "return=representation"}});
  if (r.status != 201) throw std::runtime_error("session insert failed: " + r.body);
  return r.json()[0]["id"];
}

int64_t LevelFor(int64_t xp) {
  int64_t level = 1;
  while (xp >= 100 * level * level) ++level;  // level L needs 100·(L-1)² xp
  return level;
}

namespace {

// Half away from zero, in hundredths, as Postgres rounds numerics.
double Average2(int64_t sum_cents, int64_t n) {
  if (n == 0) return 0;
  const double exact = static_cast<double>(sum_cents) / static_cast<double>(n);
  return std::round(exact) / 100.0;
}

}  // namespace

std::map<std::string, Derived> DeriveAll(const ServerProcess& server) {
  std::map<std::string, Derived> out;
  std::map<std::string, int64_t> cents, scored;
  std::map<std::string, double> best;
  std::map<std::string, bool> perfect;  // some interview scored exactly 100
  Reply sessions =
      AsService(server, "GET", "/rest/v1/interview_sessions?select=user_id,status,overall_score");
  for (const auto& s : sessions.json()) {
    Derived& d = out[s["user_id"]];
    d.total_interviews += 1;
    if (s["status"] != "completed") continue;
    d.completed += 1;
    const double score = s["overall_score"].is_null() ? 0.0 : s["overall_score"].get<double>();
    d.total_score += std::llround(score);
    if (s["overall_score"].is_null()) continue;
    cents[s["user_id"]] += std::llround(score * 100);
    scored[s["user_id"]] += 1;
    if (!best.count(s["user_id"]) || score > best[s["user_id"]]) best[s["user_id"]] = score;
    if (score == 100) perfect[s["user_id"]] = true;
  }
  Reply achievements = AsService(server, "GET", "/rest/v1/achievements?select=user_id,xp_reward");
  for (const auto& a : achievements.json()) {
    out[a["user_id"]].rewards += a["xp_reward"].get<int64_t>();
  }
  for (auto& [uid, d] : out) {
    d.average = Average2(cents[uid], scored[uid]);
    d.xp = 50 * d.completed + d.total_score + d.rewards;
    d.level = LevelFor(d.xp);
    if (d.completed >= 1) d.achievements_expected.push_back("first_interview");
    if (best.count(uid) && best[uid] >= 90) d.achievements_expected.push_back("high_score");
    if (perfect[uid]) d.achievements_expected.push_back("perfect_score");
  }
  return out;
}

}  // namespace ib::e2e
