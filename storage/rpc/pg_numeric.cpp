#include "storage/rpc/pg_numeric.h"

#include <algorithm>

namespace ib::storage::rpc {
namespace {

// Postgres numerics are base-10000 digit arrays; these constants are numeric.c's.
constexpr int kMinSigDigits = 16;  // NUMERIC_MIN_SIG_DIGITS
constexpr int kDecDigits = 4;      // DEC_DIGITS
constexpr int kMaxDisplayScale = 1000;
constexpr uint64_t kNBase = 10000;

struct Lead {
  int weight = 0;      // weight of the first non-zero base-10000 digit
  uint64_t first = 0;  // that digit (0 for zero)
};

Lead LeadOfInteger(uint64_t v) {
  Lead l;
  while (v >= kNBase) {
    v /= kNBase;
    ++l.weight;
  }
  l.first = v;
  return l;
}

uint64_t Pow10(int n) {
  uint64_t p = 1;
  while (n-- > 0) p *= 10;
  return p;
}

// The leading digit of |units| / 10^scale: its integer part if any, else the first non-zero
// group of four fractional decimals.
Lead LeadOf(uint64_t units, int scale) {
  const uint64_t unit = Pow10(scale);
  if (units / unit > 0) return LeadOfInteger(units / unit);
  if (units == 0) return {};
  std::string frac = std::to_string(units);
  frac.insert(0, static_cast<size_t>(scale) - frac.size(), '0');
  frac.append((kDecDigits - frac.size() % kDecDigits) % kDecDigits, '0');
  for (size_t i = 0; i < frac.size(); i += kDecDigits) {
    const uint64_t group = std::stoull(frac.substr(i, kDecDigits));
    if (group != 0) return {-static_cast<int>(i / kDecDigits) - 1, group};
  }
  return {};
}

// numeric.c select_div_scale(): enough digits for kMinSigDigits significant ones.
int SelectDivScale(const Lead& a, int a_scale, const Lead& b) {
  int qweight = a.weight - b.weight;
  if (a.first <= b.first) --qweight;
  int rscale = kMinSigDigits - qweight * kDecDigits;
  rscale = std::max(rscale, a_scale);
  return std::min(std::max(rscale, 0), kMaxDisplayScale);
}

// Adds one to the last digit of a decimal string, carrying leftwards ("9.99" -> "10.00").
void Increment(std::string& digits) {
  for (size_t i = digits.size(); i-- > 0;) {
    if (digits[i] == '.') continue;
    if (digits[i] != '9') {
      ++digits[i];
      return;
    }
    digits[i] = '0';
  }
  digits.insert(0, 1, '1');
}

}  // namespace

std::string PgNumericAvgText(int64_t sum_units, int64_t count, int sum_scale) {
  const bool negative = sum_units < 0;
  const uint64_t units =
      negative ? 0 - static_cast<uint64_t>(sum_units) : static_cast<uint64_t>(sum_units);
  const uint64_t n = static_cast<uint64_t>(count);
  const int rscale = SelectDivScale(LeadOf(units, sum_scale), sum_scale, LeadOfInteger(n));

  // Exact long division of units / (10^scale * n), one decimal digit at a time, then one
  // more digit decides the rounding (half away from zero, as div_var rounds).
  const uint64_t divisor = Pow10(sum_scale) * n;
  std::string out = std::to_string(units / divisor);
  uint64_t rest = units % divisor;
  if (rscale > 0) out += '.';
  for (int i = 0; i < rscale; ++i) {
    rest *= 10;
    out += static_cast<char>('0' + rest / divisor);
    rest %= divisor;
  }
  if (rest * 10 / divisor >= 5) Increment(out);
  const bool zero = out.find_first_not_of("0.") == std::string::npos;
  return negative && !zero ? "-" + out : out;
}

}  // namespace ib::storage::rpc
