# cmake -DSQLITE_FILES=... -DMYSQL_FILES=... -DOUTPUT=... -P EmbedMigrations.cmake
# Writes store::embeddedMigrations(): each file NNNN_name.sql becomes {NNNN, name, text}.
set(delimiter "tim_sql")

function(append_migrations variable files)
  set(text "")
  set(previous 0)
  foreach(file IN LISTS files)
    get_filename_component(name ${file} NAME)
    if(NOT name MATCHES "^([0-9]+)_[A-Za-z0-9_]+\\.sql$")
      message(FATAL_ERROR "migration ${name}: the name must be NNNN_words.sql")
    endif()
    math(EXPR version "${CMAKE_MATCH_1}")
    if(version LESS_EQUAL previous)
      message(FATAL_ERROR "migration ${name}: version ${version} is not above ${previous}")
    endif()
    set(previous ${version})
    file(READ ${file} sql)
    string(FIND "${sql}" ")${delimiter}\"" clash)
    if(NOT clash EQUAL -1)
      message(FATAL_ERROR "migration ${name} contains the raw-string delimiter")
    endif()
    string(APPEND text "        {${version}, \"${name}\", R\"${delimiter}(${sql})${delimiter}\"},\n")
  endforeach()
  set(${variable} "${text}" PARENT_SCOPE)
endfunction()

string(REPLACE "|" ";" SQLITE_FILES "${SQLITE_FILES}")
string(REPLACE "|" ";" MYSQL_FILES "${MYSQL_FILES}")
append_migrations(sqlite_entries "${SQLITE_FILES}")
append_migrations(mysql_entries "${MYSQL_FILES}")

file(WRITE ${OUTPUT}.tmp "// Generated from sql/ by sql/EmbedMigrations.cmake. Do not edit.
#include \"store/migrations/Migration.h\"

namespace store {

const std::vector<Migration>& embeddedMigrations(Engine engine) {
    static const std::vector<Migration> sqlite = {
${sqlite_entries}    };
    static const std::vector<Migration> mysql = {
${mysql_entries}    };
    return engine == Engine::SQLite ? sqlite : mysql;
}

}  // namespace store
")
file(COPY_FILE ${OUTPUT}.tmp ${OUTPUT} ONLY_IF_DIFFERENT)
