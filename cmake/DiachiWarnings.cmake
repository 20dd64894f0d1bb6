# Warning flags for diachi's own targets (not applied to consumers of the installed package).
add_library(diachi_warnings INTERFACE)
target_compile_options(diachi_warnings INTERFACE
    $<$<CXX_COMPILER_ID:GNU,Clang>:-Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wno-sign-conversion>)
