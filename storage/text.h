// Small text helpers every layer shares (REST parsing, HTTP headers, value conversion).
// Pure functions over std::string_view: no allocation, no locale, thread-safe.
#pragma once

#include <string_view>

namespace ib::storage {

// What C's isspace() accepts in the "C" locale; Postgres trims input values by this set.
inline constexpr std::string_view kAsciiSpace = " \t\n\v\f\r";
// HTTP's optional whitespace (OWS) around header values and list items: space and tab.
inline constexpr std::string_view kHttpSpace = " \t";

// `s` without leading and trailing characters from `chars`; a view into `s`.
std::string_view Trim(std::string_view s, std::string_view chars = kAsciiSpace);

}  // namespace ib::storage
