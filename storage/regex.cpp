#include "storage/regex.h"

#include <re2/re2.h>

#include <cstdint>
#include <string>

#include "storage/error.h"

namespace ib::storage {

namespace {

// RE2's memory for one compiled program and its DFA cache; a pattern needing more is refused
// at compile time, and a DFA that fills its cache falls back to the (still linear) NFA.
constexpr int64_t kMaxRegexMemory = 1 << 20;

}  // namespace

void RegexDeleter::operator()(const re2::RE2* re) const { delete re; }

CompiledRegex CompileRegex(std::string_view pattern, bool case_insensitive, std::string* reason) {
  if (pattern.size() > kMaxRegexPatternBytes) {
    *reason = "pattern is longer than " + std::to_string(kMaxRegexPatternBytes) + " bytes";
    return nullptr;
  }
  re2::RE2::Options options;
  options.set_encoding(re2::RE2::Options::EncodingUTF8);
  options.set_case_sensitive(!case_insensitive);
  options.set_dot_nl(true);  // Postgres' default: `.` matches a newline too
  options.set_log_errors(false);
  options.set_max_mem(kMaxRegexMemory);
  CompiledRegex re(new re2::RE2(re2::StringPiece(pattern.data(), pattern.size()), options));
  if (!re->ok()) {
    *reason = re->error();
    return nullptr;
  }
  return re;
}

void ValidateRegex(std::string_view pattern, bool case_insensitive) {
  std::string reason;
  if (!CompileRegex(pattern, case_insensitive, &reason)) throw Error::InvalidRegex(reason);
}

bool RegexFind(const re2::RE2& re, std::string_view text) {
  return re2::RE2::PartialMatch(re2::StringPiece(text.data(), text.size()), re);
}

}  // namespace ib::storage
