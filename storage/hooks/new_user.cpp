// Hook 2 (handle_new_user): a new auth user gets its profile in the same transaction, with
// id, email, name and full_name (metadata full_name, else name) and avatar_url (metadata
// avatar_url, else picture), as the original trigger's COALESCE(raw_user_meta_data->>...).
// Plus the profile's email following the auth email when it changes, so a freed address can
// sign up again (profiles.email is UNIQUE).
#include <nlohmann/json.hpp>

#include "storage/hooks/hook_functions.h"
#include "storage/row_writer.h"

namespace ib::storage::hooks {
namespace {

// Postgres' ->> : a string as itself, null/absent as NULL, any other JSON value as its text.
SqlValue MetadataText(const nlohmann::json& metadata, const char* key) {
  auto it = metadata.find(key);
  if (it == metadata.end() || it->is_null()) return std::monostate{};
  if (it->is_string()) return it->get<std::string>();
  return it->dump();
}

SqlValue Coalesce(const SqlValue& first, const SqlValue& second) {
  return std::holds_alternative<std::monostate>(first) ? second : first;
}

nlohmann::json UserMetadata(const RowData& row) {
  auto parsed = nlohmann::json::parse(TextOf(row, "raw_user_meta_data"), nullptr, false);
  return parsed.is_object() ? parsed : nlohmann::json::object();
}

}  // namespace

void CreateProfileForNewUser(HookContext& ctx, HookRow& row) {
  const nlohmann::json metadata = UserMetadata(row.row);
  SqlValue name = Coalesce(MetadataText(metadata, "full_name"), MetadataText(metadata, "name"));
  RowData profile = {
      {"id", TextOf(row.row, "id")},
      {"email", IsNull(row.row, "email") ? SqlValue{} : SqlValue{TextOf(row.row, "email")}},
      {"name", name},
      {"full_name", name},
      {"avatar_url",
       Coalesce(MetadataText(metadata, "avatar_url"), MetadataText(metadata, "picture"))}};
  ctx.writer.Insert("profiles", std::move(profile));
}

void SyncProfileEmail(HookContext& ctx, HookRow& row) {
  const std::string email = TextOf(row.row, "email");
  if (email.empty() || email == TextOf(row.old_row, "email")) return;
  auto profile = ctx.writer.FindRowid("profiles", "id", TextOf(row.row, "id"));
  if (profile) ctx.writer.Update("profiles", *profile, {{"email", email}});
}

}  // namespace ib::storage::hooks
