// The one error type of interviewbase: an HTTP status plus a PostgREST code (PGRSTnnn) or a
// Postgres SQLSTATE, with the {code, message, details, hint} body PostgREST renders.
// Every stage throws it by value; only server/http's Wrap() catches it. Build errors through
// the named factories below so the code -> status table lives in error.cpp alone.
#pragma once

#include <exception>
#include <optional>
#include <string>
#include <string_view>

namespace ib::storage {

class Error : public std::exception {
 public:
  Error(int status, std::string code, std::string message,
        std::optional<std::string> details = std::nullopt,
        std::optional<std::string> hint = std::nullopt);

  int status() const { return status_; }
  const std::string& code() const { return code_; }
  const std::string& message() const { return message_; }
  const std::optional<std::string>& details() const { return details_; }
  const std::optional<std::string>& hint() const { return hint_; }
  const char* what() const noexcept override { return message_.c_str(); }

  // Renders {"code","message","details","hint"} (details/hint null when absent).
  std::string ToJson() const;

  // --- values (Postgres SQLSTATEs) ---
  // 22P02: invalid input syntax for type <type>: "<value>"
  static Error InvalidTextRepresentation(std::string_view type, std::string_view value);
  // 22007: invalid input syntax for type timestamp with time zone / date
  static Error InvalidDatetime(std::string_view type, std::string_view value);
  // 22008: date/time field value out of range
  static Error DatetimeOutOfRange(std::string_view value);
  // 22003: value out of range for type / numeric field overflow
  static Error NumericOutOfRange(std::string_view message, std::optional<std::string> details);
  // 22001: value too long for type character varying(n)
  static Error StringTooLong(int max_length);
  // 23502: null value in column "c" of relation "t" violates not-null constraint
  static Error NotNullViolation(std::string_view table, std::string_view column);
  // 23514: new row for relation "t" violates check constraint "c"
  static Error CheckViolation(std::string_view table, std::string_view constraint);
  // 23505 unique / 23503 foreign key (409)
  static Error UniqueViolation(std::string_view message, std::optional<std::string> details);
  static Error ForeignKeyViolation(std::string_view message, std::optional<std::string> details);

  // --- request parsing (PGRST1xx) ---
  static Error ParseFailure(std::string_view what, std::string_view details);  // PGRST100
  static Error InvalidBody(std::string_view message);                          // PGRST102
  static Error MethodNotAllowedOnRpc(std::string_view method);                 // PGRST101
  static Error NotAcceptable(std::string_view accept);                         // PGRST107
  static Error InvalidSchema(std::string_view schema);                         // PGRST106
  static Error RangeNotSatisfiable(long long offset, long long total);         // PGRST103
  static Error SingularityViolation(long long rows);                           // PGRST116

  // --- schema cache (PGRST2xx, 42703) ---
  static Error UnknownTable(std::string_view table);                           // PGRST205
  static Error UnknownColumn(std::string_view table, std::string_view column); // 42703
  static Error UnknownBodyColumn(std::string_view table, std::string_view column);  // PGRST204
  static Error UnknownFunction(std::string_view signature, std::optional<std::string> hint);

  // --- roles (PGRST3xx, 42501) ---
  static Error JwtInvalid(std::string_view message);  // 401 PGRST301
  static Error JwtExpired();                          // 401 PGRST303
  static Error UnknownRole(std::string_view role);    // 401 22023
  static Error PermissionDenied(bool anon, std::string_view message);  // 401/403 42501

  // --- server ---
  static Error Internal(std::string_view message);  // 500 XX000; message is logged, not sent
  static Error NotFound(std::string_view message);  // 404 PGRST000-style plain not found
  static Error PayloadTooLarge(std::string_view message);  // 413

 private:
  int status_;
  std::string code_;
  std::string message_;
  std::optional<std::string> details_;
  std::optional<std::string> hint_;
};

}  // namespace ib::storage
