// PgTwin: one scenario written twice, through interviewbase's HTTP API and as SQL on a
// PostgreSQL that loaded schema/postgres/functions.sql, so a test compares what our hooks and
// RPCs stored and returned with what the PL/pgSQL triggers and functions did. A write names who
// makes it: a user id (ours: that user's token; PostgreSQL: role authenticated with that user's
// JWT claims, under row-level security) or kService (the service key; the superuser). Every
// write must succeed on both sides (doctest REQUIRE). Not thread-safe.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "tests/e2e/support/postgres_instance.h"
#include "tests/e2e/support/server_process.h"

namespace ib::e2e {

class PgTwin {
 public:
  static constexpr const char* kService = "service";

  PgTwin(const ServerProcess& server, const PostgresInstance& pg) : server_(server), pg_(pg) {}

  // An auth user on both sides (ours through the admin API); returns its id.
  std::string AddUser(const std::string& email, const nlohmann::json& metadata) const;
  // The auth user is deleted with everything that cascades from it (ours: the admin API).
  void RemoveUser(const std::string& user_id) const;
  // The auth user's email changes (ours: the admin API).
  void SetEmail(const std::string& user_id, const std::string& email) const;

  void Insert(const std::string& who, const std::string& table, const nlohmann::json& row) const;
  // Updates the rows whose `column` equals `value` with `fields`.
  void Patch(const std::string& who, const std::string& table, const std::string& column,
             const std::string& value, const nlohmann::json& fields) const;
  void Remove(const std::string& who, const std::string& table, const std::string& column,
              const std::string& value) const;

  // `select` (a comma list of columns) of every row of `table`, from each side.
  nlohmann::json OurRows(const std::string& table, const std::string& select) const;
  nlohmann::json TheirRows(const std::string& table, const std::string& select) const;

  // An RPC's rows: ours through POST /rest/v1/rpc/<name> with `args` as the service;
  // PostgreSQL's from `SELECT ... FROM <name>(<pg_args>)`. A void function's (204) is null.
  nlohmann::json OurCall(const std::string& name, const nlohmann::json& args) const;
  nlohmann::json TheirCall(const std::string& name, const std::string& pg_args) const;

  // The SQLSTATE each side answers (or "ok"): ours for `method path body` sent as `who`
  // (a user id, kService or "anon"); PostgreSQL's for `sql` run as the same role.
  std::string OurCode(const std::string& who, const std::string& method, const std::string& path,
                      const std::string& body) const;
  std::string TheirCode(const std::string& who, const std::string& sql) const;

 private:
  std::string Bearer(const std::string& who) const;
  // `sql` wrapped in a transaction that takes `who`'s role and claims.
  static std::string As(const std::string& who, const std::string& sql);

  const ServerProcess& server_;
  const PostgresInstance& pg_;
};

// Rows made comparable across the two: numbers as doubles (Postgres prints 87.50 or
// 87.5000000000000000 where we may print 87.5), timestamps with six fractional digits (Postgres
// trims trailing zeros), recursively; and, unless `keep_order`, sorted.
nlohmann::json Canonical(const nlohmann::json& rows, bool keep_order = false);

}  // namespace ib::e2e
