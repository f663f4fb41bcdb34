#include "server/files/buckets.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>

#include "server/files/file_errors.h"
#include "server/files/object_store.h"
#include "storage/executor.h"
#include "storage/transaction.h"

namespace ib::files {
namespace {

using nlohmann::json;
using storage::Executor;
using storage::SqlValue;

constexpr size_t kMaxBucketNameLength = 100;
constexpr size_t kMaxMimeTypeLength = 1000;
constexpr const char* kBucketColumns =
    "id, name, owner, public, file_size_limit, allowed_mime_types, created_at, updated_at";

std::string Lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

Bucket ReadBucket(const storage::Row& row) {
  Bucket b;
  b.id = row.Text(0);
  b.name = row.Text(1);
  b.owner = row.OptText(2).value_or("");
  b.is_public = row.Int(3) != 0;
  if (!row[4].is_null()) b.file_size_limit = row.Int(4);
  if (auto types = row.OptText(5)) {
    auto parsed = json::parse(*types, nullptr, false);
    if (parsed.is_array()) {
      std::vector<std::string> list;
      for (const auto& t : parsed) {
        if (t.is_string()) list.push_back(t.get<std::string>());
      }
      b.allowed_mime_types = std::move(list);
    }
  }
  b.created_at = row.Text(6);
  b.updated_at = row.Text(7);
  return b;
}

// type "/" subtype from [A-Za-z0-9-+.], optionally "; charset=x", or anything ending in '*'
// (the pattern supabase/storage validates allowed_mime_types with).
bool IsValidMimePattern(std::string_view type) {
  if (type.empty() || type.size() > kMaxMimeTypeLength) return false;
  if (type.back() == '*') return true;
  auto token = [](std::string_view s) {
    if (s.empty()) return false;
    return std::all_of(s.begin(), s.end(), [](char c) {
      return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '+' || c == '.';
    });
  };
  auto semi = type.find(';');
  std::string_view base = type.substr(0, semi);
  auto slash = base.find('/');
  if (slash == std::string_view::npos) return false;
  if (!token(base.substr(0, slash)) || !token(base.substr(slash + 1))) return false;
  if (semi == std::string_view::npos) return true;
  std::string_view param = type.substr(semi + 1);
  while (!param.empty() && param.front() == ' ') param.remove_prefix(1);
  return param.rfind("charset=", 0) == 0 && token(param.substr(8));
}

std::optional<std::vector<std::string>> ParseMimeList(const json& value) {
  if (value.is_null()) return std::nullopt;
  if (!value.is_array()) throw errors::InvalidRequest("allowed_mime_types must be an array");
  std::vector<std::string> out;
  for (const auto& item : value) {
    if (!item.is_string()) throw errors::InvalidRequest("allowed_mime_types must be strings");
    auto type = item.get<std::string>();
    if (!IsValidMimePattern(type)) throw errors::InvalidMimeType(type);
    out.push_back(std::move(type));
  }
  return out;
}

SqlValue MimeListValue(const std::optional<std::vector<std::string>>& list) {
  if (!list) return std::monostate{};
  return json(*list).dump();
}

SqlValue OptionalInt(const std::optional<int64_t>& v) {
  if (!v) return std::monostate{};
  return *v;
}

void CheckLimitAgainstGlobal(const std::optional<std::optional<int64_t>>& limit,
                             int64_t global_limit) {
  // supabase/storage refuses a bucket limit above the global one with EntityTooLarge.
  if (limit && *limit && **limit > global_limit) throw errors::EntityTooLarge();
}

bool HasObjects(Executor& ex, std::string_view id) {
  return ex.Scalar({"SELECT 1 FROM storage_objects WHERE bucket_id = ? LIMIT 1",
                    {std::string(id)}, ""})
      .has_value();
}

}  // namespace

json Bucket::ToJson() const {
  json out = {{"id", id},
              {"name", name},
              {"owner", owner},
              {"public", is_public},
              {"type", "STANDARD"},
              {"file_size_limit", nullptr},
              {"allowed_mime_types", nullptr},
              {"created_at", created_at},
              {"updated_at", updated_at}};
  if (file_size_limit) out["file_size_limit"] = *file_size_limit;
  if (allowed_mime_types) out["allowed_mime_types"] = *allowed_mime_types;
  return out;
}

bool IsValidBucketName(std::string_view name) {
  if (name.empty() || name.size() > kMaxBucketNameLength) return false;
  if (name.front() == ' ' || name.back() == ' ') return false;
  static constexpr std::string_view kPunctuation = "!-.*'()& $@=;:+,?_";
  return std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) ||
           kPunctuation.find(c) != std::string_view::npos;
  });
}

