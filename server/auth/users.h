// The auth user as GoTrue shows it: the user JSON of a UserRecord (storage/auth/auth_records.h)
// and the small rules every writer of users shares (email normalisation, password length,
// metadata merge, ids). Pure: no database, no clock; storage/auth/user_store.h reads and
// writes the rows. Thread-safe.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "storage/auth/auth_records.h"

namespace ib::auth {

using storage::auth::IdentityRecord;
using storage::auth::UserRecord;

// The user JSON supabase-js reads (docs/wire.md): null timestamps omitted, identities
// rendered from the user's email.
nlohmann::json UserJson(const UserRecord& user, const std::vector<IdentityRecord>& identities);

// Storage timestamp "2024-05-01T12:00:00.123456+00:00" -> GoTrue's "2024-05-01T12:00:00.123456Z".
std::string GoTrueTime(std::string_view stored);

// Trims and lower-cases `email` and checks its shape; throws 400 validation_failed.
// Trimmed and lower-cased, so case games share one account and one rate-limit budget.
std::string CanonicalEmail(std::string_view email);
std::string NormalizeEmail(std::string_view email);
// Most bytes of an email address (before trimming); longer input is refused before any other
// work, rate limiting included.
constexpr size_t kMaxEmailBytes = 255;
// Throws 422 weak_password (reasons ["length"]) when shorter than `min_length` code points.
void CheckPasswordStrength(std::string_view password, int min_length);

// Most bytes user_metadata and app_metadata may take together, serialised. Both travel in every
// access token, and a token must fit in one 8 KiB header line (docs/limits.md).
constexpr size_t kMaxMetadataBytes = 4096;
// Throws 400 validation_failed when the two serialised together exceed kMaxMetadataBytes.
void CheckMetadataSize(const nlohmann::json& user_metadata, const nlohmann::json& app_metadata);

// GoTrue's metadata update: each key of `changes` replaces the stored one; null removes it.
// `changes` must be an object (else 400 validation_failed naming `field`).
void MergeMetadata(nlohmann::json& metadata, const nlohmann::json& changes, std::string_view field);

// True for a canonical 8-4-4-4-12 hex UUID (either case).
bool IsUuid(std::string_view text);

// Reads an optional string field of a JSON object body ("" when absent or null); a present
// non-string value throws 400 validation_failed.
std::string StringField(const nlohmann::json& body, const char* name);

}  // namespace ib::auth
