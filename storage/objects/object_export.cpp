#include "storage/objects/object_export.h"

#include <openssl/evp.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <system_error>
#include <vector>

#include "storage/atomic_file.h"
#include "storage/error.h"
#include "storage/executor.h"
#include "storage/objects/object_store.h"

namespace ib::storage::objects {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

class Sha256 {
 public:
  Sha256() : ctx_(EVP_MD_CTX_new(), &EVP_MD_CTX_free) {
    if (!ctx_ || EVP_DigestInit_ex(ctx_.get(), EVP_sha256(), nullptr) != 1) {
      throw Error::Internal("export: cannot start a SHA-256 digest");
    }
  }
  void Update(std::string_view data) { EVP_DigestUpdate(ctx_.get(), data.data(), data.size()); }
  std::string HexDigest() {
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    EVP_DigestFinal_ex(ctx_.get(), md, &len);
    static const char* kHex = "0123456789abcdef";
    std::string out;
    for (unsigned int i = 0; i < len; ++i) {
      out += kHex[md[i] >> 4];
      out += kHex[md[i] & 15];
    }
    return out;
  }

 private:
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx_;
};

// A fresh directory beside `target`, removed with its contents unless Commit() renamed it.
class StagingDir {
 public:
  explicit StagingDir(const std::string& target) : target_(target) {
    std::string pattern = target + ".tmp-XXXXXX";
    if (!mkdtemp(pattern.data())) {
      throw Error::Internal("export: cannot create a directory beside " + target);
    }
    path_ = pattern;
  }
  ~StagingDir() {
    std::error_code ignored;
    if (!path_.empty()) fs::remove_all(path_, ignored);
  }
  StagingDir(const StagingDir&) = delete;
  StagingDir& operator=(const StagingDir&) = delete;
  const std::string& path() const { return path_; }

  // Puts the staged directory at the target: an earlier one is moved aside first and removed
  // after, so the target never holds a mix of two exports.
  void Commit() {
    std::error_code ec;
    std::string old;
    if (fs::exists(target_, ec)) {
      old = target_ + ".old-" + fs::path(path_).extension().string().substr(1);
      fs::rename(target_, old, ec);
      if (ec) throw Error::Internal("export: cannot move the earlier " + target_ + " aside");
    }
    fs::rename(path_, target_, ec);
    if (ec) throw Error::Internal("export: cannot rename into " + target_ + ": " + ec.message());
    path_.clear();
    if (!old.empty()) fs::remove_all(old, ec);
    SyncParentDirectory(target_);
  }

 private:
  std::string target_;
  std::string path_;
};

json JsonOrNull(const std::optional<std::string>& text) {
  if (!text) return nullptr;
  return json::parse(*text, nullptr, false);
}

json ExportBuckets(Connection& conn, const std::string& root, int& count) {
  json buckets = json::array();
  Executor(conn).Run(
      {"SELECT id, name, public, file_size_limit, allowed_mime_types FROM "
       "storage_buckets ORDER BY id",
       {},
       ""},
      [&](const Row& row) {
        const std::string id = row.Text(0);
        if (!IsExportableKey(id) || id.find('/') != std::string::npos) {
          throw Error::Internal("export: bucket '" + id + "' cannot be a directory name");
        }
        json b = {{"id", id},
                  {"name", row.Text(1)},
                  {"public", row.Int(2) != 0},
                  {"file_size_limit", nullptr},
                  {"allowed_mime_types", JsonOrNull(row.OptText(4))}};
        if (!row[3].is_null()) {
          b["file_size_limit"] = row.Int(3);
        }
        buckets.push_back(std::move(b));
        fs::create_directory(root + "/" + id);
        ++count;
      });
  return buckets;
}

// Streams one object's chunks into `path`; returns the SHA-256 and the bytes written.
std::pair<std::string, int64_t> WriteBytes(Connection& conn, const ObjectRow& o,
                                           const std::string& path) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) throw Error::Internal("export: cannot write " + path);
  Sha256 digest;
  int64_t written = 0;
  Executor(conn).Run({"SELECT data FROM storage_object_chunks WHERE content_id = ? ORDER BY idx",
                      {o.content_id},
                      ""},
                     [&](const Row& row) {
                       const std::string_view data = row[0].text;
                       out.write(data.data(), static_cast<std::streamsize>(data.size()));
                       digest.Update(data);
                       written += static_cast<int64_t>(data.size());
                     });
  out.close();
  if (!out) throw Error::Internal("export: cannot write " + path + " (disk full?)");
  return {digest.HexDigest(), written};
}

