// Where our SQLite tables live in Supabase's Postgres: the platform's tables in `public` under
// the same names, auth_users / auth_identities as GoTrue's auth.users / auth.identities, and
// storage_buckets / storage_objects as Storage's storage.buckets / storage.objects, and the
// completion award's record in functions.sql's `private` schema. Pure.
#pragma once

#include <string>
#include <string_view>

namespace ib::storage::pgexport {

// "profiles" -> "public.profiles", "auth_users" -> "auth.users", "storage_objects" ->
// "storage.objects".
std::string PgTableName(std::string_view table);

// The table's own name inside its schema ("profiles", "users", "objects"): how a policy's
// predicate names the row it guards.
std::string PgShortName(std::string_view table);

// A single-quoted Postgres string literal (quotes doubled; standard_conforming_strings, so a
// backslash is an ordinary character).
std::string PgLiteral(std::string_view text);

// A double-quoted Postgres identifier (quotes doubled).
std::string PgIdent(std::string_view name);

}  // namespace ib::storage::pgexport
