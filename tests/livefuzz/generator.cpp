#include "tests/livefuzz/generator.h"

#include <utility>

namespace ib::livefuzz {

Request MiscCall(Gen& g) {
  Request r;
  static const std::vector<std::string> kPaths = {
      "/health",       "/health",         "/",
      "/rest/v1/",     "/rest/v1",        "/rest/v1/a/b",
      "/storage/v1/",  "/admin/v1/reset", "/admin/v1/nope",
      "/rest/v1/rpc/", "/favicon.ico",    "/rest/v1/interview_sessions/extra"};
  r.path = g.rng.Pick(kPaths);
  if (g.rng.Chance(25)) {
    r.method = "OPTIONS";
    r.headers.emplace_back("Origin", g.rng.Chance(70) ? "http://localhost:3000" : g.Value());
    r.headers.emplace_back("Access-Control-Request-Method", g.rng.Chance(80) ? "PATCH" : g.Value());
    r.headers.emplace_back("Access-Control-Request-Headers",
                           "authorization, x-client-info, apikey, content-type, prefer");
    r.path = "/rest/v1/" + g.TableName();
  } else {
    r.method = r.path == "/admin/v1/reset" ? "POST" : "GET";
    AddAuthHeaders(g, r);
  }
  return r;
}

Generator::Generator(const World& world, std::string secret, uint64_t seed)
    : world_(world), secret_(std::move(secret)), rng_(seed) {}

Fuzzed Generator::Next() {
  Fuzzed f;
  unsigned roll = static_cast<unsigned>(rng_.Below(100));
  f.who = roll < 36   ? Who::kUserA
          : roll < 72 ? Who::kUserB
          : roll < 86 ? Who::kAnon
          : roll < 92 ? Who::kGhost
          : roll < 97 ? Who::kBadToken
                      : Who::kNoKey;
  const User* self = nullptr;
  const User* other = nullptr;
  if (f.who == Who::kUserA || f.who == Who::kUserB) {
    int i = f.who == Who::kUserA ? 0 : 1;
    self = &world_.users[i];
    // The other party is B (or A), or the bystander C, who never asks.
    other = &world_.users[rng_.Chance(70) ? 1 - i : kBystander];
    for (int u = 0; u < kUsers; ++u) {
      if (u != i) f.forbidden.push_back(world_.users[u].canary);
    }
    f.own = self->canary;
  } else {
    for (const User& u : world_.users) f.forbidden.push_back(u.canary);
  }
  f.forbidden.push_back(secret_);
  Gen g{rng_, world_, f.who, self, other};
  unsigned shape = static_cast<unsigned>(rng_.Below(100));
  if (shape < 38) {
    f.family = "rest-read";
    f.request = RestRead(g);
  } else if (shape < 62) {
    f.family = "rest-write";
    f.request = RestWrite(g);
  } else if (shape < 70) {
    f.family = "rpc";
    f.request = RestRpc(g);
  } else if (shape < 80) {
    f.family = "auth";
    f.request = AuthCall(g);
  } else if (shape < 95) {
    f.family = "storage";
    f.request = StorageCall(g);
  } else {
    f.family = "misc";
    f.request = MiscCall(g);
  }
  Mutate(g, f.request);
  return f;
}

}  // namespace ib::livefuzz
