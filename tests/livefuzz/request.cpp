#include "tests/livefuzz/request.h"

namespace ib::livefuzz {
namespace {

constexpr const char* kHex = "0123456789ABCDEF";

void AppendEscape(std::string& out, unsigned char c) {
  out += '%';
  out += kHex[c >> 4];
  out += kHex[c & 15];
}

// Header values may not hold CR, LF or NUL (they would change the framing); anything else goes.
std::string SafeHeaderText(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    if (c != '\r' && c != '\n' && c != '\0') out += c;
  }
  return out;
}

}  // namespace

std::string EncodeQueryValue(const std::string& value, bool form_style) {
  std::string out;
  out.reserve(value.size());
  for (unsigned char c : value) {
    bool plain = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                 c == '*' || c == '-' || c == '.' || c == '_';
    if (plain) {
      out += static_cast<char>(c);
    } else if (form_style && c == ' ') {
      out += '+';
    } else if (form_style || c <= 0x20 || c >= 0x7F || c == '&' || c == '#' || c == '%' ||
               c == '+' || c == '=') {
      AppendEscape(out, c);
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

std::string Request::Target() const {
  std::string target;
  for (unsigned char c : path) {
    if (c <= 0x20 || c >= 0x7F) {
      AppendEscape(target, c);
    } else {
      target += static_cast<char>(c);
    }
  }
  char sep = '?';
  for (const auto& [key, value] : params) {
    target += sep;
    target += EncodeQueryValue(key, form_encode);
    target += '=';
    target += EncodeQueryValue(value, form_encode);
    sep = '&';
  }
  for (unsigned char c : raw_query_suffix) {
    if (c <= 0x20 || c >= 0x7F) {
      AppendEscape(target, c);
    } else {
      target += static_cast<char>(c);
    }
  }
  return target;
}

std::string Request::Serialize() const {
  std::string out = SafeHeaderText(method) + " " + Target() + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
  for (const auto& [name, value] : headers) {
    std::string n = SafeHeaderText(name);
    if (n.empty() || n.find(':') != std::string::npos) continue;
    out += n + ": " + SafeHeaderText(value) + "\r\n";
  }
  // Browsers and fetch() send a length with every POST, PUT and PATCH, even an empty one.
  bool body_method = (method == "POST" || method == "PUT" || method == "PATCH") && !no_length;
  if ((send_body && !no_length) || !body.empty() || body_method)
    out += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  out += "\r\n";
  out += body;
  return out;
}

std::string Printable(const std::string& bytes, size_t max_len) {
  std::string out;
  for (size_t i = 0; i < bytes.size() && i < max_len; ++i) {
    auto c = static_cast<unsigned char>(bytes[i]);
    if (c == '\\') {
      out += "\\\\";
    } else if (c < 0x20 || c >= 0x7F) {
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 15];
    } else {
      out += static_cast<char>(c);
    }
  }
  if (bytes.size() > max_len) out += "...(" + std::to_string(bytes.size()) + " bytes)";
  return out;
}

std::string Request::Describe() const {
  std::string out = Printable(method) + " " + Target();
  for (const auto& [name, value] : headers)
    out += "\n  " + Printable(name) + ": " + Printable(value, 300);
  if (send_body || !body.empty()) out += "\n  body: " + Printable(body);
  return out;
}

}  // namespace ib::livefuzz
