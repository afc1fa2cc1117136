# cmake -DMANIFEST=manifest.json -DOUTPUT=SettingDefinitions.cpp -P GenerateSettingsCatalogue.cmake
# manifest.json's "properties" are the one home of the plugin's tim.properties keys; this
# turns them into tim::settingDefinitions().
file(READ ${MANIFEST} manifest)
string(JSON count LENGTH "${manifest}" properties)
math(EXPR last "${count} - 1")
set(entries "")
foreach(i RANGE ${last})
  string(JSON key GET "${manifest}" properties ${i} key)
  string(JSON default GET "${manifest}" properties ${i} default)
  string(JSON description GET "${manifest}" properties ${i} description)
  foreach(text IN ITEMS "${key}" "${default}" "${description}")
    if(text MATCHES "\\)tim\"")
      message(FATAL_ERROR "manifest.json property ${key} contains the raw-string delimiter")
    endif()
  endforeach()
  string(APPEND entries "        {R\"tim(${key})tim\", R\"tim(${default})tim\", R\"tim(${description})tim\"},\n")
endforeach()
file(WRITE ${OUTPUT}.tmp "// Generated from manifest.json by src/tim/GenerateSettingsCatalogue.cmake. Do not edit.
#include \"tim/Settings.h\"

namespace tim {

const std::vector<SettingDefinition>& settingDefinitions() {
    static const std::vector<SettingDefinition> definitions = {
${entries}    };
    return definitions;
}

}  // namespace tim
")
file(COPY_FILE ${OUTPUT}.tmp ${OUTPUT} ONLY_IF_DIFFERENT)
