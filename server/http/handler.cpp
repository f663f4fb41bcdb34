#include "server/http/handler.h"

#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>

#include "server/http/access_record.h"

namespace ib::http {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string StorageErrorName(const storage::Error& e) {
  // Storage's `error` field is a short phrase for some codes and the code itself otherwise.
  using storage::ErrorCode;
  switch (e.error_code()) {
    case ErrorCode::kNoSuchKey:
      return "not_found";
    case ErrorCode::kNoSuchBucket:
      return "Bucket not found";
    case ErrorCode::kBucketAlreadyExists:
    case ErrorCode::kKeyAlreadyExists:
      return "Duplicate";
    case ErrorCode::kAccessDenied:
      return "Unauthorized";
    case ErrorCode::kEntityTooLarge:
      return "Payload too large";
    case ErrorCode::kInvalidMimeType:
      return "invalid_mime_type";
    default:
      return e.code();
  }
}

// The inside of an RFC 7230 quoted-string: '"' and '\\' escaped, control bytes dropped (a CR or
// LF would otherwise end the header).
std::string QuotedStringContent(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7F) continue;
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

// The cause of a 500: into the request's access line when there is one, else on its own line.
void LogServerError(const char* kind, const std::string& message) {
  AccessRecord* record = CurrentAccess();
  if (record != nullptr && record->logged) {
    record->error = kind + message;
    return;
  }
  std::cerr << kind << message << std::endl;
}

}  // namespace

std::string PercentDecode(std::string_view text, bool plus_as_space) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '%' && i + 2 < text.size()) {
      int hi = HexValue(text[i + 1]);
      int lo = HexValue(text[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out += static_cast<char>(hi * 16 + lo);
        i += 2;
        continue;
      }
    }
    out += (plus_as_space && c == '+') ? ' ' : c;
  }
  return out;
}

std::vector<std::pair<std::string, std::string>> QueryPairs(const httplib::Request& req) {
  std::vector<std::pair<std::string, std::string>> out;
  std::string_view target = req.target;
  auto q = target.find('?');
  if (q == std::string_view::npos) return out;
  std::string_view query = target.substr(q + 1);
  auto hash = query.find('#');
  if (hash != std::string_view::npos) query = query.substr(0, hash);
  while (!query.empty()) {
    auto amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    if (!pair.empty()) {
      // Split on the first '=' only: the value may contain more (eq.a=b).
      auto eq = pair.find('=');
      std::string_view key = pair.substr(0, eq);
      std::string_view value = eq == std::string_view::npos ? "" : pair.substr(eq + 1);
      out.emplace_back(PercentDecode(key, true), PercentDecode(value, true));
    }
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  return out;
}

std::optional<std::string> Header(const httplib::Request& req, const char* name) {
  // One search of httplib's case-insensitive map (has_header, then get_header_value, was two,
  // each comparing names a character at a time through tolower); the first value, as
  // get_header_value gives.
  auto found = req.headers.equal_range(name);
  if (found.first == found.second) return std::nullopt;
  return found.first->second;
}

void RenderError(Service service, const storage::Error& e, httplib::Response& res) {
  // Every body is built by the JSON library: messages and details may carry client text
  // (quotes, backslashes, control bytes, invalid UTF-8, which becomes U+FFFD).
  nlohmann::ordered_json body;
  switch (service) {
    case Service::kRest:
    case Service::kPlain:
      res.set_content(e.ToJson(), "application/json; charset=utf-8");
      res.status = e.status();
      if (e.status() == 401) {
        res.set_header("WWW-Authenticate",
                       e.Is(storage::ErrorCode::kInsufficientPrivilege)
                           ? std::string("Bearer")
                           : "Bearer error=\"invalid_token\", error_description=\"" +
                                 QuotedStringContent(e.message()) + "\"");
      }
      return;
    case Service::kAuth:
      body["code"] = e.code();
      body["error_code"] = e.code();
      body["msg"] = e.message();
      body["message"] = e.message();
      if (e.Is(storage::ErrorCode::kWeakPassword) && e.details()) {
        // The reasons travel as JSON text in details; anything else in details is not shown
        // (GoTrue's error shape has no such field).
        auto reasons = nlohmann::ordered_json::parse(*e.details(), nullptr, false);
        if (reasons.is_object()) body["weak_password"] = std::move(reasons);
      }
      res.status = e.status();
      res.set_header("X-Supabase-Api-Version", "2024-01-01");
      res.set_header("x-sb-error-code", e.code());
      break;
    case Service::kStorage:
      // Storage answers most failures with HTTP 400 and the logical status in the body.
      body["statusCode"] = std::to_string(e.status());
      body["code"] = e.code();
      body["error"] = StorageErrorName(e);
      body["message"] = e.message();
      // The gateway's refusals (no or unknown apikey) never reach the service: plain 401.
      res.status = e.status() >= 500 || e.Is(storage::ErrorCode::kInvalidApiKey) ||
                           e.Is(storage::ErrorCode::kNoApiKey)
                       ? e.status()
                       : 400;
      break;
  }
  res.set_content(body.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace),
                  "application/json; charset=utf-8");
}

httplib::Server::Handler Wrap(Service service, Handler handler) {
  return
      [service, handler = std::move(handler)](const httplib::Request& req, httplib::Response& res) {
        RequestContext ctx;
        try {
          handler(req, res, ctx);
        } catch (const storage::Error& e) {
          if (e.status() >= 500) LogServerError("error: ", e.message());
          RenderError(service,
                      e.status() >= 500 && e.Is(storage::ErrorCode::kInternalError)
                          ? storage::Error::Internal("internal server error")
                          : e,
                      res);
        } catch (const std::exception& e) {
          LogServerError("unexpected error: ", e.what());
          RenderError(service, storage::Error::Internal("internal server error"), res);
        }
        if (AccessRecord* record = CurrentAccess()) {
          record->route = RoutePattern(req.path, req.matches);
          record->principal = std::move(ctx.principal);
        }
      };
}

}  // namespace ib::http
