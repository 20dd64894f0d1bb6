# Finds libosmium (header-only; Debian's libosmium2-dev ships no CMake package) and the compression
# and XML libraries its readers need. Defines Osmium::osmium.
find_path(Osmium_INCLUDE_DIR osmium/version.hpp)
if(Osmium_INCLUDE_DIR)
    file(STRINGS "${Osmium_INCLUDE_DIR}/osmium/version.hpp" _osmium_version_line
        REGEX "^#define LIBOSMIUM_VERSION_STRING")
    string(REGEX MATCH "[0-9]+\\.[0-9]+\\.[0-9]+" Osmium_VERSION "${_osmium_version_line}")
endif()
find_package(ZLIB QUIET)
find_package(BZip2 QUIET)
find_package(EXPAT QUIET)
find_library(Osmium_LZ4_LIBRARY lz4)
include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(Osmium
    REQUIRED_VARS Osmium_INCLUDE_DIR ZLIB_FOUND BZIP2_FOUND EXPAT_FOUND Osmium_LZ4_LIBRARY
    VERSION_VAR Osmium_VERSION)
if(Osmium_FOUND AND NOT TARGET Osmium::osmium)
    add_library(Osmium::osmium INTERFACE IMPORTED)
    target_include_directories(Osmium::osmium INTERFACE "${Osmium_INCLUDE_DIR}")
    target_compile_definitions(Osmium::osmium INTERFACE OSMIUM_WITH_LZ4)
    target_link_libraries(Osmium::osmium INTERFACE
        ZLIB::ZLIB BZip2::BZip2 EXPAT::EXPAT "${Osmium_LZ4_LIBRARY}" Threads::Threads)
endif()
mark_as_advanced(Osmium_INCLUDE_DIR Osmium_LZ4_LIBRARY)
