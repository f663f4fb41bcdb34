#include "tests/livefuzz/world.h"

#include <stdexcept>

#include "server/auth/jwt.h"
#include "tests/livefuzz/rng.h"

namespace ib::livefuzz {
namespace {

using nlohmann::json;

std::string Hex(uint64_t v, int digits) {
  static const char* kHex = "0123456789abcdef";
  std::string out(static_cast<size_t>(digits), '0');
  for (int i = digits - 1; i >= 0; --i, v >>= 4) out[static_cast<size_t>(i)] = kHex[v & 15];
  return out;
}

// A version-4 shaped UUID from the seed, so fixture row ids repeat from run to run.
std::string Uuid(Rng& rng) {
  uint64_t a = rng.Next();
  uint64_t b = rng.Next();
  return Hex(a >> 32, 8) + "-" + Hex((a >> 16) & 0xFFFF, 4) + "-4" + Hex(a & 0xFFF, 3) + "-" +
         Hex(0x8000 | (b >> 48 & 0x3FFF), 4) + "-" + Hex(b & 0xFFFFFFFFFFFFULL, 12);
}

e2e::Reply AsService(const e2e::ServerProcess& server, const std::string& method,
                     const std::string& path, const json& body, httplib::Headers headers = {}) {
  headers.emplace("apikey", server.service_key());
  return server.Send(method, path, server.service_key(), body.is_null() ? "" : body.dump(),
                     headers);
}

// Upserts one row by id with the service key (the row is created or put back as planted).
// Someone else may have taken the id meanwhile (the owner deleted the row, another user
// inserted one with that id): that row is deleted first, or the merge would hand the other
// user's columns to the owner. `owner` names the column tying the row to its owner.
bool UpsertRow(const e2e::ServerProcess& server, const std::string& table, const json& row,
               const std::string& owner = "user_id") {
  AsService(server, "DELETE",
            "/rest/v1/" + table + "?id=eq." + row.at("id").get<std::string>() + "&" + owner +
                "=neq." + row.at(owner).get<std::string>(),
            nullptr, {{"Prefer", "return=minimal"}});
  e2e::Reply r = AsService(server, "POST", "/rest/v1/" + table + "?on_conflict=id", row,
                           {{"Prefer", "resolution=merge-duplicates,return=minimal"}});
  return r.status == 201 || r.status == 200 || r.status == 204;
}

int PlantRows(const e2e::ServerProcess& server, const User& u) {
  const std::string& c = u.canary;
  int failed = 0;
  e2e::Reply profile = AsService(server, "PATCH", "/rest/v1/profiles?id=eq." + u.id,
                                 json{{"bio", c},
                                      {"full_name", "Full " + c},
                                      {"target_role", c},
                                      {"preferences", {{"note", c}}}},
                                 {{"Prefer", "return=minimal"}});
  if (profile.status != 204) ++failed;
  failed += !UpsertRow(server, "interview_sessions",
                       {{"id", u.session_row},
                        {"user_id", u.id},
                        {"title", "Session " + c},
                        {"description", c + " description"},
                        {"status", "completed"},
                        {"metadata", {{"note", c}}},
                        {"questions", json::array({c})},
                        {"overall_score", 80},
                        {"duration_minutes", 30},
                        {"completed_at", "2026-01-02T03:04:05Z"}});
  failed += !UpsertRow(server, "interview_responses",
                       {{"id", u.response_row},
                        {"interview_id", u.session_row},
                        {"role", "user"},
                        {"content", "answer " + c},
                        {"sequence_number", 1}},
                       "interview_id");
  failed += !UpsertRow(server, "interview_feedback",
                       {{"id", u.feedback_row},
                        {"interview_id", u.session_row},
                        {"user_id", u.id},
                        {"overall_score", 80},
                        {"hiring_recommendation", "hire " + c},
                        {"detailed_feedback", c},
                        {"transcript", "transcript " + c},
                        {"strengths", json::array({c})}});
  failed += !UpsertRow(server, "voice_analytics",
                       {{"id", u.analytics_row},
                        {"interview_id", u.session_row},
                        {"clarity_score", 7.5},
                        {"analysis", {{"note", c}}}},
                       "interview_id");
  failed += !UpsertRow(server, "practice_attempts",
                       {{"id", u.attempt_row},
                        {"user_id", u.id},
                        {"answer", c},
                        {"score", 50},
                        {"strengths", json::array({c})}});
  failed += !UpsertRow(server, "user_progress",
                       {{"id", u.progress_row},
                        {"user_id", u.id},
                        {"category", "canary"},
                        {"skill", c},
                        {"xp", 10}});
  e2e::Reply meta = AsService(server, "PUT", "/auth/v1/admin/users/" + u.id,
                              json{{"user_metadata", {{"canary", c}}}});
  if (meta.status != 200) ++failed;
  for (const std::string* name : {&u.object_name, &u.known_object}) {
    e2e::Reply object = server.Send(
        "POST", "/storage/v1/object/interview-audio/" + *name, server.service_key(), "audio " + c,
        {{"apikey", server.service_key()}, {"Content-Type", "audio/webm"}, {"x-upsert", "true"}});
    if (object.status != 200) ++failed;
  }
  return failed;
}

// Tokens that must not identify user A although they name A: expired, wrongly signed,
// unsigned. (A correctly signed token naming A, whatever its role claim, is A's credential.)
std::vector<std::string> BadTokens(const std::string& user_id, const std::string& ghost_id) {
  json claims = {{"role", "authenticated"}, {"sub", user_id}, {"exp", 4102444800LL}};
  std::string header = auth::Base64UrlEncode(R"({"alg":"none","typ":"JWT"})");
  std::string payload = auth::Base64UrlEncode(claims.dump());
  json service = {{"role", "service_role"}, {"exp", 4102444800LL}};
  return {
      e2e::ServerProcess::Token("authenticated", user_id, -600),  // expired
      auth::SignHs256(claims, "not-the-server-secret-0123456789abcdef"),
      auth::SignHs256(service, "not-the-server-secret-0123456789abcdef"),
      header + "." + payload + ".",
      e2e::ServerProcess::Token("authenticated", "not-a-uuid"),
      e2e::ServerProcess::Token("postgres", ghost_id),
      "abc.def.ghi",
      "",
  };
}

}  // namespace

World Plant(const e2e::ServerProcess& server, uint64_t seed) {
  Rng rng(seed ^ 0xC0FFEEULL);
  World w;
  w.port = server.port();
  w.anon_key = server.anon_key();
  for (int i = 0; i < kUsers; ++i) {
    User& u = w.users[i];
    u.canary = std::string("cnry") + static_cast<char>('a' + i) + Hex(rng.Next(), 16);
    u.email = u.canary + "@fuzz.test";
    u.password = "pw-" + Hex(rng.Next(), 8);
    u.id = server.CreateUser(u.email, u.password, {{"canary", u.canary}});
    u.token = e2e::ServerProcess::Token("authenticated", u.id, 7 * 24 * 3600, {{"email", u.email}});
    for (std::string* row : {&u.session_row, &u.feedback_row, &u.response_row, &u.analytics_row,
                             &u.attempt_row, &u.progress_row}) {
      *row = Uuid(rng);
    }
    u.object_name = u.id + "/" + u.canary + ".webm";
    u.known_object = u.id + "/answer.webm";
    e2e::Reply signin = server.Send("POST", "/auth/v1/token?grant_type=password", "",
                                    json{{"email", u.email}, {"password", u.password}}.dump(),
                                    {{"apikey", server.anon_key()}});
    if (signin.status != 200) throw std::runtime_error("sign-in failed: " + signin.body);
    u.refresh_token = signin.json().at("refresh_token").get<std::string>();
    if (int failed = PlantRows(server, u)) {
      throw std::runtime_error("planting canaries failed for " + std::to_string(failed) +
                               " rows of user " + u.email);
    }
  }
  w.ghost_id = Uuid(rng);
  w.ghost_token = e2e::ServerProcess::Token("authenticated", w.ghost_id, 7 * 24 * 3600);
  w.bad_tokens = BadTokens(w.users[0].id, w.ghost_id);
  return w;
}

int Replant(const e2e::ServerProcess& server, const World& world) {
  int failed = 0;
  for (const User& u : world.users) failed += PlantRows(server, u);
  return failed;
}

std::vector<std::string> BystanderChanges(const e2e::ServerProcess& server, const World& world) {
  const User& c = world.users[kBystander];
  std::vector<std::string> changes;
  auto expect = [&](const std::string& what, const std::string& path) {
    e2e::Reply r = AsService(server, "GET", path, nullptr);
    if (r.status != 200 || r.body.find(c.canary) == std::string::npos) {
      changes.push_back(what + " (" + std::to_string(r.status) + "): " + r.body.substr(0, 300));
    }
  };
  expect("profile", "/rest/v1/profiles?id=eq." + c.id);
  const std::pair<const char*, const std::string*> rows[] = {
      {"interview_sessions", &c.session_row},  {"interview_responses", &c.response_row},
      {"interview_feedback", &c.feedback_row}, {"voice_analytics", &c.analytics_row},
      {"practice_attempts", &c.attempt_row},   {"user_progress", &c.progress_row}};
  for (const auto& [table, id] : rows)
    expect(table, "/rest/v1/" + std::string(table) + "?id=eq." + *id);
  expect("auth user", "/auth/v1/admin/users/" + c.id);
  for (const std::string* name : {&c.object_name, &c.known_object}) {
    expect("object " + *name, "/storage/v1/object/authenticated/interview-audio/" + *name);
  }
  return changes;
}

}  // namespace ib::livefuzz
