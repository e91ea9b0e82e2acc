# govtrack_module(NAME SOURCES ...) creates govtrack_<name> with ALIAS govtrack::<name>:
# PUBLIC include/, PRIVATE src/, C++20, the shared warnings target.
function(govtrack_module name)
    cmake_parse_arguments(ARG "" "" "SOURCES" ${ARGN})
    add_library(govtrack_${name} STATIC ${ARG_SOURCES})
    add_library(govtrack::${name} ALIAS govtrack_${name})
    target_include_directories(govtrack_${name}
        PUBLIC ${CMAKE_CURRENT_SOURCE_DIR}/include
        PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/src)
    target_compile_features(govtrack_${name} PUBLIC cxx_std_20)
    target_link_libraries(govtrack_${name} PRIVATE govtrack_warnings)
endfunction()

# govtrack_embed_migrations(OUT_VAR DIALECT NAMESPACE): generates a .cpp in the current binary dir that
# embeds schema/<DIALECT>/*.sql (cmake/EmbedMigrations.cmake) and puts its path in OUT_VAR, to be listed
# among the module's sources. Rebuilt whenever a migration changes, is added or is removed.
function(govtrack_embed_migrations out_var dialect namespace)
    file(GLOB migrations CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/schema/${dialect}/*.sql)
    set(generated ${CMAKE_CURRENT_BINARY_DIR}/${dialect}_migrations.cpp)
    # The list of files, rewritten only when it changes: a migration removed (e.g. on switching branches)
    # changes no remaining file's time, but it does change this list, so the .cpp is made again.
    set(list_file ${CMAKE_CURRENT_BINARY_DIR}/${dialect}_migrations.list)
    string(JOIN "\n" names ${migrations})
    file(CONFIGURE OUTPUT ${list_file} CONTENT "${names}\n" @ONLY)
    add_custom_command(
        OUTPUT ${generated}
        COMMAND ${CMAKE_COMMAND} -DOUT=${generated} -DDIR=${PROJECT_SOURCE_DIR}/schema/${dialect}
                -DNAMESPACE=${namespace} -P ${PROJECT_SOURCE_DIR}/cmake/EmbedMigrations.cmake
        DEPENDS ${migrations} ${list_file} ${PROJECT_SOURCE_DIR}/cmake/EmbedMigrations.cmake
        COMMENT "Embedding schema/${dialect} migrations")
    set(${out_var} ${generated} PARENT_SCOPE)
endfunction()
