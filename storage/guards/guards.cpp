#include "storage/guards/guards.h"

#include <algorithm>

namespace ib::storage::guards {
namespace {

// Expands `$t` to the alias and each `:uid` to a bound parameter. The text between them is
// copied a run at a time: a guard is built for every guarded read and twice for every write.
void AppendExpanded(GuardPredicate& out, std::string_view tmpl, std::string_view alias,
                    const Principal& who) {
  out.sql += '(';
  size_t i = 0;
  while (i < tmpl.size()) {
    const size_t next = std::min(tmpl.find("$t", i), tmpl.find(":uid", i));
    out.sql.append(tmpl.substr(i, next - i));
    if (next == std::string_view::npos) break;
    if (tmpl[next] == '$') {
      out.sql.append(alias);
      i = next + 2;
    } else {
      out.sql += '?';
      // auth.uid() is NULL without a user; NULL never equals anything, as in Postgres.
      out.params.push_back(who.user_id.empty() ? SqlValue{} : SqlValue{who.user_id});
      i = next + 4;
    }
  }
  out.sql += ')';
}

GuardPredicate Build(std::string_view table, Command command, const Principal& who,
                     std::string_view alias, bool check) {
  GuardPredicate out;
  if (who.is_service()) return out;  // service_role bypasses every guard, as in Supabase.
  bool any = false;
  for (const Policy& p : AllPolicies()) {
    if (p.table != table || p.command != command || !p.roles.Contains(who.role)) continue;
    std::string_view tmpl = check ? p.check_sql : p.using_sql;
    if (tmpl.empty()) continue;
    out.sql += any ? " OR " : "(";
    AppendExpanded(out, tmpl, alias, who);
    any = true;
  }
  if (!any) {
    out.sql = "(0)";  // default deny
    out.params.clear();
  } else {
    out.sql += ')';
  }
  return out;
}

}  // namespace

GuardPredicate Using(std::string_view table, Command command, const Principal& who,
                     std::string_view alias) {
  return Build(table, command, who, alias, false);
}

GuardPredicate Check(std::string_view table, Command command, const Principal& who,
                     std::string_view alias) {
  return Build(table, command, who, alias, true);
}

std::optional<std::string> ProtectedColumnWritten(std::string_view table,
                                                  const std::vector<std::string>& written,
                                                  const Principal& who) {
  if (who.is_service()) return std::nullopt;
  for (const auto& entry : AllProtectedColumns()) {
    if (entry.table != table || !entry.allowed_sql.empty()) continue;
    for (const auto& col : written) {
      if (std::find(entry.columns.begin(), entry.columns.end(), col) != entry.columns.end()) {
        return col;
      }
    }
  }
  return std::nullopt;
}

std::vector<ColumnCondition> ColumnConditions(std::string_view table,
                                              const std::vector<std::string>* written,
                                              const Principal& who, std::string_view alias) {
  std::vector<ColumnCondition> out;
  if (who.is_service()) return out;
  for (const auto& entry : AllProtectedColumns()) {
    if (entry.table != table || entry.allowed_sql.empty()) continue;
    for (const auto& col : entry.columns) {
      if (written && std::find(written->begin(), written->end(), col) == written->end()) continue;
      ColumnCondition condition{std::string(col), {}};
      AppendExpanded(condition.allowed, entry.allowed_sql, alias, who);
      out.push_back(std::move(condition));
    }
  }
  return out;
}

}  // namespace ib::storage::guards
