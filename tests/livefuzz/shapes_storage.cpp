// Storage request shapes as supabase-js 2.x (storage-js) sends them: upload (raw body or
// multipart, POST or PUT with x-upsert), download (plain, authenticated, public, with a byte
// Range), info, list, remove, move, copy, signed URLs, and the bucket routes. Keys aim at the
// asker's folder, the other user's folder (whose guessable object holds their canary), the
// bucket root and traversal spellings.
#include <string>

#include "tests/livefuzz/gen.h"

namespace ib::livefuzz {
namespace {

std::string Bucket(Gen& g) {
  static const std::vector<std::string> kBuckets = {
      "avatars", "nope", "INTERVIEW-AUDIO", "", "interview-audio%2F..", "a b"};
  return g.rng.Chance(85) ? "interview-audio" : g.rng.Pick(kBuckets);
}

std::string Key(Gen& g) {
  static const std::vector<std::string> kNames = {
      "answer.webm", "a.webm", "x",  "dir/a.webm",   "%2e%2e/a", "a%2Fb",
      "é.webm",      ".",      "a/", "answer.webm/", "a//b"};
  const User* other = g.other ? g.other : &g.world.users[g.rng.Below(kUsers)];
  switch (g.rng.Below(8)) {
    case 0:
    case 1:
    case 2:
      return (g.self ? g.self->id : g.world.ghost_id) + "/" + g.rng.Pick(kNames);
    case 3:
      return other->known_object;
    case 4:
      return other->id + "/" + g.rng.Pick(kNames);
    case 5:
      return (g.self ? g.self->id : "x") + "/../" + other->known_object;
    case 6:
      return g.rng.Pick(kNames);
    default:
      return g.rng.Chance(50) ? std::string(1 + g.rng.Below(1200), 'k') : g.Hostile();
  }
}

std::string QuoteStorage(const std::string& s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    if (c < 0x20) continue;
    out += static_cast<char>(c);
  }
  return out + "\"";
}

void Upload(Gen& g, Request& r) {
  r.method = g.rng.Chance(70) ? "POST" : "PUT";
  r.path = "/storage/v1/object/" + Bucket(g) + "/" + Key(g);
  std::string content = "audio " + g.Word() + std::string(g.rng.Below(2000), 'z');
  if (g.rng.Chance(25)) {
    std::string boundary = "----fuzz" + std::to_string(g.rng.Below(100000));
    r.headers.emplace_back("Content-Type", "multipart/form-data; boundary=" + boundary);
    r.body = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"cacheControl\"\r\n\r\n" +
             "3600\r\n--" + boundary +
             "\r\nContent-Disposition: form-data; name=\"\"; filename=\"a.webm\"\r\n" +
             "Content-Type: audio/webm\r\n\r\n" + content + "\r\n--" + boundary +
             (g.rng.Chance(90) ? "--\r\n" : "\r\n");
  } else {
    static const std::vector<std::string> kTypes = {"audio/webm", "text/plain;charset=UTF-8",
                                                    "text/html",  "image/svg+xml",
                                                    "",           "application/octet-stream"};
    r.headers.emplace_back("Content-Type", g.rng.Pick(kTypes));
    r.body = content;
  }
  if (g.rng.Chance(40)) r.headers.emplace_back("x-upsert", g.rng.Chance(80) ? "true" : "maybe");
  if (g.rng.Chance(40)) r.headers.emplace_back("cache-control", "max-age=" + g.ValueFor('i'));
  r.send_body = true;
}

}  // namespace

