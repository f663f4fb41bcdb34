#include "storage/json_quick_parse.h"

// Boost.JSON, header-only: this is the one translation unit that compiles its sources (the
// tokenizer's tables, error categories, number conversion), so no Boost library is linked.
#include <boost/json/basic_parser_impl.hpp>
#include <boost/json/src.hpp>
#include <charconv>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

namespace ib::storage {
namespace {

using boost::json::error_code;
using nlohmann::json;
using BoostText = boost::json::string_view;

std::string_view View(BoostText s) { return {s.data(), s.size()}; }

// The handler of boost::json::basic_parser: builds the nlohmann tree as nlohmann's own
// json_sax_dom_parser does (a stack of the open containers; a value goes into the innermost one,
// under the last key read when that is an object, so the last of duplicate keys wins). The
// parser hands a string, key or number over in parts when it spans a buffer boundary; with the
// whole text in one buffer that does not happen, but the parts are joined all the same.
// The implicit moves only move nlohmann::json values, whose move is noexcept; clang-tidy follows
// json's debug-only invariant check into them.
// NOLINTNEXTLINE(bugprone-exception-escape)
class TreeBuilder {
 public:
  static constexpr std::size_t max_array_size = static_cast<std::size_t>(-1);
  static constexpr std::size_t max_object_size = static_cast<std::size_t>(-1);
  static constexpr std::size_t max_string_size = static_cast<std::size_t>(-1);
  static constexpr std::size_t max_key_size = static_cast<std::size_t>(-1);

  json TakeRoot() { return std::move(root_); }

  bool on_document_begin(error_code&) { return true; }
  bool on_document_end(error_code&) { return true; }

  bool on_array_begin(error_code&) { return Open(json::value_t::array); }
  bool on_array_end(std::size_t, error_code&) { return Close(); }
  bool on_object_begin(error_code&) { return Open(json::value_t::object); }
  bool on_object_end(std::size_t, error_code&) { return Close(); }

  bool on_string_part(BoostText s, std::size_t, error_code&) {
    text_.append(s.data(), s.size());
    return true;
  }
  bool on_string(BoostText s, std::size_t, error_code&) {
    if (text_.empty()) return Place(json(std::string(s.data(), s.size())));
    text_.append(s.data(), s.size());
    const bool placed = Place(json(std::move(text_)));
    text_.clear();
    return placed;
  }
  bool on_key_part(BoostText s, std::size_t, error_code&) {
    key_.append(s.data(), s.size());
    return true;
  }
  bool on_key(BoostText s, std::size_t, error_code&) {
    key_.append(s.data(), s.size());
    return true;
  }

  bool on_number_part(BoostText s, error_code&) {
    number_.append(s.data(), s.size());
    return true;
  }
  // An integer in int64's range: its sign decides nlohmann's type ("-0" is number_integer 0).
  bool on_int64(int64_t i, BoostText s, error_code&) {
    const bool negative = number_.empty() ? (!s.empty() && s[0] == '-') : number_[0] == '-';
    number_.clear();
    return Place(negative ? json(i) : json(static_cast<uint64_t>(i)));
  }
  bool on_uint64(uint64_t u, BoostText, error_code&) {
    number_.clear();
    return Place(json(u));
  }
  // Every other number (a fraction or an exponent, or an integer past 64 bits) is converted again
  // from its text, as nlohmann converts it: Boost 1.81's own conversion may be off by one unit in
  // the last place.
  bool on_double(double, BoostText s, error_code&) {
    std::string_view text = View(s);
    if (!number_.empty()) {
      number_.append(s.data(), s.size());
      text = number_;
    }
    const bool placed = PlaceNumberText(text);
    number_.clear();
    return placed;
  }

  bool on_bool(bool b, error_code&) { return Place(json(b)); }
  bool on_null(error_code&) { return Place(json(nullptr)); }
  // Comments are not allowed (parse_options' default): never called.
  bool on_comment_part(BoostText, error_code&) { return false; }
  bool on_comment(BoostText, error_code&) { return false; }

 private:
  // nlohmann's rule (lexer::scan_number): integer syntax is tried as int64 when negative, as
  // uint64 otherwise, and past their range, like any fraction or exponent, read as a double
  // (correctly rounded, as strtod reads it). A double out of range is declined: nlohmann refuses
  // an overflow and turns an underflow into strtod's zero or subnormal, left to it.
  bool PlaceNumberText(std::string_view text) {
    const char* first = text.data();
    const char* last = text.data() + text.size();
    if (text.find_first_of(".eE") == std::string_view::npos) {
      if (!text.empty() && text[0] == '-') {
        int64_t i = 0;
        if (std::from_chars(first, last, i).ec == std::errc()) return Place(json(i));
      } else {
        uint64_t u = 0;
        if (std::from_chars(first, last, u).ec == std::errc()) return Place(json(u));
      }
    }
    double d = 0;
    const std::from_chars_result r = std::from_chars(first, last, d);
    if (r.ec != std::errc() || r.ptr != last || !std::isfinite(d)) return false;
    return Place(json(d));
  }

  bool Open(json::value_t type) {
    if (!Place(json(type))) return false;
    open_.push_back(last_placed_);
    return true;
  }
  bool Close() {
    open_.pop_back();
    return true;
  }
  // Puts `v` where the document is: the root, the end of the innermost open array, or the
  // innermost open object under the key just read.
  bool Place(json&& v) {
    if (open_.empty()) {
      root_ = std::move(v);
      last_placed_ = &root_;
    } else if (open_.back()->is_array()) {
      open_.back()->push_back(std::move(v));
      last_placed_ = &open_.back()->back();
    } else {
      json& slot = (*open_.back())[key_];
      slot = std::move(v);
      last_placed_ = &slot;
      key_.clear();
    }
    return true;
  }

  json root_;
  // The open arrays and objects, outermost first. Each lives inside the one before it and no
  // value is added to that one while it is open, so the pointers stay valid.
  std::vector<json*> open_;
  json* last_placed_ = nullptr;
  std::string key_;     // the key of the member being read
  std::string text_;    // a string handed over in parts
  std::string number_;  // a number handed over in parts
};

constexpr std::string_view kByteOrderMark = "\xEF\xBB\xBF";

}  // namespace

std::optional<json> QuickParseJson(std::string_view text, int max_depth) {
  // nlohmann skips a leading byte-order mark; Boost.JSON would refuse it.
  if (text.substr(0, kByteOrderMark.size()) == kByteOrderMark) {
    text.remove_prefix(kByteOrderMark.size());
  }
  boost::json::parse_options options;
  options.max_depth = static_cast<std::size_t>(max_depth > 0 ? max_depth : 0);
  boost::json::basic_parser<TreeBuilder> parser(options);
  error_code ec;
  const std::size_t used = parser.write_some(false, text.data(), text.size(), ec);
  if (ec || !parser.done() || used != text.size()) return std::nullopt;
  return parser.handler().TakeRoot();
}

}  // namespace ib::storage
