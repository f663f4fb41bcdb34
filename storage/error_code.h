// Every error code interviewbase answers with, as a value: Postgres SQLSTATEs (named as in the
// Postgres manual's condition names), PostgREST's PGRSTnnn codes, GoTrue's /auth/v1 codes and
// Supabase Storage's /storage/v1 codes. Code compares these, never the wire text; the text of
// each lives in error_code.cpp alone. Pure values; thread-safe.
#pragma once

#include <string_view>

namespace ib::storage {

enum class ErrorCode {
  // --- Postgres SQLSTATEs ---
  kStringDataRightTruncation,         // 22001
  kNumericValueOutOfRange,            // 22003
  kInvalidDatetimeFormat,             // 22007
  kDatetimeFieldOverflow,             // 22008
  kInvalidTimeZoneDisplacementValue,  // 22009
  kInvalidRowCountInLimitClause,      // 2201W
  kInvalidRegularExpression,          // 2201B
  kCharacterNotInRepertoire,          // 22021
  kInvalidParameterValue,             // 22023
  kInvalidTextRepresentation,         // 22P02
  kUntranslatableCharacter,           // 22P05
  kNotNullViolation,                  // 23502
  kForeignKeyViolation,               // 23503
  kUniqueViolation,                   // 23505
  kCheckViolation,                    // 23514
  kInsufficientPrivilege,             // 42501
  kUndefinedFunction,                 // 42883
  kUndefinedColumn,                   // 42703
  kInvalidColumnReference,            // 42P10
  kGeneratedAlways,                   // 428C9
  kProgramLimitExceeded,              // 54000
  kStatementTooComplex,               // 54001
  kInternalError,                     // XX000

  // --- PostgREST ---
  kPgrst000,    // plain not found
  kPgrst100,    // query string parse failure
  kPgrst101,    // method not allowed on RPC
  kPgrst102,    // invalid body
  kPgrst103,    // range not satisfiable
  kPgrst106,    // schema not exposed
  kPgrst107,    // Accept not satisfiable
  kPgrst108,    // filter or order on a resource not embedded
  kPgrst116,    // not exactly one row for a single object
  kPgrst117,    // unsupported HTTP method
  kPgrst118,    // related order on a to-many embed
  kPgrst119,    // spread of a to-many embed
  kPgrst122,    // invalid preference with handling=strict
  kPgrst124,    // max-affected exceeded
  kPgrst127,    // feature not implemented
  kPgrst200,    // no relationship for an embed
  kPgrst201,    // ambiguous embed
  kPgrst202,    // unknown function
  kPgrst204,    // unknown body column
  kPgrst205,    // unknown table
  kPgrst301,    // JWT invalid
  kPgrst303,    // JWT expired
  kHttpStatus,  // "PGRST" + the HTTP status, for statuses httplib answers itself (413, 414...)

  // --- GoTrue (/auth/v1) ---
  kBadJson,
  kBadJwt,
  kEmailExists,
  kEmailNotConfirmed,
  kInvalidApiKey,
  kInvalidCredentials,
  kNoApiKey,
  kNoAuthorization,
  kNotAdmin,
  kNotFound,
  kOverRequestRateLimit,
  kPhoneProviderDisabled,
  kRefreshTokenAlreadyUsed,
  kRefreshTokenNotFound,
  kSamePassword,
  kSessionExpired,
  kSessionNotFound,
  kUserAlreadyExists,
  kUserBanned,
  kUserNotFound,
  kValidationFailed,
  kWeakPassword,

  // --- Supabase Storage (/storage/v1) ---
  kAccessDenied,
  kBucketAlreadyExists,
  kEntityTooLarge,
  kInvalidBucketName,
  kInvalidJwt,
  kInvalidKey,
  kInvalidMimeType,
  kInvalidRange,
  kInvalidRequest,
  kInvalidSignature,
  kKeyAlreadyExists,
  kMissingParameter,
  kNoSuchBucket,
  kNoSuchKey,
  kResourceNotEmpty,
};

// The code as the wire spells it ("23505", "PGRST116", "bad_json", "NoSuchKey"). kHttpStatus
// has no fixed text: Error spells it from its status.
std::string_view ErrorCodeText(ErrorCode code);

}  // namespace ib::storage
