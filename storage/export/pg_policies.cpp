#include "storage/export/pg_policies.h"

#include <algorithm>
#include <cctype>

#include "storage/catalog.h"
#include "storage/error.h"
#include "storage/export/pg_names.h"
#include "storage/guards/policy.h"

namespace ib::storage::pgexport {
namespace {

bool IsWordChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_'; }

// A table a guard predicate may name besides its own (a guarded table, or an auth_ one):
// renamed to its Postgres name.
bool IsOurTable(std::string_view word) {
  if (word.rfind("auth_", 0) == 0) return true;
  const auto& policies = guards::AllPolicies();
  return std::any_of(policies.begin(), policies.end(),
                     [&](const guards::Policy& p) { return p.table == word; });
}

const char* CommandName(guards::Command command) {
  switch (command) {
    case guards::Command::kSelect:
      return "SELECT";
    case guards::Command::kInsert:
      return "INSERT";
    case guards::Command::kUpdate:
      return "UPDATE";
    case guards::Command::kDelete:
      return "DELETE";
  }
  return "SELECT";
}

std::string RoleList(RoleSet roles) {
  std::string out;
  for (Role role : {Role::kAnon, Role::kAuthenticated, Role::kServiceRole}) {
    if (!roles.Contains(role)) continue;
    if (!out.empty()) out += ", ";
    out += RoleName(role);
  }
  return out;
}

std::string Join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
  return out;
}

}  // namespace

std::string TranslatePredicate(std::string_view guard_sql, std::string_view table) {
  if (guard_sql == "1") return "true";
  if (guard_sql == "0") return "false";
  const std::string self = PgShortName(table);
  std::string out;
  size_t i = 0;
  while (i < guard_sql.size()) {
    const char c = guard_sql[i];
    if (c == '\'') {  // a string literal is copied as it is
      const size_t end = guard_sql.find('\'', i + 1);
      if (end == std::string_view::npos) {
        throw Error::Internal("guard predicate with an unterminated string: " +
                              std::string(guard_sql));
      }
      out.append(guard_sql.substr(i, end + 1 - i));
      i = end + 1;
    } else if (table == "storage_objects" && guard_sql.substr(i, 7) == "$t.name" &&
               (i + 7 == guard_sql.size() || !IsWordChar(guard_sql[i + 7]))) {
      // The owner's folder is a byte range of names (docs/guards.md): compared byte by byte,
      // as SQLite compares, not by the database's collation.
      out += "(" + self + ".name COLLATE \"C\")";
      i += 7;
    } else if (guard_sql.substr(i, 2) == "$t") {
      out += self;
      i += 2;
    } else if (guard_sql.substr(i, 4) == ":uid" &&
               (i + 4 == guard_sql.size() || !IsWordChar(guard_sql[i + 4]))) {
      out += "(SELECT auth.uid())";
      i += 4;
    } else if (IsWordChar(c)) {
      size_t end = i;
      while (end < guard_sql.size() && IsWordChar(guard_sql[end])) ++end;
      const std::string_view word = guard_sql.substr(i, end - i);
      const bool qualified =
          (i > 0 && guard_sql[i - 1] == '.') || (end < guard_sql.size() && guard_sql[end] == '.');
      out += !qualified && IsOurTable(word) ? PgTableName(word) : std::string(word);
      i = end;
    } else {
      out += c;
      ++i;
    }
  }
  return out;
}

std::string PoliciesSql(const std::vector<std::string>& tables) {
  std::string out;
  for (const auto& table : tables) {
    const std::string pg = PgTableName(table);
    out += "ALTER TABLE " + pg + " ENABLE ROW LEVEL SECURITY;\n";
    for (const auto& policy : guards::AllPolicies()) {
      if (policy.table != table) continue;
      const std::string name = PgIdent(policy.name);
      out.append("DROP POLICY IF EXISTS ").append(name).append(" ON ").append(pg).append(";\n");
      out.append("CREATE POLICY ").append(name).append(" ON ").append(pg);
      out.append(" AS PERMISSIVE FOR ").append(CommandName(policy.command));
      out.append(" TO ").append(RoleList(policy.roles));
      if (!policy.using_sql.empty()) {
        out += "\n  USING (" + TranslatePredicate(policy.using_sql, table) + ")";
      }
      if (!policy.check_sql.empty()) {
        out += "\n  WITH CHECK (" + TranslatePredicate(policy.check_sql, table) + ")";
      }
      out += ";\n";
    }
    out += "\n";
  }
  return out;
}

std::string GrantsSql(const std::vector<const Table*>& tables) {
  std::string out = "GRANT USAGE ON SCHEMA public TO anon, authenticated, service_role;\n";
  for (const Table* table : tables) {
    const std::string pg = PgTableName(table->name);
    out += "GRANT ALL ON " + pg + " TO service_role;\n";
    std::vector<std::string> writable;
    bool restricted = false;
    for (const auto& column : table->columns) {
      bool protected_column = false;
      for (const auto& entry : guards::AllProtectedColumns()) {
        // A column its owner may write under a condition (profiles.email) stays writable here:
        // the condition reads auth.users, which Supabase's client roles cannot read.
        if (entry.table != table->name || !entry.allowed_sql.empty()) continue;
        protected_column = protected_column || std::find(entry.columns.begin(), entry.columns.end(),
                                                         column.name) != entry.columns.end();
      }
      if (protected_column) {
        restricted = true;
      } else {
        writable.push_back(PgIdent(column.name));
      }
    }
    if (!restricted) {
      out += "GRANT SELECT, INSERT, UPDATE, DELETE ON " + pg + " TO anon, authenticated;\n";
      continue;
    }
    out += "GRANT SELECT, DELETE ON " + pg + " TO anon, authenticated;\n";
    const std::string columns = Join(writable);
    out.append("GRANT INSERT (").append(columns).append("), UPDATE (").append(columns);
    out.append(") ON ").append(pg).append(" TO anon, authenticated;\n");
  }
  return out;
}

}  // namespace ib::storage::pgexport
