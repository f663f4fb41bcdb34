// Postgres' numeric avg text, case by case; every expected value was printed by PostgreSQL 15
// (SELECT avg(x) FROM (VALUES ...::numeric(5,2)) t(x)).
#include "storage/rpc/pg_numeric.h"

#include <doctest/doctest.h>

namespace ib::storage::rpc {
namespace {

TEST_CASE("pg numeric: avg text matches PostgreSQL's select_div_scale and rounding") {
  struct Case {
    int64_t sum_units;
    int64_t count;
    const char* text;
  };
  const Case cases[] = {
      {8750, 1, "87.5000000000000000"},            // avg(87.50)
      {17550, 2, "87.7500000000000000"},           // avg(87.50, 88.00)
      {26200, 3, "87.3333333333333333"},           // avg(87, 87, 88)
      {0, 1, "0.00000000000000000000"},            // avg(0.00)
      {50, 1, "0.50000000000000000000"},           // avg(0.50)
      {10, 2, "0.05000000000000000000"},           // avg(0.05, 0.05)
      {-8750, 1, "-87.5000000000000000"},          // avg(-87.50)
      {1000000, 1, "10000.0000000000000000"},      // avg(10000.00)
      {20000498, 3, "66668.326666666667"},         // avg(99999.99, 99999.99, 5)
      {300, 2, "1.5000000000000000"},              // avg(2, 1)
      {200, 2, "1.00000000000000000000"},          // avg(1, 1): equal first digits
      {100, 12345, "0.000081004455245038477116"},  // 1.00 / 12345
      {20000, 3, "66.6666666666666667"},           // rounds the last digit up
      {-20000, 3, "-66.6666666666666667"},         // away from zero
  };
  for (const Case& c : cases) {
    CAPTURE(c.sum_units);
    CAPTURE(c.count);
    CHECK(PgNumericAvgText(c.sum_units, c.count, 2) == c.text);
  }
}

}  // namespace
}  // namespace ib::storage::rpc
