#include "storage/export/pg_tables.h"

#include <cctype>
#include <regex>
#include <set>

#include "storage/catalog.h"
#include "storage/error.h"
#include "storage/executor.h"
#include "storage/export/pg_names.h"
#include "storage/values.h"

namespace ib::storage::pgexport {
namespace {

std::string Upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

std::string IdentList(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + PgIdent(n);
  return out;
}

// The text of a single-quoted SQL literal ("'a''b'" -> "a'b"), or nullopt when not one.
std::optional<std::string> Unquote(const std::string& sql) {
  if (sql.size() < 2 || sql.front() != '\'' || sql.back() != '\'') return std::nullopt;
  std::string out;
  for (size_t i = 1; i + 1 < sql.size(); ++i) {
    out += sql[i];
    if (sql[i] == '\'') ++i;
  }
  return out;
}

// Words and single characters of SQL text, string literals skipped.
struct Token {
  std::string text;
  size_t end = 0;
};
Token NextToken(const std::string& sql, size_t i) {
  while (i < sql.size() && std::isspace(static_cast<unsigned char>(sql[i]))) ++i;
  if (i >= sql.size()) return {"", i};
  if (sql[i] == '\'') {
    const size_t close = sql.find('\'', i + 1);
    return {"'", close == std::string::npos ? sql.size() : close + 1};
  }
  if (std::isalnum(static_cast<unsigned char>(sql[i])) || sql[i] == '_') {
    size_t end = i;
    while (end < sql.size() &&
           (std::isalnum(static_cast<unsigned char>(sql[end])) || sql[end] == '_')) {
      ++end;
    }
    return {sql.substr(i, end - i), end};
  }
  return {std::string(1, sql[i]), i + 1};
}

std::string ColumnSql(const Column& column) {
  std::string out = "  " + PgIdent(column.name) + " " + PgType(column);
  if (const std::string d = PgDefault(column); !d.empty()) out += " DEFAULT " + d;
  if (column.not_null || column.primary_key) out += " NOT NULL";
  return out;
}

std::string ForeignKeySql(const ForeignKey& fk) {
  std::string out = "  CONSTRAINT " + PgIdent(fk.name) + " FOREIGN KEY (" + IdentList(fk.columns) +
                    ") REFERENCES " + PgTableName(fk.ref_table) + " (" + IdentList(fk.ref_columns) +
                    ")";
  if (!fk.on_delete.empty() && Upper(fk.on_delete) != "NO ACTION") {
    out += " ON DELETE " + Upper(fk.on_delete);
  }
  return out;
}

std::string UniqueName(const Table& table, const std::vector<std::string>& columns) {
  std::string name = table.name;
  for (const auto& c : columns) name += "_" + c;
  return name + "_key";
}

// SQLite's text of a CREATE TABLE or CREATE INDEX; the index names its table as written.
std::string IndexSql(const std::string& create_sql, const std::string& table) {
  const std::regex on("\\bON\\s+\"?" + table + "\"?\\s*\\(", std::regex::icase);
  return std::regex_replace(create_sql, on, "ON " + PgTableName(table) + " (",
                            std::regex_constants::format_first_only);
}

}  // namespace

std::vector<const Table*> PlatformTables(const Catalog& catalog) {
  std::vector<const Table*> pending;
  for (const auto& t : catalog.tables()) {
    if (t->exposed) pending.push_back(t.get());
  }
  std::vector<const Table*> ordered;
  std::set<std::string> placed;
  while (!pending.empty()) {
    const size_t before = pending.size();
    for (auto it = pending.begin(); it != pending.end();) {
      bool ready = true;
      for (const auto& fk : (*it)->foreign_keys) {
        const Table* ref = catalog.FindTable(fk.ref_table);
        if (ref && ref->exposed && ref != *it && placed.count(ref->name) == 0) ready = false;
      }
      if (!ready) {
        ++it;
        continue;
      }
      placed.insert((*it)->name);
      ordered.push_back(*it);
      it = pending.erase(it);
    }
    if (pending.size() == before) {
      throw Error::Internal("the platform's tables refer to each other in a cycle, starting at " +
                            pending.front()->name);
    }
  }
  return ordered;
}

std::string PgType(const Column& column) {
  const ColumnType& t = column.type;
  switch (t.kind) {
    case ValueKind::kText:
      return "text";
    case ValueKind::kVarchar:
      return t.length > 0 ? "varchar(" + std::to_string(t.length) + ")" : "varchar";
    case ValueKind::kUuid:
      return "uuid";
    case ValueKind::kInt:
      return "integer";
    case ValueKind::kBigInt:
      return "bigint";
    case ValueKind::kDecimal:
      if (t.precision <= 0) return "numeric";
      return "decimal(" + std::to_string(t.precision) + "," + std::to_string(std::max(t.scale, 0)) +
             ")";
    case ValueKind::kReal:
      return "double precision";
    case ValueKind::kBool:
      return "boolean";
    case ValueKind::kJsonb:
      return Upper(t.declared).find("JSONB") != std::string::npos ? "jsonb" : "json";
    case ValueKind::kTimestamptz:
      return "timestamptz";
    case ValueKind::kDate:
      return "date";
    case ValueKind::kTextArray:
      return "text[]";
    case ValueKind::kBytea:
      return "bytea";
  }
  return "text";
}

std::string PgDefault(const Column& column) {
  if (!column.default_sql) return "";
  const std::string& d = *column.default_sql;
  switch (column.type.kind) {
    case ValueKind::kBool:
      if (d == "0") return "false";
      if (d == "1") return "true";
      return d;
    case ValueKind::kTextArray:
      if (const auto text = Unquote(d)) {
        SqlValueView view;
        view.type = SqlValueView::Type::kText;
        view.text = *text;
        return PgLiteral(ToText(column.type, view));
      }
      return d;
    case ValueKind::kJsonb:
      return Unquote(d) ? d + "::" + PgType(column) : d;
    default:
      return d;
  }
}

std::vector<std::pair<std::string, std::string>> ChecksOf(const std::string& create_sql,
                                                          const std::string& table) {
  std::vector<std::pair<std::string, std::string>> checks;
  std::string before_last, last;
  for (Token tok = NextToken(create_sql, 0); !tok.text.empty();
       tok = NextToken(create_sql, tok.end)) {
    if (Upper(tok.text) != "CHECK") {
      before_last = last;
      last = tok.text;
      continue;
    }
    Token open = NextToken(create_sql, tok.end);
    if (open.text != "(") throw Error::Internal("CHECK without '(' in the DDL of " + table);
    const size_t start = open.end;
    int depth = 1;
    Token t = open;
    while (depth > 0) {
      t = NextToken(create_sql, t.end);
      if (t.text.empty()) throw Error::Internal("unbalanced CHECK in the DDL of " + table);
      if (t.text == "(") ++depth;
      if (t.text == ")") --depth;
    }
    std::string expression = create_sql.substr(start, t.end - 1 - start);
    std::string name = Upper(before_last) == "CONSTRAINT"
                           ? last
                           : table + "_check" + std::to_string(checks.size() + 1);
    checks.emplace_back(std::move(name), std::move(expression));
    before_last.clear();
    last = ")";
    tok = t;
  }
  return checks;
}

std::string TablesSql(Connection& conn, const std::vector<const Table*>& tables) {
  Executor ex(conn);
  std::string out;
  for (const Table* table : tables) {
    std::vector<std::string> items;
    for (const auto& column : table->columns) items.push_back(ColumnSql(column));
    for (size_t i = 0; i < table->unique_keys.size(); ++i) {
      const auto& key = table->unique_keys[i];
      if (i == 0 && !table->primary_key.empty()) {
        items.push_back("  CONSTRAINT " + PgIdent(table->name + "_pkey") + " PRIMARY KEY (" +
                        IdentList(key) + ")");
      } else {
        items.push_back("  CONSTRAINT " + PgIdent(UniqueName(*table, key)) + " UNIQUE (" +
                        IdentList(key) + ")");
      }
    }
    std::string create_sql;
    std::vector<std::string> indexes;
    ex.Run({"SELECT type, sql FROM sqlite_schema WHERE tbl_name = ?1 AND sql IS NOT NULL "
            "AND type IN ('table', 'index') ORDER BY type DESC, name",
            {table->name},
            ""},
           [&](const Row& row) {
             if (row.Text(0) == "table") {
               create_sql = row.Text(1);
             } else {
               indexes.push_back(IndexSql(row.Text(1), table->name));
             }
           });
    for (const auto& [name, expression] : ChecksOf(create_sql, table->name)) {
      items.push_back("  CONSTRAINT " + PgIdent(name) + " CHECK (" + expression + ")");
    }
    for (const auto& fk : table->foreign_keys) items.push_back(ForeignKeySql(fk));

    out += "CREATE TABLE " + PgTableName(table->name) + " (\n";
    for (size_t i = 0; i < items.size(); ++i) {
      out += items[i] + (i + 1 < items.size() ? ",\n" : "\n");
    }
    out += ");\n";
    for (const auto& index : indexes) out += index + ";\n";
    out += "\n";
  }
  return out;
}

}  // namespace ib::storage::pgexport
