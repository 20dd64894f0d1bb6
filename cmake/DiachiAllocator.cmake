# The allocator of diachi's executables (the CLI and server, the benches): jemalloc.
#
# A national bulk load allocates and frees hundreds of megabytes per batch on three threads
# while RocksDB keeps long-lived blocks between them. glibc's malloc fragments under that:
# its consolidation and free-list walks grew through a 27M load until they were about a tenth
# of its CPU, and the load took 178 to 187 s, against 143 s under jemalloc (docs/registry.md).
#
# diachi_allocator is an interface target that executables link; the libraries leave the
# choice to the program that links them (a Python process keeps its own allocator; preload
# libjemalloc.so.2 there for large loads). Off under the sanitizers, which replace malloc.
option(DIACHI_WITH_JEMALLOC "Link diachi's executables with jemalloc" ON)

add_library(diachi_allocator INTERFACE)
if(DIACHI_WITH_JEMALLOC AND NOT DIACHI_SANITIZE)
    find_package(PkgConfig REQUIRED)
    pkg_check_modules(Jemalloc REQUIRED IMPORTED_TARGET jemalloc>=5)   # libjemalloc-dev
    target_link_libraries(diachi_allocator INTERFACE PkgConfig::Jemalloc)
    target_compile_definitions(diachi_allocator INTERFACE DIACHI_WITH_JEMALLOC=1)
endif()
