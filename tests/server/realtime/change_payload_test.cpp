// The postgres_changes `data` object: commit_timestamp in UTC with milliseconds and `Z`, and the
// Postgres type names Realtime reports for each column kind.
#include "server/realtime/change_payload.h"

#include <doctest/doctest.h>

#include "storage/values.h"

namespace ib::realtime {
namespace {

TEST_CASE("change payload: commit_timestamp is UTC to the millisecond, with Z") {
  CHECK(CommitTimestamp(1'714'564'800'124'567) == "2024-05-01T12:00:00.124Z");
  CHECK(CommitTimestamp(1'714'564'800'000'000) == "2024-05-01T12:00:00.000Z");
  CHECK(CommitTimestamp(0) == "1970-01-01T00:00:00.000Z");
}

TEST_CASE("change payload: column types carry Postgres' type names") {
  CHECK(PgTypeName(storage::ParseDeclaredType("UUID")) == "uuid");
  CHECK(PgTypeName(storage::ParseDeclaredType("INT")) == "int4");
  CHECK(PgTypeName(storage::ParseDeclaredType("DECIMAL(5,2)")) == "numeric");
  CHECK(PgTypeName(storage::ParseDeclaredType("TEXT[]")) == "_text");
  CHECK(PgTypeName(storage::ParseDeclaredType("TIMESTAMPTZ")) == "timestamptz");
  CHECK(PgTypeName(storage::ParseDeclaredType("VARCHAR(50)")) == "varchar");
  CHECK(PgTypeName(storage::ParseDeclaredType("BOOLEAN")) == "bool");
  CHECK(PgTypeName(storage::ParseDeclaredType("JSONB")) == "jsonb");
}

}  // namespace
}  // namespace ib::realtime
