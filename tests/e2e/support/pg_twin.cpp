#include "tests/e2e/support/pg_twin.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <regex>
#include <stdexcept>

using nlohmann::json;

namespace ib::e2e {
namespace {

// A JSON text inside SQL, dollar-quoted so no escaping is needed.
std::string JsonLiteral(const json& value) {
  const std::string text = value.dump();
  REQUIRE(text.find("$j$") == std::string::npos);
  return "$j$" + text + "$j$";
}

// The row's keys as a column list, and as `prefix.key` selections.
std::string Columns(const json& row, const std::string& prefix = "") {
  std::string out;
  for (const auto& item : row.items()) {
    out += (out.empty() ? "" : ", ") + (prefix.empty() ? "" : prefix + ".") + item.key();
  }
  return out;
}

std::string Quoted(const std::string& text) {
  return "'" + std::regex_replace(text, std::regex("'"), "''") + "'";
}

std::string NormalizeTimestamp(const std::string& s) {
  static const std::regex ts(R"((\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,6}))?\+00:00)");
  std::smatch m;
  if (!std::regex_match(s, m, ts)) return s;
  std::string frac = m[2].str();
  frac.resize(6, '0');
  return m[1].str() + "." + frac + "+00:00";
}

json Normalize(const json& v) {
  if (v.is_number()) return v.get<double>();
  if (v.is_string()) return NormalizeTimestamp(v.get<std::string>());
  if (v.is_array() || v.is_object()) {
    json out = v;
    for (auto& item : out.items()) item.value() = Normalize(item.value());
    return out;
  }
  return v;
}

}  // namespace

json Canonical(const json& rows, bool keep_order) {
  std::vector<json> out;
  for (const json& row : rows) out.push_back(Normalize(row));
  if (!keep_order) {
    std::sort(out.begin(), out.end(),
              [](const json& a, const json& b) { return a.dump() < b.dump(); });
  }
  return out;
}

std::string PgTwin::Bearer(const std::string& who) const {
  if (who == kService) return server_.service_key();
  if (who == "anon") return server_.anon_key();
  return ServerProcess::Token("authenticated", who);
}

std::string PgTwin::As(const std::string& who, const std::string& sql) {
  if (who == kService) return sql;
  std::string out =
      "BEGIN;\nSET LOCAL ROLE " + std::string(who == "anon" ? "anon" : "authenticated");
  const json claims =
      who == "anon" ? json{{"role", "anon"}} : json{{"sub", who}, {"role", "authenticated"}};
  out += ";\nSET LOCAL request.jwt.claims = " + Quoted(claims.dump()) + ";\n";
  return out + sql + ";\nCOMMIT;";
}

std::string PgTwin::AddUser(const std::string& email, const json& metadata) const {
  std::string id = server_.CreateUser(email, "secret123", metadata);
  pg_.Query("INSERT INTO auth.users (id, email, raw_user_meta_data) VALUES (" + Quoted(id) + ", " +
            Quoted(email) + ", " + JsonLiteral(metadata) + ")");
  return id;
}

void PgTwin::RemoveUser(const std::string& user_id) const {
  Reply r = server_.Send("DELETE", "/auth/v1/admin/users/" + user_id, server_.service_key(), "",
                         {{"apikey", server_.service_key()}});
  REQUIRE_MESSAGE(r.status == 200, r.body);
  pg_.Query("DELETE FROM auth.users WHERE id = " + Quoted(user_id));
}

void PgTwin::SetEmail(const std::string& user_id, const std::string& email) const {
  Reply r = server_.Send("PUT", "/auth/v1/admin/users/" + user_id, server_.service_key(),
                         json{{"email", email}}.dump(), {{"apikey", server_.service_key()}});
  REQUIRE_MESSAGE(r.status == 200, r.body);
  pg_.Query("UPDATE auth.users SET email = " + Quoted(email) + " WHERE id = " + Quoted(user_id));
}

void PgTwin::Insert(const std::string& who, const std::string& table, const json& row) const {
  Reply r = server_.Send("POST", "/rest/v1/" + table, Bearer(who), row.dump(),
                         {{"Prefer", "return=minimal"}});
  REQUIRE_MESSAGE(r.status == 201, table << " " << row.dump() << " -> " << r.body);
  pg_.Query(As(who, "INSERT INTO public." + table + " (" + Columns(row) + ") SELECT " +
                        Columns(row, "r") + " FROM json_populate_record(NULL::public." + table +
                        ", " + JsonLiteral(row) + ") AS r"));
}

void PgTwin::Patch(const std::string& who, const std::string& table, const std::string& column,
                   const std::string& value, const json& fields) const {
  Reply r = server_.Send("PATCH", "/rest/v1/" + table + "?" + column + "=eq." + value, Bearer(who),
                         fields.dump());
  REQUIRE_MESSAGE(r.status == 204, table << " " << fields.dump() << " -> " << r.body);
  std::string sets;
  for (const auto& item : fields.items()) {
    sets += (sets.empty() ? "" : ", ") + item.key() + " = r." + item.key();
  }
  pg_.Query(As(who, "UPDATE public." + table + " AS t SET " + sets +
                        " FROM json_populate_record(NULL::public." + table + ", " +
                        JsonLiteral(fields) + ") AS r WHERE t." + column + " = " + Quoted(value)));
}

void PgTwin::Remove(const std::string& who, const std::string& table, const std::string& column,
                    const std::string& value) const {
  Reply r =
      server_.Send("DELETE", "/rest/v1/" + table + "?" + column + "=eq." + value, Bearer(who));
  REQUIRE_MESSAGE(r.status == 204, table << " " << value << " -> " << r.body);
  pg_.Query(As(who, "DELETE FROM public." + table + " WHERE " + column + " = " + Quoted(value)));
}

json PgTwin::OurRows(const std::string& table, const std::string& select) const {
  Reply r = server_.Send("GET", "/rest/v1/" + table + "?select=" + select, server_.service_key(),
                         "", {{"apikey", server_.service_key()}});
  REQUIRE_MESSAGE(r.status == 200, r.body);
  return r.json();
}

json PgTwin::TheirRows(const std::string& table, const std::string& select) const {
  return json::parse(pg_.Query("SELECT coalesce(json_agg(t), '[]') FROM (SELECT " + select +
                               " FROM public." + table + ") AS t"));
}

json PgTwin::OurCall(const std::string& name, const json& args) const {
  Reply r = server_.Send("POST", "/rest/v1/rpc/" + name, server_.service_key(), args.dump(),
                         {{"apikey", server_.service_key()}});
  REQUIRE_MESSAGE((r.status == 200 || r.status == 204),
                  name << " " << args.dump() << " -> " << r.body);
  return r.status == 204 ? json() : r.json();
}

json PgTwin::TheirCall(const std::string& name, const std::string& pg_args) const {
  return json::parse(pg_.Query("SELECT coalesce(json_agg(t), '[]') FROM public." + name + "(" +
                               pg_args + ") AS t"));
}

std::string PgTwin::OurCode(const std::string& who, const std::string& method,
                            const std::string& path, const std::string& body) const {
  Reply r =
      server_.Send(method, path, Bearer(who), body,
                   {{"apikey", who == kService ? server_.service_key() : server_.anon_key()}});
  if (r.status < 400) return "ok";
  return r.json().value("code", "HTTP " + std::to_string(r.status));
}

std::string PgTwin::TheirCode(const std::string& who, const std::string& sql) const {
  try {
    pg_.Query("\\set VERBOSITY verbose\n" + As(who, sql));
    return "ok";
  } catch (const std::runtime_error& e) {
    static const std::regex code(R"(ERROR:  ([0-9A-Z]{5}):)");
    std::smatch m;
    const std::string what = e.what();
    return std::regex_search(what, m, code) ? m[1].str() : what;
  }
}

}  // namespace ib::e2e
