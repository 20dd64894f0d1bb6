# Sanitizers and fuzzing instrumentation for every target of the build (tests included).
#   -DDIACHI_SANITIZE="address;undefined"   AddressSanitizer + UndefinedBehaviorSanitizer
#   -DDIACHI_BUILD_FUZZERS=ON                libFuzzer targets (tests/fuzz), clang only; the
#                                            code gets libFuzzer's coverage instrumentation
# .ci/sanitize configures such a build (clang) in build-sanitize/.
set(DIACHI_SANITIZE "" CACHE STRING "Sanitizers for every target, e.g. \"address;undefined\"")
option(DIACHI_BUILD_FUZZERS "Build the libFuzzer targets (clang)" OFF)

set(DIACHI_SANITIZE_FLAGS "")
if(DIACHI_SANITIZE)
    list(JOIN DIACHI_SANITIZE "," _sanitizers)
    set(DIACHI_SANITIZE_FLAGS -fsanitize=${_sanitizers} -fno-omit-frame-pointer)
    if("undefined" IN_LIST DIACHI_SANITIZE)
        # Undefined behaviour is an error: the test fails, it does not print and go on.
        list(APPEND DIACHI_SANITIZE_FLAGS -fno-sanitize-recover=undefined)
    endif()
    add_compile_options(${DIACHI_SANITIZE_FLAGS})
    add_link_options(-fsanitize=${_sanitizers})
endif()

if(DIACHI_BUILD_FUZZERS)
    if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
        message(FATAL_ERROR "DIACHI_BUILD_FUZZERS needs clang (libFuzzer): configure with -DCMAKE_CXX_COMPILER=clang++")
    endif()
    add_compile_options(-fsanitize=fuzzer-no-link)
endif()

# The sanitizer runtime a process that is not built with it (python3) must preload to load a
# sanitized module: empty when none is needed.
set(DIACHI_SANITIZER_PRELOAD "")
if("address" IN_LIST DIACHI_SANITIZE)
    if(CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
        set(_runtime libclang_rt.asan-${CMAKE_SYSTEM_PROCESSOR}.so)
    else()
        set(_runtime libasan.so)
    endif()
    execute_process(COMMAND ${CMAKE_CXX_COMPILER} -print-file-name=${_runtime}
        OUTPUT_VARIABLE DIACHI_SANITIZER_PRELOAD OUTPUT_STRIP_TRAILING_WHITESPACE)
endif()