json ExportObject(Connection& conn, const ObjectRow& o, const std::string& root) {
  const std::string where = "'" + o.bucket_id + "/" + o.name + "'";
  if (!IsExportableKey(o.name)) {
    throw Error::Internal("export: object " + where +
                          " has a key that is not a plain relative path (an empty, '.' or '..' "
                          "segment); rename it, then export again");
  }
  if (o.content_id == 0) {
    throw Error::Internal("export: object " + where + " has no bytes (run interviewbase check)");
  }
  const std::string relative = "storage/" + o.bucket_id + "/" + o.name;
  const std::string path = root + "/" + o.bucket_id + "/" + o.name;
  std::error_code ec;
  fs::create_directories(fs::path(path).parent_path(), ec);
  if (ec || fs::is_directory(path, ec)) {
    throw Error::Internal("export: object " + where +
                          " cannot be a file: another object's key uses the same path as a "
                          "folder (or this one's folder is a file)");
  }
  const auto [sha256, written] = WriteBytes(conn, o, path);
  if (written != o.size) {
    throw Error::Internal("export: object " + where + " has " + std::to_string(written) +
                          " bytes stored but a size of " + std::to_string(o.size) +
                          " (run interviewbase check)");
  }
  return {{"bucket", o.bucket_id},
          {"key", o.name},
          {"file", relative},
          {"content_type", o.mimetype},
          {"cache_control", o.cache_control},
          {"size", o.size},
          {"sha256", sha256},
          {"etag", o.etag},
          {"owner", o.owner ? json(*o.owner) : json(nullptr)},
          {"metadata", JsonOrNull(o.user_metadata)},
          {"created_at", o.created_at},
          {"updated_at", o.updated_at}};
}

}  // namespace

bool IsExportableKey(std::string_view key) {
  if (key.empty()) return false;
  size_t start = 0;
  while (true) {
    const size_t end = key.find('/', start);
    const std::string_view segment =
        key.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
    if (segment.empty() || segment == "." || segment == "..") return false;
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return key.find('\0') == std::string_view::npos && key.find('\\') == std::string_view::npos;
}

ObjectExportReport ExportObjects(Connection& conn, const std::string& out_dir) {
  std::error_code ec;
  fs::create_directories(out_dir, ec);
  if (ec) throw Error::Internal("export: cannot create " + out_dir + ": " + ec.message());
  const std::string target = out_dir + "/storage";
  StagingDir staging(target);
  ObjectExportReport report;
  json manifest = {{"format", "interviewbase-storage"}, {"version", 1}};
  manifest["buckets"] = ExportBuckets(conn, staging.path(), report.buckets);
  std::vector<ObjectRow> objects;
  Executor(conn).Run({std::string("SELECT ") + kObjectColumns + " FROM " + kObjectFrom +
                          " ORDER BY o.bucket_id, o.name",
                      {},
                      ""},
                     [&](const Row& row) { objects.push_back(ReadObjectRow(row)); });
  json listed = json::array();
  for (const ObjectRow& o : objects) {
    listed.push_back(ExportObject(conn, o, staging.path()));
    ++report.objects;
    report.bytes += o.size;
  }
  manifest["objects"] = std::move(listed);
  {
    std::ofstream out(staging.path() + "/manifest.json", std::ios::trunc);
    out << manifest.dump(2) << "\n";
    out.close();
    if (!out) throw Error::Internal("export: cannot write " + target + "/manifest.json");
  }
  staging.Commit();
  return report;
}

}  // namespace ib::storage::objects
