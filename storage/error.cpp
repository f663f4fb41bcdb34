#include "storage/error.h"

#include "storage/json_text.h"

namespace ib::storage {
namespace {

std::string Quoted(std::string_view s) { return "\"" + std::string(s) + "\""; }

}  // namespace

Error::Error(int status, std::string code, std::string message, std::optional<std::string> details,
             std::optional<std::string> hint)
    : status_(status),
      code_(std::move(code)),
      message_(std::move(message)),
      details_(std::move(details)),
      hint_(std::move(hint)) {}

std::string Error::ToJson() const {
  std::string out = "{\"code\":";
  AppendJsonString(out, code_);
  out += ",\"message\":";
  AppendJsonString(out, message_);
  out += ",\"details\":";
  if (details_) AppendJsonString(out, *details_); else out += "null";
  out += ",\"hint\":";
  if (hint_) AppendJsonString(out, *hint_); else out += "null";
  out += "}";
  return out;
}

// Statuses follow PostgREST's error table: 22xxx/23502/23514 -> 400, 23503/23505 -> 409,
// 42501 -> 401 for anon and 403 otherwise, PGRST1xx -> 400 unless noted.

Error Error::InvalidTextRepresentation(std::string_view type, std::string_view value) {
  return Error(400, "22P02",
               "invalid input syntax for type " + std::string(type) + ": " + Quoted(value));
}
Error Error::InvalidDatetime(std::string_view type, std::string_view value) {
  return Error(400, "22007",
               "invalid input syntax for type " + std::string(type) + ": " + Quoted(value));
}
Error Error::DatetimeOutOfRange(std::string_view value) {
  return Error(400, "22008", "date/time field value out of range: " + Quoted(value));
}
Error Error::NumericOutOfRange(std::string_view message, std::optional<std::string> details) {
  return Error(400, "22003", std::string(message), std::move(details));
}
Error Error::StringTooLong(int max_length) {
  return Error(400, "22001",
               "value too long for type character varying(" + std::to_string(max_length) + ")");
}
Error Error::NotNullViolation(std::string_view table, std::string_view column) {
  return Error(400, "23502",
               "null value in column " + Quoted(column) + " of relation " + Quoted(table) +
                   " violates not-null constraint");
}
Error Error::CheckViolation(std::string_view table, std::string_view constraint) {
  return Error(400, "23514",
               "new row for relation " + Quoted(table) + " violates check constraint " +
                   Quoted(constraint));
}
Error Error::UniqueViolation(std::string_view message, std::optional<std::string> details) {
  return Error(409, "23505", std::string(message), std::move(details));
}
Error Error::ForeignKeyViolation(std::string_view message, std::optional<std::string> details) {
  return Error(409, "23503", std::string(message), std::move(details));
}

Error Error::ParseFailure(std::string_view what, std::string_view details) {
  return Error(400, "PGRST100", std::string(what), std::string(details));
}
Error Error::InvalidBody(std::string_view message) {
  return Error(400, "PGRST102", std::string(message));
}
Error Error::MethodNotAllowedOnRpc(std::string_view method) {
  return Error(405, "PGRST101", "Cannot use the " + std::string(method) + " method on RPC");
}
Error Error::NotAcceptable(std::string_view accept) {
  return Error(406, "PGRST107", "None of these media types are available: " + std::string(accept));
}
Error Error::InvalidSchema(std::string_view schema) {
  return Error(406, "PGRST106", "Invalid schema: " + std::string(schema), std::nullopt,
               std::string("Only the following schemas are exposed: public"));
}
Error Error::RangeNotSatisfiable(long long offset, long long total) {
  return Error(416, "PGRST103", "Requested range not satisfiable",
               "An offset of " + std::to_string(offset) + " was requested, but there are only " +
                   std::to_string(total) + " rows.");
}
Error Error::SingularityViolation(long long rows) {
  return Error(406, "PGRST116", "Cannot coerce the result to a single JSON object",
               "The result contains " + std::to_string(rows) + " rows");
}

Error Error::UnknownTable(std::string_view table) {
  return Error(404, "PGRST205",
               "Could not find the table 'public." + std::string(table) + "' in the schema cache");
}
Error Error::UnknownColumn(std::string_view table, std::string_view column) {
  return Error(400, "42703",
               "column " + std::string(table) + "." + std::string(column) + " does not exist");
}
Error Error::UnknownBodyColumn(std::string_view table, std::string_view column) {
  return Error(400, "PGRST204",
               "Could not find the '" + std::string(column) + "' column of '" +
                   std::string(table) + "' in the schema cache");
}
Error Error::UnknownFunction(std::string_view signature, std::optional<std::string> hint) {
  return Error(404, "PGRST202",
               "Could not find the function " + std::string(signature) + " in the schema cache",
               std::nullopt, std::move(hint));
}

Error Error::JwtInvalid(std::string_view message) {
  return Error(401, "PGRST301", std::string(message));
}
Error Error::JwtExpired() { return Error(401, "PGRST303", "JWT expired"); }
Error Error::UnknownRole(std::string_view role) {
  return Error(401, "22023", "role " + Quoted(role) + " does not exist");
}
Error Error::PermissionDenied(bool anon, std::string_view message) {
  return Error(anon ? 401 : 403, "42501", std::string(message));
}

Error Error::Internal(std::string_view message) { return Error(500, "XX000", std::string(message)); }
Error Error::NotFound(std::string_view message) { return Error(404, "PGRST000", std::string(message)); }
Error Error::PayloadTooLarge(std::string_view message) {
  return Error(413, "PGRST413", std::string(message));
}

}  // namespace ib::storage
