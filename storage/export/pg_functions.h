// The plpgsql triggers and functions of schema/postgres/functions.sql, compiled into the binary
// (schema/embed_pg_functions.cmake): `export postgres` appends them to schema.sql.
#pragma once

#include <string_view>

namespace ib::storage::pgexport {

std::string_view PostgresFunctionsSql();

}  // namespace ib::storage::pgexport
