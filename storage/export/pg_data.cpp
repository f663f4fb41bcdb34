#include "storage/export/pg_data.h"

#include <nlohmann/json.hpp>

#include "storage/catalog.h"
#include "storage/executor.h"
#include "storage/export/pg_names.h"
#include "storage/values.h"

namespace ib::storage::pgexport {
namespace {

constexpr std::string_view kNull = "\\N";

// GoTrue's user row: our auth_users columns under GoTrue's names, and the columns GoTrue reads
// as strings (a NULL there fails its scan) set to ''.
constexpr const char* kUsersCopy =
    "COPY auth.users (instance_id, id, aud, role, email, encrypted_password, "
    "email_confirmed_at, confirmation_token, recovery_token, email_change_token_new, "
    "email_change, last_sign_in_at, raw_app_meta_data, raw_user_meta_data, created_at, "
    "updated_at, phone, banned_until) FROM stdin;\n";
constexpr const char* kUsersSelect =
    "SELECT id, role, email, encrypted_password, email_confirmed_at, last_sign_in_at, "
    "raw_app_meta_data, raw_user_meta_data, created_at, updated_at, phone, banned_until "
    "FROM auth_users ORDER BY created_at, id";

constexpr const char* kIdentitiesCopy =
    "COPY auth.identities (provider_id, user_id, identity_data, provider, last_sign_in_at, "
    "created_at, updated_at, id) FROM stdin;\n";
constexpr const char* kIdentitiesSelect =
    "SELECT i.provider_id, i.user_id, u.email, i.provider, i.last_sign_in_at, i.created_at, "
    "i.updated_at, i.id FROM auth_identities AS i JOIN auth_users AS u ON u.id = i.user_id "
    "ORDER BY i.created_at, i.id";

// One value in COPY text form, rendered as Postgres would print `type`.
std::string Cell(const ColumnType& type, const SqlValueView& value) {
  if (value.is_null()) return std::string(kNull);
  return CopyEscape(ToText(type, value));
}

const ColumnType& TypeOf(const Table& table, std::string_view column) {
  const Column* c = table.FindColumn(column);
  static const ColumnType kText{};
  return c ? c->type : kText;
}

void AppendLine(std::string& out, const std::vector<std::string>& cells) {
  for (size_t i = 0; i < cells.size(); ++i) {
    if (i > 0) out += '\t';
    out += cells[i];
  }
  out += '\n';
}

int64_t AppendUsers(Executor& ex, const Catalog& catalog, std::string& out) {
  const Table& users = *catalog.FindTable("auth_users");
  out += kUsersCopy;
  int64_t count = 0;
  ex.Run({kUsersSelect, {}, ""}, [&](const Row& row) {
    auto cell = [&](int i) { return Cell(TypeOf(users, row.name(i)), row[i]); };
    AppendLine(out, {"00000000-0000-0000-0000-000000000000", cell(0), "authenticated", cell(1),
                     cell(2), cell(3), cell(4), "", "", "", "", cell(5), cell(6), cell(7), cell(8),
                     cell(9), cell(10), cell(11)});
    ++count;
  });
  out += "\\.\n\n";

  const Table& identities = *catalog.FindTable("auth_identities");
  out += kIdentitiesCopy;
  ex.Run({kIdentitiesSelect, {}, ""}, [&](const Row& row) {
    auto cell = [&](int i) { return Cell(TypeOf(identities, row.name(i)), row[i]); };
    nlohmann::json data = {{"sub", row.Text(1)}};
    if (!row[2].is_null()) data["email"] = row.Text(2);
    AppendLine(out, {cell(0), cell(1), CopyEscape(data.dump()), cell(3), cell(4), cell(5), cell(6),
                     cell(7)});
  });
  out += "\\.\n\n";
  return count;
}

int64_t AppendTable(Executor& ex, const Table& table, std::string& out) {
  std::string names, select;
  for (const auto& column : table.columns) {
    names += (names.empty() ? "" : ", ") + PgIdent(column.name);
    select += (select.empty() ? "" : ", ") + std::string("src.") + column.ident.sql();
  }
  std::string order;
  for (const auto& key : table.primary_key) {
    order += (order.empty() ? "" : ", ") + std::string("src.") + PgIdent(key);
  }
  // Through read_source: a computed column (the leaderboard's rank) is exported as read.
  std::string sql = "SELECT " + select + " FROM " + table.read_source + " AS src";
  if (!order.empty()) sql += " ORDER BY " + order;
  out += "COPY " + PgTableName(table.name) + " (" + names + ") FROM stdin;\n";
  int64_t count = 0;
  ex.Run({sql, {}, ""}, [&](const Row& row) {
    std::vector<std::string> cells;
    cells.reserve(table.columns.size());
    for (size_t i = 0; i < table.columns.size(); ++i) {
      cells.push_back(Cell(table.columns[i].type, row[static_cast<int>(i)]));
    }
    AppendLine(out, cells);
    ++count;
  });
  out += "\\.\n\n";
  return count;
}

}  // namespace

std::string CopyEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\v':
        out += "\\v";
        break;
      default:
        out += c;
    }
  }
  return out;
}

DataCounts AppendDataSql(Connection& conn, const Catalog& catalog,
                         const std::vector<const Table*>& tables, std::string& out) {
  Executor ex(conn);
  DataCounts counts;
  out +=
      "-- The interview platform's rows for Supabase's Postgres, generated by `interviewbase\n"
      "-- export postgres` (pg_dump's data-only format). Load after schema.sql:\n"
      "-- psql -v ON_ERROR_STOP=1 -f data.sql\n"
      "BEGIN;\n"
      "SET session_replication_role = replica;\n\n";
  counts.users = AppendUsers(ex, catalog, out);
  for (const Table* table : tables) counts.rows += AppendTable(ex, *table, out);
  // The completion award's record (functions.sql keeps the same table): without it, a session
  // completed here would be awarded again when it is next updated there.
  if (const Table* awarded = catalog.FindTable("ib_completed_sessions")) {
    AppendTable(ex, *awarded, out);
  }
  out += "SET session_replication_role = DEFAULT;\nCOMMIT;\n";
  return counts;
}

}  // namespace ib::storage::pgexport
