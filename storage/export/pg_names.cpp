#include "storage/export/pg_names.h"

#include <array>
#include <utility>

namespace ib::storage::pgexport {
namespace {

constexpr std::array<std::pair<std::string_view, std::string_view>, 5> kElsewhere = {{
    {"auth_users", "auth.users"},
    {"auth_identities", "auth.identities"},
    {"storage_buckets", "storage.buckets"},
    {"storage_objects", "storage.objects"},
    // The completion award's record: schema/postgres/functions.sql keeps it out of the API.
    {"ib_completed_sessions", "private.ib_completed_sessions"},
}};

std::string Quoted(std::string_view text, char quote) {
  std::string out(1, quote);
  for (char c : text) {
    out += c;
    if (c == quote) out += quote;
  }
  out += quote;
  return out;
}

}  // namespace

std::string PgTableName(std::string_view table) {
  for (const auto& [ours, theirs] : kElsewhere) {
    if (table == ours) return std::string(theirs);
  }
  return "public." + std::string(table);
}

std::string PgShortName(std::string_view table) {
  const std::string full = PgTableName(table);
  return full.substr(full.find('.') + 1);
}

std::string PgLiteral(std::string_view text) { return Quoted(text, '\''); }

std::string PgIdent(std::string_view name) { return Quoted(name, '"'); }

}  // namespace ib::storage::pgexport
