#include "server/http/storage_push.h"

#include <httplib.h>
#include <openssl/evp.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "server/auth/jwt.h"
#include "storage/error.h"
#include "storage/objects/object_export.h"

namespace ib::http {
namespace {

using nlohmann::json;
using storage::Error;

struct Target {
  std::string origin;  // scheme://host[:port]
  std::string prefix;  // "" or "/path" before /storage/v1
};

Target ParseUrl(const std::string& url) {
  const size_t scheme = url.find("://");
  if (scheme == std::string::npos ||
      (url.rfind("http://", 0) != 0 && url.rfind("https://", 0) != 0)) {
    throw Error::Internal("--url must start with http:// or https://, not '" + url + "'");
  }
  const size_t path = url.find('/', scheme + 3);
  Target t{url.substr(0, path), path == std::string::npos ? "" : url.substr(path)};
  while (!t.prefix.empty() && t.prefix.back() == '/') t.prefix.pop_back();
  return t;
}

// Percent-encodes a key for the URL path, keeping its '/' separators.
std::string EncodeKey(const std::string& key) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : key) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~' || c == '/') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

// Standard base64 with padding (what Storage's x-metadata header carries).
std::string Base64(std::string_view bytes) {
  std::string out = auth::Base64UrlEncode(bytes);
  for (char& c : out) c = c == '-' ? '+' : c == '_' ? '/' : c;
  while (out.size() % 4 != 0) out += '=';
  return out;
}

std::string Sha256Hex(std::string_view data) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(data.data(), data.size(), md, &len, EVP_sha256(), nullptr);
  static const char* kHex = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < len; ++i) {
    out += kHex[md[i] >> 4];
    out += kHex[md[i] & 15];
  }
  return out;
}

// ROOT/BUCKET/KEY: where the export wrote an object's bytes.
std::string ObjectPath(const std::string& root, const std::string& bucket, const std::string& key) {
  std::string path = root;
  path.append("/").append(bucket).append("/").append(key);
  return path;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error::Internal("push-storage: cannot read " + path);
  std::stringstream all;
  all << in.rdbuf();
  return all.str();
}

// The server's words for a refusal: Storage's {"message"} / {"error"}, else the raw body.
std::string Why(const httplib::Result& res) {
  if (!res) return "no answer (" + httplib::to_string(res.error()) + ")";
  const json body = json::parse(res->body, nullptr, false);
  std::string text = "HTTP " + std::to_string(res->status);
  if (body.is_object()) {
    for (const char* field : {"message", "error", "msg"}) {
      if (body.contains(field) && body[field].is_string()) {
        return text + ": " + body[field].get<std::string>();
      }
    }
  }
  return text + (res->body.empty() ? "" : ": " + res->body.substr(0, 200));
}

// Storage answers some refusals with HTTP 400 and the real status in the body's statusCode.
int EffectiveStatus(const httplib::Result& res) {
  const json body = json::parse(res->body, nullptr, false);
  if (res->status == 400 && body.is_object() && body.contains("statusCode")) {
    const json& code = body["statusCode"];
    if (code.is_string()) return std::atoi(code.get<std::string>().c_str());
    if (code.is_number_integer()) return code.get<int>();
  }
  return res->status;
}

class StorageApi {
 public:
  StorageApi(const Target& target, const std::string& key)
      : client_(target.origin), base_(target.prefix + "/storage/v1") {
    client_.set_connection_timeout(10);
    client_.set_read_timeout(120);
    client_.set_write_timeout(120);
    headers_ = {{"apikey", key}, {"Authorization", "Bearer " + key}};
  }

  // Ensures the bucket exists; true when it was created here.
  bool EnsureBucket(const json& bucket) {
    const std::string id = bucket.at("id").get<std::string>();
    auto found = client_.Get(base_ + "/bucket/" + EncodeKey(id), headers_);
    RefuseBadKey(found);
    if (found->status == 200) return false;
    json body = {
        {"id", id}, {"name", bucket.value("name", id)}, {"public", bucket.value("public", false)}};
    if (bucket.contains("file_size_limit") && !bucket["file_size_limit"].is_null()) {
      body["file_size_limit"] = bucket["file_size_limit"];
    }
    if (bucket.contains("allowed_mime_types") && !bucket["allowed_mime_types"].is_null()) {
      body["allowed_mime_types"] = bucket["allowed_mime_types"];
    }
    auto made = client_.Post(base_ + "/bucket", headers_, body.dump(), "application/json");
    RefuseBadKey(made);
    if (made->status == 200) return true;
    if (EffectiveStatus(made) == 409) return false;  // created meanwhile
    throw Error::Internal("push-storage: cannot create bucket '" + id + "': " + Why(made));
  }

