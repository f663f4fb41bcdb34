#include "tests/support/test_db.h"

#include "storage/migrator.h"

namespace ib::testing {

TestDb::TestDb(const std::string& path) : db_(std::make_unique<storage::Db>(path)) {
  {
    storage::Db::WriteLease lease(*db_);
    storage::Migrate(lease.conn().db(), storage::EmbeddedMigrations());
    catalog_ = storage::Catalog::Load(lease.conn());
  }
  db_->SetCatalog(catalog_);
}

void TestDb::Exec(const std::string& sql) { storage::Executor(conn()).Exec(sql.c_str()); }

storage::SqlValue TestDb::Scalar(const std::string& sql, std::vector<storage::SqlValue> params) {
  auto v = storage::Executor(conn()).Scalar({sql, std::move(params), ""});
  return v ? *v : storage::SqlValue{};
}

int64_t TestDb::Count(const std::string& table) {
  return std::get<int64_t>(Scalar("SELECT count(*) FROM " + table));
}

std::string TestDb::QueryPlan(const storage::SqlQuery& q) {
  std::string details;
  storage::Executor(conn()).Run({"EXPLAIN QUERY PLAN " + q.text, q.params, ""},
                                [&](const storage::Row& r) {
                                  details += r.Text(3);
                                  details += '\n';
                                });
  return details;
}

std::string TestDb::AddUser(const std::string& email) {
  auto id = Scalar("INSERT INTO auth_users (email) VALUES (?) RETURNING id", {email});
  return std::get<std::string>(id);
}

storage::Principal Service() { return {storage::Role::kServiceRole, "", {}}; }
storage::Principal Anon() { return {storage::Role::kAnon, "", {}}; }
storage::Principal User(const std::string& id) {
  return {storage::Role::kAuthenticated, id, {{"sub", id}, {"role", "authenticated"}}};
}

}  // namespace ib::testing
