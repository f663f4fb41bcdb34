// Regular expressions for PostgREST's match/imatch (Postgres `~` and `~*`) on RE2, whose
// matching time is linear in the subject whatever the pattern, so no pattern can hold a worker
// (a backtracking engine takes minutes on `^(a|a)+b`). Patterns are bounded in size and compiled
// with Postgres' defaults: `.` matches a newline, `^` and `$` match only at the ends.
// Compiled patterns are immutable and may be shared between threads.
#pragma once

#include <cstddef>
#include <memory>
#include <string_view>

namespace re2 {
class RE2;
}

namespace ib::storage {

// The longest match/imatch pattern accepted, in bytes.
inline constexpr size_t kMaxRegexPatternBytes = 1024;

// sqlite3_result_error text of the regex SQL functions starts with this; the executor turns
// such a failure into Error::InvalidRegex (2201B) with the rest as the reason.
inline constexpr std::string_view kRegexErrorPrefix = "invalid regular expression: ";

struct RegexDeleter {
  void operator()(const re2::RE2* re) const;
};
using CompiledRegex = std::unique_ptr<const re2::RE2, RegexDeleter>;

// The compiled pattern, or nullptr with `reason` set (too long, or a syntax RE2 refuses:
// back-references, look-around).
CompiledRegex CompileRegex(std::string_view pattern, bool case_insensitive, std::string* reason);

// Throws Error::InvalidRegex (400 2201B) unless `pattern` compiles: lets the planner refuse a
// bad pattern before any SQL runs.
void ValidateRegex(std::string_view pattern, bool case_insensitive);

// Postgres `~` semantics: true when the pattern matches anywhere in `text`.
bool RegexFind(const re2::RE2& re, std::string_view text);

}  // namespace ib::storage