std::optional<int64_t> ParseByteSize(std::string_view text) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  size_t digits_end = 0;
  while (digits_end < text.size() &&
         (std::isdigit(static_cast<unsigned char>(text[digits_end])) || text[digits_end] == '.')) {
    ++digits_end;
  }
  std::string_view number = text.substr(0, digits_end);
  std::string unit = Lower(text.substr(digits_end));
  while (!unit.empty() && unit.front() == ' ') unit.erase(0, 1);
  if (number.empty() || number.front() == '.' || std::count(number.begin(), number.end(), '.') > 1) {
    return std::nullopt;
  }
  double multiplier = 0;
  if (unit.empty() || unit == "b") multiplier = 1;
  else if (unit == "kb") multiplier = 1e3;
  else if (unit == "mb") multiplier = 1e6;
  else if (unit == "gb") multiplier = 1e9;
  else return std::nullopt;
  if (number.find('.') == std::string_view::npos && multiplier == 1) {
    int64_t out = 0;
    auto [ptr, ec] = std::from_chars(number.data(), number.data() + number.size(), out);
    if (ec != std::errc() || ptr != number.data() + number.size()) return std::nullopt;
    return out;
  }
  double value = std::strtod(std::string(number).c_str(), nullptr) * multiplier;
  if (!std::isfinite(value) || value < 0 || value > 9.0e15) return std::nullopt;
  return static_cast<int64_t>(std::llround(value));
}

std::optional<int64_t> ParseSizeLimitJson(const json& value) {
  if (value.is_null()) return std::nullopt;
  if (value.is_number_unsigned() || value.is_number_integer()) {
    auto v = value.get<int64_t>();
    if (v < 0) throw errors::InvalidRequest("file_size_limit must be a positive size");
    return v;
  }
  if (value.is_number_float()) {
    double v = value.get<double>();
    if (!std::isfinite(v) || v < 0 || v > 9.0e15) {
      throw errors::InvalidRequest("file_size_limit must be a positive size");
    }
    return static_cast<int64_t>(v);
  }
  if (value.is_string()) {
    if (auto v = ParseByteSize(value.get<std::string>())) return *v;
  }
  throw errors::InvalidRequest("file_size_limit must be a number or a size like \"1MB\"");
}

BucketSpec ParseBucketSpec(const json& body, std::string_view path_id, bool create) {
  if (!body.is_object()) throw errors::InvalidRequest("body must be a JSON object");
  BucketSpec spec;
  auto text = [&](const char* key) -> std::optional<std::string> {
    auto it = body.find(key);
    if (it == body.end() || it->is_null()) return std::nullopt;
    if (!it->is_string()) throw errors::InvalidRequest(std::string(key) + " must be a string");
    return it->get<std::string>();
  };
  if (create) {
    auto id = text("id");
    auto name = text("name");
    if (!id && !name) throw errors::MissingParameter("body must have required property 'name'");
    spec.id = id ? *id : *name;
    spec.name = name ? *name : spec.id;
    if (!IsValidBucketName(spec.name)) throw errors::InvalidBucketName(spec.name);
  } else {
    spec.id = std::string(path_id);
  }
  if (!IsValidBucketName(spec.id)) throw errors::InvalidBucketName(spec.id);
  if (auto it = body.find("public"); it != body.end() && !it->is_null()) {
    if (!it->is_boolean()) throw errors::InvalidRequest("public must be a boolean");
    spec.is_public = it->get<bool>();
  }
  if (auto it = body.find("file_size_limit"); it != body.end()) {
    spec.file_size_limit = ParseSizeLimitJson(*it);
  }
  if (auto it = body.find("allowed_mime_types"); it != body.end()) {
    spec.allowed_mime_types = ParseMimeList(*it);
  }
  return spec;
}

