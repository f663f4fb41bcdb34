# Writes OUT: a C++ file defining ib::storage::pgexport::PostgresFunctionsSql(), the text of
# IN (schema/postgres/functions.sql), which `export postgres` appends to schema.sql.
file(READ ${IN} sql)
file(WRITE ${OUT}.tmp "// Generated from schema/postgres/functions.sql by schema/embed_pg_functions.cmake. Do not edit.\n#include \"storage/export/pg_functions.h\"\n\nnamespace ib::storage::pgexport {\n\nstd::string_view PostgresFunctionsSql() {\n  static constexpr std::string_view kSql = R\"ib_sql(${sql})ib_sql\";\n  return kSql;\n}\n\n}  // namespace ib::storage::pgexport\n")
configure_file(${OUT}.tmp ${OUT} COPYONLY)
