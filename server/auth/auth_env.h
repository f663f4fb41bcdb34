// What every /auth/v1 operation shares: the options (from Config), the database, the JWT
// secret, and the caller's request facts (RequestMeta, with the request's one clock). Each
// operation runs its database work through env.db.Write / env.db.Read as the service
// principal. AuthEnv is immutable while serving and safe to share between worker threads.
#pragma once

#include <cstdint>
#include <string>

#include "server/auth/passwords.h"
#include "storage/principal.h"
#include "storage/request_clock.h"
#include "storage/unit_of_work.h"

namespace ib::auth {

struct AuthOptions {
  int64_t jwt_expiry = 3600;            // access-token lifetime, seconds
  int64_t refresh_reuse_interval = 10;  // seconds a rotated refresh token stays usable
  int password_min_length = 6;
  PasswordCost password_cost = InteractiveCost();
  // Abuse brakes per 5 minutes; 0 = unlimited.
  int64_t signin_failures_per_email = 10;      // one email from one client address
  int64_t signin_failures_per_ip = 100;        // one client address, any email
  int64_t signin_failures_per_account = 1000;  // one email from all addresses: a ceiling
  int64_t signups_per_ip = 1000;
  int64_t refreshes_per_ip = 1000;
};

struct AuthEnv {
  storage::Db& db;  // holds the catalog; every operation runs in one db.Write or db.Read
  std::string secret;
  AuthOptions options;
};

// Facts about one request that operations need besides its body.
struct RequestMeta {
  std::string ip;      // the socket peer's address as counted by rate limits (ClientAddressKey)
  std::string issuer;  // `iss` of issued tokens: <base URL>/auth/v1
  storage::RequestClock clock;  // read once at the route: one instant for the whole request
  int64_t now_micros() const { return clock.now_micros; }
  int64_t now_seconds() const { return clock.now_seconds(); }
};

// Auth operations act as the service: auth tables have no guards, and the new-user hook
// writes the profile with the service's rights.
inline storage::Principal ServicePrincipal() {
  storage::Principal service;
  service.role = storage::Role::kServiceRole;
  return service;
}

}  // namespace ib::auth