int64_t EffectiveSizeLimit(const Bucket& bucket, int64_t global_limit) {
  if (bucket.file_size_limit && *bucket.file_size_limit > 0) {
    return std::min(*bucket.file_size_limit, global_limit);
  }
  return global_limit;
}

bool MimeTypeAllowed(const std::optional<std::vector<std::string>>& allowed,
                     std::string_view mimetype) {
  if (!allowed || allowed->empty()) return true;
  std::string type = Lower(mimetype.substr(0, mimetype.find(';')));
  while (!type.empty() && type.back() == ' ') type.pop_back();
  auto slash = type.find('/');
  std::string major = type.substr(0, slash);
  for (const auto& pattern : *allowed) {
    std::string p = Lower(pattern.substr(0, pattern.find(';')));
    if (p == "*" || p == "*/*" || p == type) return true;
    if (p.size() >= 2 && p.compare(p.size() - 2, 2, "/*") == 0 && p.substr(0, p.size() - 2) == major) {
      return true;
    }
  }
  return false;
}

std::optional<Bucket> LoadBucket(storage::Connection& conn, std::string_view id) {
  std::optional<Bucket> out;
  Executor(conn).Run({std::string("SELECT ") + kBucketColumns + " FROM storage_buckets WHERE id = ?",
                      {std::string(id)}, ""},
                     [&](const storage::Row& row) { out = ReadBucket(row); });
  return out;
}

Bucket LoadVisibleBucket(storage::Connection& conn, const storage::Principal& who,
                         std::string_view id) {
  auto bucket = LoadBucket(conn, id);
  if (!bucket || !MaySeeBucket(who, bucket->facts())) throw errors::NoSuchBucket();
  return std::move(*bucket);
}

std::vector<Bucket> ListBuckets(storage::Db& db, const storage::Principal& who,
                                const BucketListOptions& options) {
  std::vector<Bucket> all;
  {
    storage::Db::ReadLease lease(db);
    Executor(lease.conn())
        .Run({std::string("SELECT ") + kBucketColumns + " FROM storage_buckets", {}, ""},
             [&](const storage::Row& row) { all.push_back(ReadBucket(row)); });
  }
  const std::string needle = Lower(options.search);
  std::vector<Bucket> out;
  for (auto& b : all) {
    if (!MaySeeBucket(who, b.facts())) continue;
    if (!needle.empty() && Lower(b.name).find(needle) == std::string::npos) continue;
    out.push_back(std::move(b));
  }
  auto key = [&](const Bucket& b) -> const std::string& {
    if (options.sort_column == "id") return b.id;
    if (options.sort_column == "created_at") return b.created_at;
    if (options.sort_column == "updated_at") return b.updated_at;
    return b.name;
  };
  std::sort(out.begin(), out.end(), [&](const Bucket& a, const Bucket& b) {
    return options.descending ? key(b) < key(a) : key(a) < key(b);
  });
  size_t offset = static_cast<size_t>(std::max<int64_t>(0, options.offset));
  if (offset >= out.size()) return {};
  out.erase(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(offset));
  if (options.limit && *options.limit >= 0 && static_cast<size_t>(*options.limit) < out.size()) {
    out.resize(static_cast<size_t>(*options.limit));
  }
  return out;
}

Bucket GetBucket(storage::Db& db, const storage::Principal& who, std::string_view id) {
  storage::Db::ReadLease lease(db);
  return LoadVisibleBucket(lease.conn(), who, id);
}

