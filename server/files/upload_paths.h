// The object-upload routes' paths, as std::regex patterns over the percent-decoded path (what
// httplib matches a route against). upload_routes.cpp registers them; the framing layer
// (server/http/body_limit.h) gives exactly these requests the upload body limit, so the two
// can never disagree about which requests carry a whole object.
#pragma once

namespace ib::files {

// POST /storage/v1/object/{bucket}/{key}: the fixed words of other object routes are not
// buckets (/object/list/b is a list, not an upload).
inline constexpr const char* kUploadPostPath =
    "/storage/v1/object/(?!(?:list|sign|move|copy|upload)/)([^/]+)/(.+)";
// PUT /storage/v1/object/{bucket}/{key}.
inline constexpr const char* kUploadPutPath = "/storage/v1/object/(?!upload/)([^/]+)/(.+)";

}  // namespace ib::files