Request StorageCall(Gen& g) {
  Request r;
  const std::string object = "/storage/v1/object/";
  switch (g.rng.Below(12)) {
    case 0:
    case 1:
      Upload(g, r);
      break;
    case 2:
    case 3: {
      static const std::vector<std::string> kModes = {"", "", "authenticated/", "public/"};
      r.method = g.rng.Chance(85) ? "GET" : "HEAD";
      r.path = object + g.rng.Pick(kModes) + Bucket(g) + "/" + Key(g);
      if (g.rng.Chance(20)) {
        static const std::vector<std::string> kRanges = {
            "bytes=0-3",     "bytes=2-",     "bytes=-4", "bytes=5-1",
            "bytes=0-0,2-3", "bytes=99999-", "items=0-1"};
        r.headers.emplace_back("Range", g.rng.Pick(kRanges));
      }
      if (g.rng.Chance(10)) r.params.emplace_back("download", g.Word());
      break;
    }
    case 4:
      r.method = "GET";
      r.path =
          object + "info/" + (g.rng.Chance(50) ? "authenticated/" : "") + Bucket(g) + "/" + Key(g);
      break;
    case 5: {
      r.method = "POST";
      r.path = object + "list/" + Bucket(g);
      const User* other = g.other ? g.other : &g.world.users[g.rng.Below(kUsers)];
      std::string prefix = g.rng.Chance(40)   ? (g.self ? g.self->id : "")
                           : g.rng.Chance(50) ? other->id
                                              : g.Value();
      static const std::vector<std::string> kSort = {"name", "created_at", "updated_at", "nope",
                                                     "id"};
      r.body = "{\"prefix\":" + QuoteStorage(prefix) + ",\"limit\":" + g.ValueFor('i') +
               ",\"offset\":" + g.ValueFor('i') +
               ",\"sortBy\":{\"column\":" + QuoteStorage(g.rng.Pick(kSort)) +
               ",\"order\":" + QuoteStorage(g.rng.Chance(50) ? "asc" : "x") + "}" +
               (g.rng.Chance(30) ? ",\"search\":" + QuoteStorage(g.Value()) : "") + "}";
      break;
    }
    case 6:
      r.method = "DELETE";
      if (g.rng.Chance(50)) {
        r.path = object + Bucket(g);
        r.body = "{\"prefixes\":[" + QuoteStorage(Key(g)) + "," + QuoteStorage(Key(g)) + "]}";
      } else {
        r.path = object + Bucket(g) + "/" + Key(g);
      }
      break;
    case 7:
      r.method = "POST";
      r.path = object + (g.rng.Chance(50) ? "move" : "copy");
      r.body = "{\"bucketId\":" + QuoteStorage(Bucket(g)) +
               ",\"sourceKey\":" + QuoteStorage(Key(g)) +
               ",\"destinationKey\":" + QuoteStorage(Key(g)) + "}";
      break;
    case 8:
      r.method = "POST";
      if (g.rng.Chance(60)) {
        r.path = object + "sign/" + Bucket(g) + "/" + Key(g);
        r.body = "{\"expiresIn\":" + g.ValueFor('i') + "}";
      } else {
        r.path = object + "sign/" + Bucket(g);
        r.body = "{\"expiresIn\":60,\"paths\":[" + QuoteStorage(Key(g)) + "," +
                 QuoteStorage(Key(g)) + "]}";
      }
      break;
    case 9:
      r.method = "GET";
      r.path = object + "sign/" + Bucket(g) + "/" + Key(g);
      r.params.emplace_back("token", g.rng.Chance(50) ? g.rng.Pick(g.world.bad_tokens) : g.Value());
      break;
    default: {
      static const std::vector<std::string> kMethods = {"GET", "GET", "POST", "PUT", "DELETE"};
      r.method = g.rng.Pick(kMethods);
      r.path = "/storage/v1/bucket";
      if (r.method != "POST" && (r.method != "GET" || g.rng.Chance(50))) {
        r.path += "/" + Bucket(g);
        if (r.method == "POST" || g.rng.Chance(10)) r.path += "/empty";
      }
      if (r.method == "POST" || r.method == "PUT") {
        r.body = "{\"id\":" + QuoteStorage(Bucket(g)) + ",\"name\":" + QuoteStorage(g.Word()) +
                 ",\"public\":" + (g.rng.Chance(50) ? "true" : "false") +
                 ",\"file_size_limit\":" + g.ValueFor('i') + "}";
      }
      break;
    }
  }
  AddAuthHeaders(g, r);
  // Uploads set their own type; every other storage body is JSON.
  bool typed = false;
  for (const auto& h : r.headers) typed = typed || h.first == "Content-Type";
  if (!r.body.empty() && !typed) r.headers.emplace_back("Content-Type", "application/json");
  if (!r.body.empty()) r.send_body = true;
  return r;
}

}  // namespace ib::livefuzz
