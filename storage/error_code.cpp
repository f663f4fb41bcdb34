#include "storage/error_code.h"

namespace ib::storage {

std::string_view ErrorCodeText(ErrorCode code) {
  switch (code) {
    case ErrorCode::kStringDataRightTruncation: return "22001";
    case ErrorCode::kNumericValueOutOfRange: return "22003";
    case ErrorCode::kInvalidDatetimeFormat: return "22007";
    case ErrorCode::kDatetimeFieldOverflow: return "22008";
    case ErrorCode::kInvalidTimeZoneDisplacementValue: return "22009";
    case ErrorCode::kInvalidRowCountInLimitClause: return "2201W";
    case ErrorCode::kInvalidParameterValue: return "22023";
    case ErrorCode::kInvalidTextRepresentation: return "22P02";
    case ErrorCode::kUntranslatableCharacter: return "22P05";
    case ErrorCode::kNotNullViolation: return "23502";
    case ErrorCode::kForeignKeyViolation: return "23503";
    case ErrorCode::kUniqueViolation: return "23505";
    case ErrorCode::kCheckViolation: return "23514";
    case ErrorCode::kInsufficientPrivilege: return "42501";
    case ErrorCode::kUndefinedColumn: return "42703";
    case ErrorCode::kInvalidColumnReference: return "42P10";
    case ErrorCode::kInternalError: return "XX000";
    case ErrorCode::kPgrst000: return "PGRST000";
    case ErrorCode::kPgrst100: return "PGRST100";
    case ErrorCode::kPgrst101: return "PGRST101";
    case ErrorCode::kPgrst102: return "PGRST102";
    case ErrorCode::kPgrst103: return "PGRST103";
    case ErrorCode::kPgrst106: return "PGRST106";
    case ErrorCode::kPgrst107: return "PGRST107";
    case ErrorCode::kPgrst108: return "PGRST108";
    case ErrorCode::kPgrst116: return "PGRST116";
    case ErrorCode::kPgrst117: return "PGRST117";
    case ErrorCode::kPgrst118: return "PGRST118";
    case ErrorCode::kPgrst119: return "PGRST119";
    case ErrorCode::kPgrst122: return "PGRST122";
    case ErrorCode::kPgrst124: return "PGRST124";
    case ErrorCode::kPgrst127: return "PGRST127";
    case ErrorCode::kPgrst200: return "PGRST200";
    case ErrorCode::kPgrst201: return "PGRST201";
    case ErrorCode::kPgrst202: return "PGRST202";
    case ErrorCode::kPgrst204: return "PGRST204";
    case ErrorCode::kPgrst205: return "PGRST205";
    case ErrorCode::kPgrst301: return "PGRST301";
    case ErrorCode::kPgrst303: return "PGRST303";
    case ErrorCode::kBadJson: return "bad_json";
    case ErrorCode::kBadJwt: return "bad_jwt";
    case ErrorCode::kEmailExists: return "email_exists";
    case ErrorCode::kEmailNotConfirmed: return "email_not_confirmed";
    case ErrorCode::kInvalidApiKey: return "invalid_api_key";
    case ErrorCode::kInvalidCredentials: return "invalid_credentials";
    case ErrorCode::kNoApiKey: return "no_api_key";
    case ErrorCode::kNoAuthorization: return "no_authorization";
    case ErrorCode::kNotAdmin: return "not_admin";
    case ErrorCode::kNotFound: return "not_found";
    case ErrorCode::kOverRequestRateLimit: return "over_request_rate_limit";
    case ErrorCode::kPhoneProviderDisabled: return "phone_provider_disabled";
    case ErrorCode::kRefreshTokenAlreadyUsed: return "refresh_token_already_used";
    case ErrorCode::kRefreshTokenNotFound: return "refresh_token_not_found";
    case ErrorCode::kSamePassword: return "same_password";
    case ErrorCode::kSessionExpired: return "session_expired";
    case ErrorCode::kSessionNotFound: return "session_not_found";
    case ErrorCode::kUserAlreadyExists: return "user_already_exists";
    case ErrorCode::kUserBanned: return "user_banned";
    case ErrorCode::kUserNotFound: return "user_not_found";
    case ErrorCode::kValidationFailed: return "validation_failed";
    case ErrorCode::kWeakPassword: return "weak_password";
    case ErrorCode::kAccessDenied: return "AccessDenied";
    case ErrorCode::kBucketAlreadyExists: return "BucketAlreadyExists";
    case ErrorCode::kEntityTooLarge: return "EntityTooLarge";
    case ErrorCode::kInvalidBucketName: return "InvalidBucketName";
    case ErrorCode::kInvalidJwt: return "InvalidJWT";
    case ErrorCode::kInvalidKey: return "InvalidKey";
    case ErrorCode::kInvalidMimeType: return "InvalidMimeType";
    case ErrorCode::kInvalidRange: return "InvalidRange";
    case ErrorCode::kInvalidRequest: return "InvalidRequest";
    case ErrorCode::kInvalidSignature: return "InvalidSignature";
    case ErrorCode::kKeyAlreadyExists: return "KeyAlreadyExists";
    case ErrorCode::kMissingParameter: return "MissingParameter";
    case ErrorCode::kNoSuchBucket: return "NoSuchBucket";
    case ErrorCode::kNoSuchKey: return "NoSuchKey";
    case ErrorCode::kResourceNotEmpty: return "ResourceNotEmpty";
    case ErrorCode::kHttpStatus: return "PGRST";
  }
  return "XX000";
}

}  // namespace ib::storage
