#include "storage/json_input.h"

#include "storage/json_quick_parse.h"

namespace ib::storage {

bool NestsDeeperThan(std::string_view text, int max_depth) {
  int depth = 0;
  bool in_string = false;
  bool escaped = false;
  for (char c : text) {
    if (in_string) {
      in_string = escaped || c != '"';
      escaped = !escaped && c == '\\';
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > max_depth) return true;
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;  // never below 0: stray closers must not buy extra depth for later openers
    }
  }
  return false;
}

ClientJson ParseClientJson(std::string_view text) {
  if (std::optional<nlohmann::json> quick = QuickParseJson(text, kMaxJsonDepth)) {
    ClientJson out;
    out.outcome = ClientJson::Outcome::kOk;
    out.value = std::move(*quick);
    return out;
  }
  return ParseClientJsonWithNlohmann(text);
}

ClientJson ParseClientJsonWithNlohmann(std::string_view text) {
  ClientJson out;
  if (NestsDeeperThan(text, kMaxJsonDepth)) {
    out.outcome = ClientJson::Outcome::kTooDeep;
    out.error = "The input is nested more than " + std::to_string(kMaxJsonDepth) + " levels deep.";
    return out;
  }
  try {
    out.value = nlohmann::json::parse(text.begin(), text.end());
    out.outcome = ClientJson::Outcome::kOk;
  } catch (const nlohmann::json::exception& e) {
    out.outcome = ClientJson::Outcome::kInvalid;
    out.error = e.what();
  }
  return out;
}

}  // namespace ib::storage
