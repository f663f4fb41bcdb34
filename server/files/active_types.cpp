#include "server/files/active_types.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <string>

namespace ib::files {
namespace {

// Documents and scripts a browser executes. Every `+xml` suffix is active as well: any XML
// document may pull in an XSLT stylesheet that turns it into HTML.
constexpr std::array<std::string_view, 14> kActive = {"text/html",
                                                      "application/xhtml+xml",
                                                      "image/svg+xml",
                                                      "text/xml",
                                                      "application/xml",
                                                      "text/xsl",
                                                      "application/xslt+xml",
                                                      "text/javascript",
                                                      "text/ecmascript",
                                                      "application/javascript",
                                                      "application/ecmascript",
                                                      "application/x-javascript",
                                                      "text/jscript",
                                                      "multipart/x-mixed-replace"};

std::string Essence(std::string_view mimetype) {
  mimetype = mimetype.substr(0, mimetype.find(';'));
  std::string out;
  for (char c : mimetype) {
    if (c == ' ' || c == '\t') continue;
    out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

}  // namespace

bool IsActiveContentType(std::string_view mimetype) {
  const std::string essence = Essence(mimetype);
  const size_t slash = essence.find('/');
  if (slash == std::string::npos || slash == 0 || slash + 1 == essence.size() ||
      essence.find('/', slash + 1) != std::string::npos) {
    return true;
  }
  if (EndsWith(essence, "+xml")) return true;
  return std::find(kActive.begin(), kActive.end(), essence) != kActive.end();
}

}  // namespace ib::files
