# Warning flags for diachi's own targets (not applied to consumers of the installed package).
add_library(diachi_warnings INTERFACE)
target_compile_options(diachi_warnings INTERFACE
    $<$<CXX_COMPILER_ID:GNU,Clang>:-Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wno-sign-conversion>)

# diachi_check_headers(<target> <include dir> <subdir>): with DIACHI_BUILD_HEADERS, compiles
# every public header in <include dir>/<subdir> on its own (libosmium's BUILD_HEADERS), so each
# is self-contained.
function(diachi_check_headers target include_dir subdir)
    if(NOT DIACHI_BUILD_HEADERS)
        return()
    endif()
    file(GLOB _headers RELATIVE "${include_dir}" CONFIGURE_DEPENDS "${include_dir}/${subdir}/*.hpp")
    set(_sources)
    foreach(_header IN LISTS _headers)
        string(MAKE_C_IDENTIFIER "${_header}" _id)
        set(_source "${CMAKE_CURRENT_BINARY_DIR}/header_check/${_id}.cpp")
        file(CONFIGURE OUTPUT "${_source}" CONTENT "#include <${_header}>\n")
        list(APPEND _sources "${_source}")
    endforeach()
    add_library(${target}_header_check OBJECT ${_sources})
    target_link_libraries(${target}_header_check PRIVATE ${target} diachi_warnings)
endfunction()
