// The one error type of interviewbase: an HTTP status plus an ErrorCode (a PostgREST code, a
// Postgres SQLSTATE, or a GoTrue / Storage code), with the message, details and hint the
// services render. Every stage throws it by value; only server/http's Wrap() catches it.
// Errors are built only through the named factories below (GoTrue's in error_auth.h, Storage's
// in error_files.h), so each code's status and wording live in storage/error*.cpp alone.
#pragma once

#include <exception>
#include <optional>
#include <string>
#include <string_view>

#include "storage/error_code.h"

namespace ib::storage {

class Error : public std::exception {
 public:
  struct Auth;   // GoTrue's /auth/v1 codes: storage/error_auth.h
  struct Files;  // Supabase Storage's /storage/v1 codes: storage/error_files.h

  int status() const { return status_; }
  ErrorCode error_code() const { return error_code_; }
  bool Is(ErrorCode code) const { return error_code_ == code; }
  // The code as the wire spells it: "23505", "PGRST116", "bad_json", "NoSuchKey".
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
  static Error InvalidJson(std::optional<std::string> details);  // 22P02 ... type json
  static Error InvalidBytea();                                   // 22P02 ... type bytea
  static Error MalformedArray(std::string_view literal, std::optional<std::string> details);
  static Error UnsupportedUnicodeEscape();   // 22P05 \u0000 in text
  static Error NulByteInParameter();         // 22021 a 0x00 byte in a query-string value
  static Error InvalidHexDigit(char digit);  // 22023
  static Error OddHexDigits();               // 22023
  // 22007: invalid input syntax for type timestamp with time zone / date
  static Error InvalidDatetime(std::string_view type, std::string_view value);
  // 22008: date/time field value out of range
  static Error DatetimeOutOfRange(std::string_view value);
  static Error TimeZoneOutOfRange(std::string_view value);  // 22009
  // 22003: value out of range for type / numeric field overflow
  static Error NumericOutOfRange(std::string_view message, std::optional<std::string> details);
  // 22001: value too long for type character varying(n)
  static Error StringTooLong(int max_length);
  static Error NegativeLimit();  // 2201W LIMIT must not be negative
  // 2201B: invalid regular expression: <reason> (a match/imatch pattern)
  static Error InvalidRegex(std::string_view reason);
  // 23502: null value in column "c" of relation "t" violates not-null constraint
  static Error NotNullViolation(std::string_view table, std::string_view column);
  // 23514: new row for relation "t" violates check constraint "c"
  static Error CheckViolation(std::string_view table, std::string_view constraint);
  // 23505 unique / 23503 foreign key (409)
  static Error UniqueViolation(std::string_view message, std::optional<std::string> details);
  static Error ForeignKeyViolation(std::string_view message, std::optional<std::string> details);
  // 42P10: on_conflict names no unique key
  static Error NoConflictTarget();
  // 428C9: a write names a column computed when read (Postgres: a generated column)
  static Error GeneratedColumnWritten(std::string_view column, bool insert);

  // --- limits (54xxx), 400 where Postgres and PostgREST answer 500: a request the database
  // cannot take is the client's to simplify, and no request may produce a 5xx ---
  // 54001: the statement is nested or wide past what the database accepts.
  static Error StatementTooComplex(std::string_view details);
  // 54000: a value or the statement is larger than the database accepts.
  static Error ProgramLimitExceeded(std::string_view details);

  // --- request parsing (PGRST1xx) ---
  static Error ParseFailure(std::string_view what, std::string_view details);  // PGRST100
  static Error InvalidBody(std::string_view message);                          // PGRST102
  static Error MethodNotAllowedOnRpc(std::string_view method);                 // PGRST101
  static Error NotAcceptable(std::string_view accept);                         // PGRST107
  static Error InvalidSchema(std::string_view schema);                         // PGRST106
  static Error RangeNotSatisfiable(long long offset, long long total);         // PGRST103
  static Error SingularityViolation(long long rows);                           // PGRST116
  static Error UnsupportedMethod(std::string_view method);                     // 405 PGRST117
  static Error StrictPreferences(std::string_view invalid);                    // PGRST122
  static Error MaxAffectedExceeded(long long rows);                            // PGRST124
  static Error NotImplemented(std::string_view op);                            // PGRST127
  // PGRST108: a filter or order names a resource the select= does not embed. The WithHint
  // variant adds PostgREST's "Verify that ... select" hint (embedded filter paths).
  static Error NotEmbedded(std::string_view relation);
  static Error NotEmbeddedWithHint(std::string_view relation);
  static Error RelatedOrderNotToOne(std::string_view relation);                     // PGRST118
  static Error SpreadNotToOne(std::string_view parent, std::string_view relation);  // PGRST119

  // --- schema cache (PGRST2xx, 42703) ---
  static Error UnknownTable(std::string_view table);                            // PGRST205
  static Error UnknownColumn(std::string_view table, std::string_view column);  // 42703
  // 404 42883: `->`/`->>` on a column whose type has no such operator (only json/jsonb do).
  static Error UndefinedOperator(std::string_view left_type, std::string_view op);
  static Error UnknownBodyColumn(std::string_view table, std::string_view column);  // PGRST204
  static Error UnknownFunction(std::string_view signature, std::optional<std::string> hint);
  // PGRST200: `hint_name` is the !hint of select=rel!hint(...), empty when none was given.
  static Error NoRelationship(std::string_view parent, std::string_view relation,
                              std::string_view hint_name);
  // 300 PGRST201: `details` is the JSON list of candidates, `hint` the spellings to choose.
  static Error AmbiguousEmbed(std::string_view parent, std::string_view relation,
                              std::string details, std::string hint);

  // --- roles (PGRST3xx, 42501) ---
  static Error JwtInvalid(std::string_view message);     // 401 PGRST301
  static Error MissingApiKey(std::string_view message);  // 401 PGRST301 + hint about apikey
  static Error JwtExpired();                             // 401 PGRST303
  static Error UnknownRole(std::string_view role);       // 401 22023
  static Error PermissionDenied(bool anon, std::string_view message);  // 401/403 42501

  // --- server ---
  static Error Internal(std::string_view message);         // 500 XX000; message is logged, not sent
  static Error NotFound(std::string_view message);         // 404 PGRST000-style plain not found
  static Error PayloadTooLarge(std::string_view message);  // 413 PGRST413
  // 409: the operation cannot run in the server's present state (a backup already running)
  static Error Conflict(std::string_view message);
  // 429: the client address already has the most open connections (--max-connections-per-ip)
  static Error TooManyConnections();
  // What httplib answered without a handler (no route, 405, 413, 414, 431, ...) as an Error.
  static Error FromHttpStatus(int status);

 private:
  Error(int status, ErrorCode code, std::string message,
        std::optional<std::string> details = std::nullopt,
        std::optional<std::string> hint = std::nullopt);

  int status_;
  ErrorCode error_code_;
  std::string code_;
  std::string message_;
  std::optional<std::string> details_;
  std::optional<std::string> hint_;
};

}  // namespace ib::storage
