// The dashboard's files (dashboard/: HTML, CSS, JavaScript modules, an icon), compiled into the
// binary by dashboard/embed_dashboard.cmake, and what serving one needs: its Content-Type, its
// ETag (from the SHA-256 of its bytes, computed at build time) and the Content-Security-Policy
// every dashboard response carries. Nothing is read from disk or fetched at run time. Pure.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace ib::dashboard {

struct Asset {
  std::string_view path;    // relative to dashboard/, e.g. "index.html", "views/users.js"
  std::string_view bytes;   // the file's content
  std::string_view sha256;  // lower-case hex of the content's SHA-256
};

// Every embedded file, sorted by path (generated at build time).
const std::vector<Asset>& EmbeddedAssets();

// The file at `path` (relative, as in Asset::path; "" means index.html), or nullptr. Only exact
// names of embedded files match: "../x", "a//b" or a directory name find nothing.
const Asset* FindAsset(std::string_view path);

// The Content-Type for a file name by its extension (text types with charset=utf-8);
// application/octet-stream for an unknown one.
std::string_view ContentTypeFor(std::string_view path);

// A strong ETag, quoted: the first 32 hex digits of the SHA-256.
std::string ETagOf(const Asset& asset);

// Only the dashboard's own files may run or style the page (no inline script or style, no
// CDN), data goes only to this origin, audio plays from this origin or a blob: URL, and the
// page may not be framed or post a form anywhere (a form that posted would put the key it
// holds in a URL).
inline constexpr std::string_view kContentSecurityPolicy =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "media-src 'self' blob:; connect-src 'self'; base-uri 'none'; form-action 'none'; "
    "frame-ancestors 'none'";

}  // namespace ib::dashboard
