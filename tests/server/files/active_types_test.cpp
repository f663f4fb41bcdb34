#include "server/files/active_types.h"

#include <doctest/doctest.h>

using ib::files::IsActiveContentType;

TEST_CASE("active types: documents and scripts a browser runs, however the header is spelled") {
  for (const char* type :
       {"text/html", "TEXT/HTML", " text/html ; charset=utf-8", "text/html;", "image/svg+xml",
        "application/xhtml+xml", "text/xml", "application/xml", "application/atom+xml", "text/xsl",
        "application/javascript", "text/javascript", "application/x-javascript",
        "multipart/x-mixed-replace; boundary=x", "", "html", "text/", "/html", "text/html/x"}) {
    CAPTURE(type);
    CHECK(IsActiveContentType(type));
  }
}

TEST_CASE("active types: inert types stay inline") {
  for (const char* type : {"text/plain", "text/plain; charset=utf-8", "image/png", "image/jpeg",
                           "audio/webm", "video/mp4", "application/json", "application/pdf",
                           "application/octet-stream", "text/csv"}) {
    CAPTURE(type);
    CHECK_FALSE(IsActiveContentType(type));
  }
}
