// Helpers the auth stores share (user_store.cpp, session_store.cpp); not for use outside
// storage/auth. Each runs on the caller's connection inside its transaction.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "storage/sql_value.h"

namespace ib::storage {
class Connection;
}  // namespace ib::storage

namespace ib::storage::auth::internal {

// A fresh id from the connection's gen_random_uuid(), the same function column defaults use.
std::string NewUuid(Connection& conn);
// Stored ids are lowercase; clients may send any case.
std::string LowerId(std::string_view id);
// The first column (a rowid) of every row of a fixed query; values bound as parameters.
std::vector<int64_t> Rowids(Connection& conn, const char* sql, std::vector<SqlValue> params);

}  // namespace ib::storage::auth::internal
