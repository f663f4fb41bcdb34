// What every /auth/v1 operation shares: the options (from Config), the database and catalog,
// the JWT secret, the caller's request facts (RequestMeta), and the one-transaction-per-request
// helpers. Operations run as the service principal: auth tables have no guards, and the
// new-user hook writes the profile with the service's rights. AuthEnv is immutable while
// serving; the helpers are safe from any worker thread (each takes its own lease).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <utility>

#include "server/auth/passwords.h"
#include "storage/catalog.h"
#include "storage/db.h"
#include "storage/principal.h"
#include "storage/row_writer.h"
#include "storage/transaction.h"

namespace ib::auth {

struct AuthOptions {
  int64_t jwt_expiry = 3600;            // access-token lifetime, seconds
  int64_t refresh_reuse_interval = 10;  // seconds a rotated refresh token stays usable
  int password_min_length = 6;
  PasswordCost password_cost = InteractiveCost();
  // Abuse brakes per 5 minutes; 0 = unlimited.
  int64_t signin_failures_per_email = 10;
  int64_t signin_failures_per_ip = 100;
  int64_t signups_per_ip = 1000;
  int64_t refreshes_per_ip = 1000;
};

struct AuthEnv {
  storage::Db& db;
  std::shared_ptr<const storage::Catalog> catalog;
  std::string secret;
  AuthOptions options;
};

// Facts about one request that operations need besides its body.
struct RequestMeta {
  std::string ip;          // the peer address (rate limits)
  std::string issuer;      // `iss` of issued tokens: <base URL>/auth/v1
  int64_t now_micros = 0;  // the request's clock: one instant for the whole transaction
  int64_t now_seconds() const { return now_micros / 1'000'000; }
};

// Runs fn(RowWriter&) in one write transaction (WriteLease + IMMEDIATE transaction) as the
// service; commits when fn returns, rolls back when it throws.
template <typename Fn>
auto InWriteTransaction(const AuthEnv& env, const RequestMeta& meta, Fn&& fn) {
  storage::Db::WriteLease lease(env.db);
  storage::Transaction tx(lease.conn(), storage::Transaction::Mode::kWrite);
  storage::Principal service;
  service.role = storage::Role::kServiceRole;
  storage::RowWriter writer(lease.conn(), *env.catalog, service, meta.now_micros);
  auto result = std::forward<Fn>(fn)(writer);
  tx.Commit();
  return result;
}

// Runs fn(RowWriter&) in one read transaction on this thread's read connection (one
// snapshot, and no queueing behind writers). fn must only read.
template <typename Fn>
auto InReadTransaction(const AuthEnv& env, const RequestMeta& meta, Fn&& fn) {
  storage::Db::ReadLease lease(env.db);
  storage::Transaction tx(lease.conn(), storage::Transaction::Mode::kRead);
  storage::Principal service;
  service.role = storage::Role::kServiceRole;
  storage::RowWriter reader(lease.conn(), *env.catalog, service, meta.now_micros);
  auto result = std::forward<Fn>(fn)(reader);
  tx.Commit();
  return result;
}

}  // namespace ib::auth
