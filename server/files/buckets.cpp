#include "server/files/buckets.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>

#include "server/files/file_errors.h"
#include "storage/objects/content_store.h"
#include "storage/objects/object_store.h"
#include "storage/unit_of_work.h"

namespace ib::files {
namespace {

using nlohmann::json;
using storage::guards::Command;
using storage::objects::MayWriteBucket;

constexpr size_t kMaxBucketNameLength = 100;
constexpr size_t kMaxMimeTypeLength = 1000;

std::string Lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
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

void CheckLimitAgainstGlobal(const std::optional<std::optional<int64_t>>& limit,
                             int64_t global_limit) {
  // supabase/storage refuses a bucket limit above the global one with EntityTooLarge.
  if (limit && *limit && **limit > global_limit) throw errors::EntityTooLarge();
}

}  // namespace

json BucketJson(const BucketRow& b) {
  json out = {{"id", b.id},
              {"name", b.name},
              {"owner", b.owner},
              {"public", b.is_public},
              {"type", "STANDARD"},
              {"file_size_limit", nullptr},
              {"allowed_mime_types", nullptr},
              {"created_at", b.created_at},
              {"updated_at", b.updated_at}};
  if (b.file_size_limit) out["file_size_limit"] = *b.file_size_limit;
  if (b.allowed_mime_types) out["allowed_mime_types"] = *b.allowed_mime_types;
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
  if (number.empty() || number.front() == '.' ||
      std::count(number.begin(), number.end(), '.') > 1) {
    return std::nullopt;
  }
  double multiplier = 0;
  if (unit.empty() || unit == "b")
    multiplier = 1;
  else if (unit == "kb")
    multiplier = 1e3;
  else if (unit == "mb")
    multiplier = 1e6;
  else if (unit == "gb")
    multiplier = 1e9;
  else
    return std::nullopt;
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
    spec.values.is_public = it->get<bool>();
  }
  if (auto it = body.find("file_size_limit"); it != body.end()) {
    spec.values.file_size_limit = ParseSizeLimitJson(*it);
  }
  if (auto it = body.find("allowed_mime_types"); it != body.end()) {
    spec.values.allowed_mime_types = ParseMimeList(*it);
  }
  return spec;
}

int64_t EffectiveSizeLimit(const BucketRow& bucket, int64_t global_limit) {
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
    if (p.size() >= 2 && p.compare(p.size() - 2, 2, "/*") == 0 &&
        p.substr(0, p.size() - 2) == major) {
      return true;
    }
  }
  return false;
}

std::vector<BucketRow> ListBuckets(storage::Db& db, const storage::Principal& who,
                                   const storage::RequestClock& clock,
                                   const storage::objects::BucketListQuery& query) {
  return db.Read(who, clock, [&](storage::ReadScope& scope) {
    return storage::objects::ListVisibleBuckets(scope.conn(), who, query);
  });
}

BucketRow GetBucket(storage::Db& db, const storage::Principal& who,
                    const storage::RequestClock& clock, std::string_view id) {
  return db.Read(who, clock, [&](storage::ReadScope& scope) {
    auto bucket = storage::objects::FindVisibleBucket(scope.conn(), who, id);
    if (!bucket) throw errors::NoSuchBucket();
    return std::move(*bucket);
  });
}

void CreateBucket(storage::Db& db, const storage::Principal& who,
                  const storage::RequestClock& clock, const BucketSpec& spec,
                  int64_t global_limit) {
  db.Write(who, clock, [&](storage::WriteScope& scope) {
    if (!MayWriteBucket(scope.conn(), scope.catalog(), who, Command::kInsert, spec.id)) {
      throw errors::RowLevelSecurity();
    }
    CheckLimitAgainstGlobal(spec.values.file_size_limit, global_limit);
    if (storage::objects::BucketIdOrNameTaken(scope.conn(), spec.id, spec.name)) {
      throw errors::BucketAlreadyExists();
    }
    storage::objects::InsertBucket(scope.writer(), spec.id, spec.name, spec.values);
  });
}

void UpdateBucket(storage::Db& db, const storage::Principal& who,
                  const storage::RequestClock& clock, const BucketSpec& spec,
                  int64_t global_limit) {
  db.Write(who, clock, [&](storage::WriteScope& scope) {
    if (!MayWriteBucket(scope.conn(), scope.catalog(), who, Command::kUpdate, spec.id)) {
      throw errors::RowLevelSecurity();
    }
    CheckLimitAgainstGlobal(spec.values.file_size_limit, global_limit);
    auto bucket = storage::objects::FindBucket(scope.conn(), spec.id);
    if (!bucket) throw errors::NoSuchBucket();
    storage::objects::UpdateBucket(scope.writer(), *bucket, spec.values);
  });
}

void EmptyBucket(storage::Db& db, const storage::Principal& who, const storage::RequestClock& clock,
                 std::string_view id) {
  std::vector<int64_t> detached = db.Write(who, clock, [&](storage::WriteScope& scope) {
    if (!MayWriteBucket(scope.conn(), scope.catalog(), who, Command::kDelete, id)) {
      throw errors::RowLevelSecurity();
    }
    if (!storage::objects::FindBucket(scope.conn(), id)) throw errors::NoSuchBucket();
    std::vector<int64_t> contents;
    for (const auto& object : storage::objects::ObjectsOfBucket(scope.conn(), id)) {
      for (int64_t content : storage::objects::DetachObjectContent(scope.conn(), object.id)) {
        contents.push_back(content);
      }
      storage::objects::DeleteObject(scope.writer(), object);
    }
    return contents;
  });
  storage::objects::PurgeContents(db, clock, detached);  // the bytes, in small steps
}

void DeleteBucket(storage::Db& db, const storage::Principal& who,
                  const storage::RequestClock& clock, std::string_view id) {
  db.Write(who, clock, [&](storage::WriteScope& scope) {
    if (!MayWriteBucket(scope.conn(), scope.catalog(), who, Command::kDelete, id)) {
      throw errors::RowLevelSecurity();
    }
    auto bucket = storage::objects::FindBucket(scope.conn(), id);
    if (!bucket) throw errors::NoSuchBucket();
    if (storage::objects::BucketHasObjects(scope.conn(), id)) throw errors::ResourceNotEmpty();
    storage::objects::DeleteBucket(scope.writer(), *bucket);
  });
}

}  // namespace ib::files
