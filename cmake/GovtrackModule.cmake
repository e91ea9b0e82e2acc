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
