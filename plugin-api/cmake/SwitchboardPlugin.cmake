# switchboard_add_plugin(<name> <source>...)
#
# Builds a Switchboard plugin: a MODULE library named <name>.so that exports
# only sb_plugin_entry_v1 (everything else hidden, so two plugins never clash)
# and refuses undefined symbols at link time rather than at dlopen time.
# Hidden visibility alone is not enough: libstdc++ declares namespace std with
# default visibility, so template instantiations (std::vector<char>::…) would
# still be exported as weak symbols; a linker version script makes the one
# entry symbol the whole dynamic interface.
# In the Switchboard tree it lands in build/plugins and installs with the
# host; out of tree it lands in the caller's binary dir.
function(switchboard_add_plugin name)
  if(NOT ARGN)
    message(FATAL_ERROR "switchboard_add_plugin(${name}): no sources given")
  endif()
  add_library(${name} MODULE ${ARGN})
  target_link_libraries(${name} PRIVATE switchboard::sdk)
  set_target_properties(${name} PROPERTIES
    PREFIX ""
    CXX_VISIBILITY_PRESET hidden
    C_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON)
  target_compile_options(${name} PRIVATE -Wall -Wextra)
  set(exports ${CMAKE_BINARY_DIR}/switchboard_plugin_exports.map)
  file(CONFIGURE OUTPUT ${exports} CONTENT "{\n  global: sb_plugin_entry_v1;\n  local: *;\n};\n")
  target_link_options(${name} PRIVATE -Wl,--no-undefined "-Wl,--version-script=${exports}")
  set_property(TARGET ${name} APPEND PROPERTY LINK_DEPENDS ${exports})
  if(DEFINED SWITCHBOARD_PLUGIN_OUTPUT_DIR)
    set_target_properties(${name} PROPERTIES LIBRARY_OUTPUT_DIRECTORY ${SWITCHBOARD_PLUGIN_OUTPUT_DIR})
    target_compile_options(${name} PRIVATE -Werror)
    install(TARGETS ${name} LIBRARY DESTINATION ${SWITCHBOARD_PLUGIN_INSTALL_DIR})
  endif()
endfunction()
