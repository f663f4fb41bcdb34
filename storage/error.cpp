#include "storage/error.h"

#include <nlohmann/json.hpp>

#include "storage/utf8.h"

namespace ib::storage {
namespace {

std::string Quoted(std::string_view s) { return "\"" + std::string(s) + "\""; }

std::string CodeText(int status, ErrorCode code) {
  if (code == ErrorCode::kHttpStatus) return "PGRST" + std::to_string(status);
  return std::string(ErrorCodeText(code));
}

}  // namespace

// By value: the factories hand over temporaries; each is repaired to valid UTF-8 on the way in.
// NOLINTNEXTLINE(performance-unnecessary-value-param)
Error::Error(int status, ErrorCode code, std::string message, std::optional<std::string> details,
             std::optional<std::string> hint)
    : status_(status),
      error_code_(code),
      code_(CodeText(status, code)),
      message_(ToValidUtf8(message)),
      details_(details ? std::optional<std::string>(ToValidUtf8(*details)) : std::nullopt),
      hint_(hint ? std::optional<std::string>(ToValidUtf8(*hint)) : std::nullopt) {}

std::string Error::ToJson() const {
  // Built by the JSON library, so no message or detail (quotes, backslashes, control bytes,
  // invalid UTF-8, replaced by U+FFFD) can break the body.
  nlohmann::ordered_json out;
  out["code"] = code_;
  out["message"] = message_;
  out["details"] = details_ ? nlohmann::ordered_json(*details_) : nlohmann::ordered_json();
  out["hint"] = hint_ ? nlohmann::ordered_json(*hint_) : nlohmann::ordered_json();
  return out.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

// Statuses follow PostgREST's error table: 22xxx/23502/23514 -> 400, 23503/23505 -> 409,
// 42501 -> 401 for anon and 403 otherwise, PGRST1xx -> 400 unless noted.

Error Error::InvalidTextRepresentation(std::string_view type, std::string_view value) {
  return Error(400, ErrorCode::kInvalidTextRepresentation,
               "invalid input syntax for type " + std::string(type) + ": " + Quoted(value));
}
Error Error::InvalidJson(std::optional<std::string> details) {
  return Error(400, ErrorCode::kInvalidTextRepresentation, "invalid input syntax for type json",
               std::move(details));
}
Error Error::InvalidBytea() {
  return Error(400, ErrorCode::kInvalidTextRepresentation, "invalid input syntax for type bytea");
}
Error Error::MalformedArray(std::string_view literal, std::optional<std::string> details) {
  return Error(400, ErrorCode::kInvalidTextRepresentation,
               "malformed array literal: " + Quoted(literal), std::move(details));
}
Error Error::UnsupportedUnicodeEscape() {
  return Error(400, ErrorCode::kUntranslatableCharacter, "unsupported Unicode escape sequence",
               std::string("\\u0000 cannot be converted to text."));
}
Error Error::NulByteInParameter() {
  return Error(400, ErrorCode::kCharacterNotInRepertoire,
               "invalid byte sequence for encoding \"UTF8\": 0x00");
}
Error Error::InvalidHexDigit(char digit) {
  return Error(400, ErrorCode::kInvalidParameterValue,
               "invalid hexadecimal digit: " + Quoted(std::string(1, digit)));
}
Error Error::OddHexDigits() {
  return Error(400, ErrorCode::kInvalidParameterValue,
               "invalid hexadecimal data: odd number of digits");
}
Error Error::InvalidDatetime(std::string_view type, std::string_view value) {
  return Error(400, ErrorCode::kInvalidDatetimeFormat,
               "invalid input syntax for type " + std::string(type) + ": " + Quoted(value));
}
Error Error::DatetimeOutOfRange(std::string_view value) {
  return Error(400, ErrorCode::kDatetimeFieldOverflow,
               "date/time field value out of range: " + Quoted(value));
}
Error Error::TimeZoneOutOfRange(std::string_view value) {
  return Error(400, ErrorCode::kInvalidTimeZoneDisplacementValue,
               "time zone displacement out of range: " + Quoted(value));
}
Error Error::NumericOutOfRange(std::string_view message, std::optional<std::string> details) {
  return Error(400, ErrorCode::kNumericValueOutOfRange, std::string(message), std::move(details));
}
Error Error::StringTooLong(int max_length) {
  return Error(400, ErrorCode::kStringDataRightTruncation,
               "value too long for type character varying(" + std::to_string(max_length) + ")");
}
Error Error::NegativeLimit() {
  return Error(400, ErrorCode::kInvalidRowCountInLimitClause, "LIMIT must not be negative");
}
Error Error::UndefinedOperator(std::string_view left_type, std::string_view op) {
  // PostgREST answers Postgres' undefined_function (42883) with 404.
  return Error(
      404, ErrorCode::kUndefinedFunction,
      "operator does not exist: " + std::string(left_type) + " " + std::string(op) + " unknown",
      std::nullopt,
      std::string("No operator matches the given name and argument types. You might need "
                  "to add explicit type casts."));
}
Error Error::InvalidRegex(std::string_view reason) {
  return Error(400, ErrorCode::kInvalidRegularExpression,
               "invalid regular expression: " + std::string(reason));
}
Error Error::StatementTooComplex(std::string_view details) {
  return Error(400, ErrorCode::kStatementTooComplex, "statement is too complex",
               std::string(details),
               std::string("Use fewer embeds, filters, columns or list items in one request"));
}
Error Error::ProgramLimitExceeded(std::string_view details) {
  return Error(400, ErrorCode::kProgramLimitExceeded, "statement or value is too large",
               std::string(details));
}
Error Error::NotNullViolation(std::string_view table, std::string_view column) {
  return Error(400, ErrorCode::kNotNullViolation,
               "null value in column " + Quoted(column) + " of relation " + Quoted(table) +
                   " violates not-null constraint");
}
Error Error::CheckViolation(std::string_view table, std::string_view constraint) {
  return Error(
      400, ErrorCode::kCheckViolation,
      "new row for relation " + Quoted(table) + " violates check constraint " + Quoted(constraint));
}
Error Error::UniqueViolation(std::string_view message, std::optional<std::string> details) {
  return Error(409, ErrorCode::kUniqueViolation, std::string(message), std::move(details));
}
Error Error::ForeignKeyViolation(std::string_view message, std::optional<std::string> details) {
  return Error(409, ErrorCode::kForeignKeyViolation, std::string(message), std::move(details));
}
Error Error::GeneratedColumnWritten(std::string_view column, bool insert) {
  std::string message = insert ? "cannot insert a non-DEFAULT value into column " + Quoted(column)
                               : "column " + Quoted(column) + " can only be updated to DEFAULT";
  return Error(400, ErrorCode::kGeneratedAlways, std::move(message),
               "Column " + Quoted(column) + " is a generated column.");
}
Error Error::NoConflictTarget() {
  return Error(400, ErrorCode::kInvalidColumnReference,
               "there is no unique or exclusion constraint matching the ON CONFLICT "
               "specification");
}

Error Error::ParseFailure(std::string_view what, std::string_view details) {
  return Error(400, ErrorCode::kPgrst100, std::string(what), std::string(details));
}
Error Error::InvalidBody(std::string_view message) {
  return Error(400, ErrorCode::kPgrst102, std::string(message));
}
Error Error::MethodNotAllowedOnRpc(std::string_view method) {
  return Error(405, ErrorCode::kPgrst101,
               "Cannot use the " + std::string(method) + " method on RPC");
}
Error Error::NotAcceptable(std::string_view accept) {
  return Error(406, ErrorCode::kPgrst107,
               "None of these media types are available: " + std::string(accept));
}
Error Error::InvalidSchema(std::string_view schema) {
  return Error(406, ErrorCode::kPgrst106, "Invalid schema: " + std::string(schema), std::nullopt,
               std::string("Only the following schemas are exposed: public"));
}
Error Error::RangeNotSatisfiable(long long offset, long long total) {
  return Error(416, ErrorCode::kPgrst103, "Requested range not satisfiable",
               "An offset of " + std::to_string(offset) + " was requested, but there are only " +
                   std::to_string(total) + " rows.");
}
Error Error::SingularityViolation(long long rows) {
  return Error(406, ErrorCode::kPgrst116, "Cannot coerce the result to a single JSON object",
               "The result contains " + std::to_string(rows) + " rows");
}
Error Error::UnsupportedMethod(std::string_view method) {
  return Error(405, ErrorCode::kPgrst117, "Unsupported HTTP method: " + std::string(method));
}
Error Error::StrictPreferences(std::string_view invalid) {
  return Error(400, ErrorCode::kPgrst122, "Invalid preferences given with handling=strict",
               "Invalid preferences: " + std::string(invalid));
}
Error Error::MaxAffectedExceeded(long long rows) {
  return Error(400, ErrorCode::kPgrst124, "Query result exceeds max-affected preference constraint",
               "The query affects " + std::to_string(rows) + " rows");
}
Error Error::NotImplemented(std::string_view op) {
  return Error(400, ErrorCode::kPgrst127, "Feature not implemented",
               "operator '" + std::string(op) + "' is not available");
}
Error Error::NotEmbedded(std::string_view relation) {
  return Error(400, ErrorCode::kPgrst108,
               "'" + std::string(relation) + "' is not an embedded resource in this request");
}
Error Error::NotEmbeddedWithHint(std::string_view relation) {
  return Error(
      400, ErrorCode::kPgrst108,
      "'" + std::string(relation) + "' is not an embedded resource in this request", std::nullopt,
      "Verify that '" + std::string(relation) + "' is included in the 'select' query parameter.");
}
Error Error::RelatedOrderNotToOne(std::string_view relation) {
  return Error(400, ErrorCode::kPgrst118,
               "A related order on '" + std::string(relation) + "' is not possible",
               "'" + std::string(relation) + "' is not a to-one relationship");
}
Error Error::SpreadNotToOne(std::string_view parent, std::string_view relation) {
  return Error(400, ErrorCode::kPgrst119,
               "A spread operation on '" + std::string(relation) + "' is not possible",
               "'" + std::string(parent) + "' and '" + std::string(relation) +
                   "' do not form a many-to-one or one-to-one relationship");
}

Error Error::UnknownTable(std::string_view table) {
  return Error(404, ErrorCode::kPgrst205,
               "Could not find the table 'public." + std::string(table) + "' in the schema cache");
}
Error Error::UnknownColumn(std::string_view table, std::string_view column) {
  return Error(400, ErrorCode::kUndefinedColumn,
               "column " + std::string(table) + "." + std::string(column) + " does not exist");
}
Error Error::UnknownBodyColumn(std::string_view table, std::string_view column) {
  return Error(400, ErrorCode::kPgrst204,
               "Could not find the '" + std::string(column) + "' column of '" + std::string(table) +
                   "' in the schema cache");
}
Error Error::UnknownFunction(std::string_view signature, std::optional<std::string> hint) {
  return Error(404, ErrorCode::kPgrst202,
               "Could not find the function " + std::string(signature) + " in the schema cache",
               std::nullopt, std::move(hint));
}
Error Error::NoRelationship(std::string_view parent, std::string_view relation,
                            std::string_view hint_name) {
  std::string p(parent);
  std::string r(relation);
  return Error(
      400, ErrorCode::kPgrst200,
      "Could not find a relationship between '" + p + "' and '" + r + "' in the schema cache",
      "Searched for a foreign key relationship between '" + p + "' and '" + r +
          (hint_name.empty() ? "" : "' using the hint '" + std::string(hint_name)) +
          "' in the schema 'public', but no matches were found.");
}
Error Error::AmbiguousEmbed(std::string_view parent, std::string_view relation, std::string details,
                            std::string hint) {
  return Error(300, ErrorCode::kPgrst201,
               "Could not embed because more than one relationship was found for '" +
                   std::string(parent) + "' and '" + std::string(relation) + "'",
               std::move(details), std::move(hint));
}

Error Error::JwtInvalid(std::string_view message) {
  return Error(401, ErrorCode::kPgrst301, std::string(message));
}
Error Error::MissingApiKey(std::string_view message) {
  return Error(401, ErrorCode::kPgrst301, std::string(message), std::nullopt,
               std::string("No `apikey` request header or url param was found."));
}
Error Error::JwtExpired() { return Error(401, ErrorCode::kPgrst303, "JWT expired"); }
Error Error::UnknownRole(std::string_view role) {
  return Error(401, ErrorCode::kInvalidParameterValue, "role " + Quoted(role) + " does not exist");
}
Error Error::PermissionDenied(bool anon, std::string_view message) {
  return Error(anon ? 401 : 403, ErrorCode::kInsufficientPrivilege, std::string(message));
}

Error Error::Internal(std::string_view message) {
  return Error(500, ErrorCode::kInternalError, std::string(message));
}
Error Error::NotFound(std::string_view message) {
  return Error(404, ErrorCode::kPgrst000, std::string(message));
}
Error Error::PayloadTooLarge(std::string_view message) {
  return Error(413, ErrorCode::kHttpStatus, std::string(message));
}
Error Error::Conflict(std::string_view message) {
  return Error(409, ErrorCode::kHttpStatus, std::string(message));
}
Error Error::TooManyConnections() {
  return Error(429, ErrorCode::kHttpStatus, "Too many open connections from this address");
}
Error Error::FromHttpStatus(int status) {
  switch (status) {
    case 404:
      return NotFound("Not Found: no route matches this path");
    case 405:
      return Error(405, ErrorCode::kPgrst117, "Method Not Allowed");
    case 408:
      return Error(408, ErrorCode::kHttpStatus, "Request Timeout");
    case 413:
      return PayloadTooLarge("Payload Too Large");
    case 414:
      return Error(414, ErrorCode::kHttpStatus, "URI Too Long");
    case 431:
      return Error(431, ErrorCode::kHttpStatus, "Request Header Fields Too Large");
    default:
      return Error(status, ErrorCode::kHttpStatus,
                   status >= 500 ? "internal server error" : "Bad Request");
  }
}

}  // namespace ib::storage