  void Upload(const json& object, const std::string& bytes) {
    const std::string bucket = object.at("bucket").get<std::string>();
    const std::string key = object.at("key").get<std::string>();
    httplib::Headers h = headers_;
    h.emplace("x-upsert", "true");
    if (object.contains("cache_control") && object["cache_control"].is_string()) {
      h.emplace("Cache-Control", object["cache_control"].get<std::string>());
    }
    if (object.contains("metadata") && object["metadata"].is_object()) {
      h.emplace("x-metadata", Base64(object["metadata"].dump()));
    }
    const std::string type = object.value("content_type", "application/octet-stream");
    auto res =
        client_.Post(base_ + "/object/" + EncodeKey(bucket) + "/" + EncodeKey(key), h, bytes, type);
    RefuseBadKey(res);
    if (res->status != 200) {
      throw Error::Internal("push-storage: upload of '" + bucket + "/" + key +
                            "' refused: " + Why(res));
    }
  }

 private:
  void RefuseBadKey(const httplib::Result& res) {
    if (!res) throw Error::Internal("push-storage: cannot reach the server: " + Why(res));
    const int status = EffectiveStatus(res);
    if (status == 401 || status == 403) {
      throw Error::Internal("push-storage: the service key was refused (" + Why(res) +
                            "); use the project's service_role key");
    }
  }

  httplib::Client client_;
  std::string base_;
  httplib::Headers headers_;
};

std::string StorageRoot(const std::string& dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (fs::exists(dir + "/storage/manifest.json", ec)) return dir + "/storage";
  if (fs::exists(dir + "/manifest.json", ec)) return dir;
  throw Error::Internal("push-storage: no manifest in " + dir +
                        " (expected storage/manifest.json, written by interviewbase export)");
}

// The manifest, with every object's file checked against it: nothing is sent for a damaged
// or hand-edited export (sizes and digests, read once before the first request).
json LoadManifest(const std::string& root) {
  json manifest = json::parse(ReadFile(root + "/manifest.json"), nullptr, false);
  if (!manifest.is_object() || !manifest.contains("objects") || !manifest["objects"].is_array() ||
      !manifest.contains("buckets") || !manifest["buckets"].is_array()) {
    throw Error::Internal("push-storage: " + root + "/manifest.json is not an export manifest");
  }
  for (const json& o : manifest["objects"]) {
    if (!o.is_object() || !o.contains("bucket") || !o["bucket"].is_string() || !o.contains("key") ||
        !o["key"].is_string() || !o.contains("size") || !o["size"].is_number_integer()) {
      throw Error::Internal("push-storage: an object of the manifest lacks bucket, key or size");
    }
    const std::string bucket = o["bucket"].get<std::string>();
    const std::string key = o["key"].get<std::string>();
    if (!storage::objects::IsExportableKey(bucket) || bucket.find('/') != std::string::npos ||
        !storage::objects::IsExportableKey(key)) {
      std::string message = "push-storage: the manifest names '";
      message.append(bucket).append("/").append(key).append(
          "', which is not a plain relative path");
      throw Error::Internal(message);
    }
    const std::string path = ObjectPath(root, bucket, key);
    std::error_code ec;
    const auto size = std::filesystem::file_size(path, ec);
    if (ec || static_cast<int64_t>(size) != o["size"].get<int64_t>()) {
      throw Error::Internal("push-storage: " + path +
                            " is missing or not the size the manifest says (nothing pushed)");
    }
    if (o.contains("sha256") && o["sha256"].is_string() &&
        o["sha256"] != Sha256Hex(ReadFile(path))) {
      throw Error::Internal("push-storage: " + path +
                            " does not match its sha256 in the manifest (nothing pushed)");
    }
  }
  return manifest;
}

}  // namespace

PushReport PushStorage(const std::string& dir, const std::string& url,
                       const std::string& service_key,
                       const std::function<void(const std::string&)>& progress) {
  const Target target = ParseUrl(url);
  const std::string root = StorageRoot(dir);
  const json manifest = LoadManifest(root);
  StorageApi api(target, service_key);
  PushReport report;
  for (const json& bucket : manifest["buckets"]) {
    if (api.EnsureBucket(bucket)) ++report.buckets_created;
  }
  for (const json& o : manifest["objects"]) {
    const std::string bucket = o["bucket"].get<std::string>();
    const std::string key = o["key"].get<std::string>();
    const std::string bytes = ReadFile(ObjectPath(root, bucket, key));
    try {
      api.Upload(o, bytes);
    } catch (const Error& e) {
      std::string message = e.message();
      message.append(" (").append(std::to_string(report.objects));
      message.append(" objects pushed before it; pushing again is safe)");
      throw Error::Internal(message);
    }
    ++report.objects;
    report.bytes += static_cast<int64_t>(bytes.size());
    std::string line = bucket;
    line.append("/").append(key).append(" (").append(std::to_string(bytes.size()));
    progress(line.append(" bytes)"));
  }
  return report;
}

}  // namespace ib::http
