# Finds protozero (header-only protobuf writer/reader; Debian's libprotozero-dev ships no CMake
# package). Defines Protozero::protozero.
find_path(Protozero_INCLUDE_DIR protozero/version.hpp)
if(Protozero_INCLUDE_DIR)
    file(STRINGS "${Protozero_INCLUDE_DIR}/protozero/version.hpp" _protozero_version_line
        REGEX "^#define PROTOZERO_VERSION_STRING")
    string(REGEX MATCH "[0-9]+\\.[0-9]+\\.[0-9]+" Protozero_VERSION "${_protozero_version_line}")
endif()
include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(Protozero
    REQUIRED_VARS Protozero_INCLUDE_DIR VERSION_VAR Protozero_VERSION)
if(Protozero_FOUND AND NOT TARGET Protozero::protozero)
    add_library(Protozero::protozero INTERFACE IMPORTED)
    target_include_directories(Protozero::protozero INTERFACE "${Protozero_INCLUDE_DIR}")
endif()
mark_as_advanced(Protozero_INCLUDE_DIR)
