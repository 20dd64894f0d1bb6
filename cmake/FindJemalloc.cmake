# Finds jemalloc (Debian's libjemalloc-dev) through pkg-config. Defines Jemalloc::jemalloc.
# diachi's executables link it as their allocator (cmake/DiachiAllocator.cmake).
find_package(PkgConfig QUIET)
if(PkgConfig_FOUND)
    pkg_check_modules(PC_Jemalloc QUIET jemalloc)
endif()
find_path(Jemalloc_INCLUDE_DIR jemalloc/jemalloc.h HINTS ${PC_Jemalloc_INCLUDE_DIRS})
find_library(Jemalloc_LIBRARY jemalloc HINTS ${PC_Jemalloc_LIBRARY_DIRS})
set(Jemalloc_VERSION "${PC_Jemalloc_VERSION}")
include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(Jemalloc
    REQUIRED_VARS Jemalloc_LIBRARY Jemalloc_INCLUDE_DIR VERSION_VAR Jemalloc_VERSION)
if(Jemalloc_FOUND AND NOT TARGET Jemalloc::jemalloc)
    add_library(Jemalloc::jemalloc UNKNOWN IMPORTED)
    set_target_properties(Jemalloc::jemalloc PROPERTIES
        IMPORTED_LOCATION "${Jemalloc_LIBRARY}"
        INTERFACE_INCLUDE_DIRECTORIES "${Jemalloc_INCLUDE_DIR}")
endif()
mark_as_advanced(Jemalloc_INCLUDE_DIR Jemalloc_LIBRARY)
