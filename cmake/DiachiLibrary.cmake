# diachi_library(<name> SOURCES ... [PUBLIC deps...] [PRIVATE deps...])
# One of diachi's libraries, laid out as <dir>/include/diachi/... and <dir>/src/...: the target
# diachi_<name> with alias diachi::<name>, its public include directory, installation into the
# exported package, and (DIACHI_BUILD_HEADERS) every public header compiled on its own.
function(diachi_library name)
    cmake_parse_arguments(ARG "" "HEADERS" "SOURCES;PUBLIC;PRIVATE" ${ARGN})
    set(target diachi_${name})
    add_library(${target} ${ARG_SOURCES})
    add_library(diachi::${name} ALIAS ${target})
    set_target_properties(${target} PROPERTIES EXPORT_NAME ${name} OUTPUT_NAME ${target})
    target_include_directories(${target} PUBLIC
        $<BUILD_INTERFACE:${CMAKE_CURRENT_SOURCE_DIR}/include>
        $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>)
    target_compile_features(${target} PUBLIC cxx_std_20)
    target_link_libraries(${target} PUBLIC ${ARG_PUBLIC} PRIVATE ${ARG_PRIVATE}
        $<BUILD_INTERFACE:diachi_warnings>)
    install(TARGETS ${target} EXPORT diachiTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR})
    install(DIRECTORY include/diachi DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
    diachi_check_headers(${target} "${CMAKE_CURRENT_SOURCE_DIR}/include" "${ARG_HEADERS}")
endfunction()
