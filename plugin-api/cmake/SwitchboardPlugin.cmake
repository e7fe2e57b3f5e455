# switchboard_add_plugin(<name> <source>...)
#
# Builds a Switchboard plugin: a MODULE library named <name>.so that exports
# only sb_plugin_entry_v1 (everything else hidden, so two plugins never clash)
# and refuses undefined symbols at link time rather than at dlopen time.
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
  target_link_options(${name} PRIVATE -Wl,--no-undefined)
  if(DEFINED SWITCHBOARD_PLUGIN_OUTPUT_DIR)
    set_target_properties(${name} PROPERTIES LIBRARY_OUTPUT_DIRECTORY ${SWITCHBOARD_PLUGIN_OUTPUT_DIR})
    target_compile_options(${name} PRIVATE -Werror)
    install(TARGETS ${name} LIBRARY DESTINATION ${SWITCHBOARD_PLUGIN_INSTALL_DIR})
  endif()
endfunction()
