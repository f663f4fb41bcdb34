# Writes OUT: a C++ file defining ib::storage::EmbeddedMigrations(), one entry per file in
# FILES (sorted), each {version from the NNNN_ prefix, name, SQL text}.
string(REPLACE "|" ";" FILES "${FILES}")
set(body "")
foreach(f ${FILES})
  get_filename_component(name ${f} NAME)
  string(REGEX MATCH "^[0-9]+" version ${name})
  math(EXPR version "${version}")
  file(READ ${f} sql)
  string(APPEND body "    {${version}, \"${name}\", R\"ib_sql(${sql})ib_sql\"},\n")
endforeach()
file(WRITE ${OUT}.tmp "// Generated from schema/migrations by schema/embed_migrations.cmake. Do not edit.\n#include \"storage/migrator.h\"\n\nnamespace ib::storage {\n\nconst std::vector<Migration>& EmbeddedMigrations() {\n  static const std::vector<Migration> kMigrations = {\n${body}  };\n  return kMigrations;\n}\n\n}  // namespace ib::storage\n")
configure_file(${OUT}.tmp ${OUT} COPYONLY)
