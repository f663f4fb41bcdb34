// Postgres numeric division as text, for RPC results declared `numeric` (avg over a
// decimal(p,2) column). Postgres picks the quotient's display scale with select_div_scale()
// (at least 16 significant digits, never fewer than the inputs' scales) and rounds half away
// from zero; PostgREST then prints that text as a JSON number: avg(87.5) = 87.5000000000000000,
// avg(87,87,88) = 87.3333333333333333, avg(0.00) = 0.00000000000000000000. Pure; thread-safe.
#pragma once

#include <cstdint>
#include <string>

namespace ib::storage::rpc {

// The text of numeric_div(sum, count) where sum = `sum_units` / 10^`sum_scale` (a numeric of
// display scale `sum_scale`) and count > 0 an integer (scale 0), exactly as Postgres 15 prints
// it: avg(x) for a numeric column with `sum_scale` decimals is PgNumericAvgText(Σx·10^s, n, s).
std::string PgNumericAvgText(int64_t sum_units, int64_t count, int sum_scale);

}  // namespace ib::storage::rpc
