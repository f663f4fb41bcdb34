// Row-level security for Postgres, generated from the guard table (storage/guards/policies.cpp,
// docs/guards.md) so the two cannot drift: ENABLE ROW LEVEL SECURITY on each table, one CREATE
// POLICY per guard row under the guard's name, its predicates translated from the guard
// language (`$t`, `:uid`, our table names) to Postgres (the policy's table, auth.uid(),
// schema-qualified names); and the grants Supabase's roles need, with the protected columns
// left out of what anon and authenticated may insert or update. Pure.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace ib::storage {
struct Table;
}

namespace ib::storage::pgexport {

// A guard predicate as Postgres SQL for a policy on our table `table`: `$t` becomes the
// policy's table, `:uid` becomes `(SELECT auth.uid())`, a name of one of our tables becomes
// its Postgres name (pg_names.h), and the constants 1 / 0 become true / false. A storage
// object's name is compared in the "C" collation (byte order, as the guard's range assumes).
std::string TranslatePredicate(std::string_view guard_sql, std::string_view table);

// For each of `tables` (ours, by name): ENABLE ROW LEVEL SECURITY, then one CREATE POLICY per
// guard row on it (preceded by DROP POLICY IF EXISTS, since storage.* already exist).
std::string PoliciesSql(const std::vector<std::string>& tables);

// GRANTs for the platform's tables: everything to service_role; select, insert, update and
// delete to anon and authenticated (the policies decide which rows), insert and update only
// on the columns no guard protects.
std::string GrantsSql(const std::vector<const Table*>& tables);

}  // namespace ib::storage::pgexport
