#include "tests/support/gamification_fixture.h"

#include <stdexcept>

#include "storage/executor.h"
#include "storage/values.h"

namespace ib::testing {

using storage::SqlValue;

int64_t Micros(const std::string& iso) {
  return storage::ParseCanonicalTimestamptz(storage::NormalizeTimestamptz(iso));
}

GamificationFixture::GamificationFixture() : service_(Service()) {}

storage::RowWriter GamificationFixture::Writer() {
  return storage::RowWriter(db_.conn(), db_.catalog(), service_, now);
}

std::string GamificationFixture::AddUser(const std::string& email, bool with_profile) {
  const std::string id = db_.AddUser(email);
  ++users_;
  if (with_profile) {
    auto w = Writer();
    w.Insert("profiles", {{"id", id}, {"email", email}, {"name", "user " + email}});
  }
  return id;
}

std::string GamificationFixture::AddSession(const std::string& user,
                                            storage::hooks::RowData extra) {
  extra["user_id"] = user;
  if (!extra.count("title")) extra["title"] = std::string("Mock interview");
  auto w = Writer();
  const int64_t rowid = w.Insert("interview_sessions", std::move(extra));
  return storage::hooks::TextOf(*w.Read("interview_sessions", rowid), "id");
}

void GamificationFixture::UpdateSession(const std::string& id, storage::hooks::RowData changes) {
  auto w = Writer();
  auto rowid = w.FindRowid("interview_sessions", "id", id);
  if (!rowid) throw std::runtime_error("no session " + id);
  w.Update("interview_sessions", *rowid, std::move(changes));
}

void GamificationFixture::DeleteSession(const std::string& id) {
  auto w = Writer();
  auto rowid = w.FindRowid("interview_sessions", "id", id);
  if (!rowid) throw std::runtime_error("no session " + id);
  w.Delete("interview_sessions", *rowid);
}

std::string GamificationFixture::Complete(const std::string& user, std::optional<double> score,
                                          const std::string& completed_at,
                                          const std::string& type) {
  const std::string id =
      AddSession(user, {{"interview_type", type}, {"status", std::string("in_progress")}});
  storage::hooks::RowData changes{{"status", std::string("completed")}};
  changes["overall_score"] = score ? SqlValue(*score) : SqlValue();
  if (!completed_at.empty()) changes["completed_at"] = storage::NormalizeTimestamptz(completed_at);
  UpdateSession(id, std::move(changes));
  return id;
}

SqlValue GamificationFixture::Get(const std::string& table, const std::string& user,
                                  const std::string& column) {
  const storage::Table* t = db_.catalog().FindTable(table);
  if (t && t->IsComputed(column)) {
    // Computed when read (storage/computed_columns.h): read the way a REST select reads it.
    const std::string key = table == "profiles" ? "id" : "user_id";
    auto v = storage::Executor(db_.conn())
                 .Scalar({"SELECT r." + t->FindColumn(column)->ident.sql() + " FROM " +
                              t->read_source + " AS r WHERE r." + key + " = ?",
                          {user},
                          ""});
    return v ? *v : SqlValue();
  }
  auto w = Writer();
  auto rowid = w.FindRowid(table, table == "profiles" ? "id" : "user_id", user);
  if (!rowid) return SqlValue();
  auto row = w.Read(table, *rowid);
  auto it = row->find(column);
  if (it == row->end()) throw std::runtime_error("no column " + column);
  return it->second;
}

int64_t GamificationFixture::Int(const std::string& table, const std::string& user,
                                 const std::string& column) {
  SqlValue v = Get(table, user, column);
  if (const auto* i = std::get_if<int64_t>(&v)) return *i;
  if (const auto* d = std::get_if<double>(&v)) return static_cast<int64_t>(*d);
  throw std::runtime_error(table + "." + column + " is not a number");
}

double GamificationFixture::Real(const std::string& table, const std::string& user,
                                 const std::string& column) {
  SqlValue v = Get(table, user, column);
  if (const auto* i = std::get_if<int64_t>(&v)) return static_cast<double>(*i);
  if (const auto* d = std::get_if<double>(&v)) return *d;
  throw std::runtime_error(table + "." + column + " is not a number");
}

std::string GamificationFixture::Text(const std::string& table, const std::string& user,
                                      const std::string& column) {
  SqlValue v = Get(table, user, column);
  if (const auto* s = std::get_if<std::string>(&v)) return *s;
  return "<null>";
}

int64_t GamificationFixture::Count(const std::string& sql, const std::string& param) {
  return std::get<int64_t>(db_.Scalar(sql, {param}));
}

bool GamificationFixture::HasAchievement(const std::string& user, const std::string& type) {
  return std::get<int64_t>(db_.Scalar(
             "SELECT COUNT(*) FROM achievements WHERE user_id = ? AND achievement_type = ?",
             {user, type})) == 1;
}

}  // namespace ib::testing
