# Finds libqrencode (QR codes for door plates) through pkg-config. Defines Qrencode::qrencode.
find_package(PkgConfig QUIET)
if(PkgConfig_FOUND)
    pkg_check_modules(PC_Qrencode QUIET libqrencode)
endif()
find_path(Qrencode_INCLUDE_DIR qrencode.h HINTS ${PC_Qrencode_INCLUDE_DIRS})
find_library(Qrencode_LIBRARY qrencode HINTS ${PC_Qrencode_LIBRARY_DIRS})
set(Qrencode_VERSION "${PC_Qrencode_VERSION}")
include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(Qrencode
    REQUIRED_VARS Qrencode_LIBRARY Qrencode_INCLUDE_DIR VERSION_VAR Qrencode_VERSION)
if(Qrencode_FOUND AND NOT TARGET Qrencode::qrencode)
    add_library(Qrencode::qrencode UNKNOWN IMPORTED)
    set_target_properties(Qrencode::qrencode PROPERTIES
        IMPORTED_LOCATION "${Qrencode_LIBRARY}"
        INTERFACE_INCLUDE_DIRECTORIES "${Qrencode_INCLUDE_DIR}")
endif()
mark_as_advanced(Qrencode_INCLUDE_DIR Qrencode_LIBRARY)
