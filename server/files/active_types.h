// Which stored content types a browser would run as a page or script on the API's origin
// (HTML, SVG, XML with its stylesheets, JavaScript). Downloads of such objects are sent as
// attachments so a stored file can never script the origin it is served from. Pure; thread-safe.
#pragma once

#include <string_view>

namespace ib::files {

// True for active types, matched the way browsers read the header: case-insensitive, parameters
// (";charset=...") and surrounding blanks ignored; a type that is not `type/subtype` counts as
// active too, since a browser may guess what it is.
bool IsActiveContentType(std::string_view mimetype);

}  // namespace ib::files