void CreateBucket(storage::Db& db, const storage::Principal& who, const BucketSpec& spec,
                  int64_t global_limit) {
  if (!MayManageBuckets(who)) throw errors::RowLevelSecurity();
  CheckLimitAgainstGlobal(spec.file_size_limit, global_limit);
  storage::Db::WriteLease lease(db);
  storage::Transaction tx(lease.conn(), storage::Transaction::Mode::kWrite);
  Executor ex(lease.conn());
  if (ex.Scalar({"SELECT 1 FROM storage_buckets WHERE id = ? OR name = ?", {spec.id, spec.name},
                 ""})) {
    throw errors::BucketAlreadyExists();
  }
  ex.Run({"INSERT INTO storage_buckets (id, name, owner, public, file_size_limit, "
          "allowed_mime_types) VALUES (?, ?, ?, ?, ?, ?)",
          {spec.id, spec.name,
           who.user_id.empty() ? SqlValue{} : SqlValue{who.user_id},
           int64_t{spec.is_public.value_or(false) ? 1 : 0},
           OptionalInt(spec.file_size_limit.value_or(std::nullopt)),
           MimeListValue(spec.allowed_mime_types.value_or(std::nullopt))},
          "storage_buckets"});
  tx.Commit();
}

void UpdateBucket(storage::Db& db, const storage::Principal& who, const BucketSpec& spec,
                  int64_t global_limit) {
  if (!MayManageBuckets(who)) throw errors::RowLevelSecurity();
  CheckLimitAgainstGlobal(spec.file_size_limit, global_limit);
  storage::Db::WriteLease lease(db);
  storage::Transaction tx(lease.conn(), storage::Transaction::Mode::kWrite);
  Executor ex(lease.conn());
  if (!LoadBucket(lease.conn(), spec.id)) throw errors::NoSuchBucket();
  // Absent fields keep their value (COALESCE over a flag), as supabase/storage's update does.
  ex.Run({"UPDATE storage_buckets SET "
          "public = CASE WHEN ?1 IS NULL THEN public ELSE ?1 END, "
          "file_size_limit = CASE WHEN ?2 THEN ?3 ELSE file_size_limit END, "
          "allowed_mime_types = CASE WHEN ?4 THEN ?5 ELSE allowed_mime_types END, "
          "updated_at = now() WHERE id = ?6",
          {spec.is_public ? SqlValue{int64_t{*spec.is_public ? 1 : 0}} : SqlValue{},
           int64_t{spec.file_size_limit.has_value() ? 1 : 0},
           OptionalInt(spec.file_size_limit.value_or(std::nullopt)),
           int64_t{spec.allowed_mime_types.has_value() ? 1 : 0},
           MimeListValue(spec.allowed_mime_types.value_or(std::nullopt)), spec.id},
          "storage_buckets"});
  tx.Commit();
}

void EmptyBucket(storage::Db& db, const storage::Principal& who, std::string_view id) {
  if (!MayManageBuckets(who)) throw errors::RowLevelSecurity();
  std::vector<int64_t> detached;
  {
    storage::Db::WriteLease lease(db);
    storage::Transaction tx(lease.conn(), storage::Transaction::Mode::kWrite);
    if (!LoadBucket(lease.conn(), id)) throw errors::NoSuchBucket();
    detached = DetachBucketContents(lease.conn(), id);
    Executor(lease.conn())
        .Run({"DELETE FROM storage_objects WHERE bucket_id = ?", {std::string(id)},
              "storage_objects"});
    tx.Commit();
  }
  PurgeContents(db, detached);  // the bytes, in small steps, with the lease released
}

void DeleteBucket(storage::Db& db, const storage::Principal& who, std::string_view id) {
  if (!MayManageBuckets(who)) throw errors::RowLevelSecurity();
  storage::Db::WriteLease lease(db);
  storage::Transaction tx(lease.conn(), storage::Transaction::Mode::kWrite);
  Executor ex(lease.conn());
  if (!LoadBucket(lease.conn(), id)) throw errors::NoSuchBucket();
  if (HasObjects(ex, id)) throw errors::ResourceNotEmpty();
  ex.Run({"DELETE FROM storage_buckets WHERE id = ?", {std::string(id)}, "storage_buckets"});
  tx.Commit();
}

}  // namespace ib::files
