# Writes OUT: a C++ file defining ib::dashboard::EmbeddedAssets(), one entry per file in FILES
# (sorted), each {path relative to ROOT, its bytes, the SHA-256 of its bytes in hex}. The bytes
# are written as \x escapes, so any file (an SVG, a PNG) embeds unchanged.
string(REPLACE "|" ";" FILES "${FILES}")
list(SORT FILES)
set(body "")
foreach(f ${FILES})
  file(RELATIVE_PATH rel ${ROOT} ${f})
  file(READ ${f} hex HEX)
  file(SHA256 ${f} sha)
  string(LENGTH "${hex}" hex_len)
  math(EXPR size "${hex_len} / 2")
  string(REGEX REPLACE "([0-9a-f][0-9a-f])" "\\\\x\\1" escaped "${hex}")
  string(APPEND body "      {\"${rel}\", std::string_view(\"${escaped}\", ${size}), \"${sha}\"},\n")
endforeach()
file(WRITE ${OUT}.tmp "// Generated from dashboard/ by dashboard/embed_dashboard.cmake. Do not edit.\n#include \"server/dashboard/dashboard_assets.h\"\n\nnamespace ib::dashboard {\n\nconst std::vector<Asset>& EmbeddedAssets() {\n  static const std::vector<Asset> kAssets = {\n${body}  };\n  return kAssets;\n}\n\n}  // namespace ib::dashboard\n")
configure_file(${OUT}.tmp ${OUT} COPYONLY)
