# Finds every third-party dependency diachi uses, all from Debian 12 packages (see .ci/install-deps).
# Nothing is vendored and nothing is downloaded at build time.
#
# The code scheme (diachi::geocode) needs none of them; later layers do:
#   geography: GDAL, GEOS (C API), PROJ, libosmium      store: RocksDB
#   tiles: protozero                                    server: Boost (Beast/Asio), libqrencode
#   bindings: pybind11                                  tests/benches: GoogleTest, Google Benchmark

find_package(GDAL 3.6 CONFIG REQUIRED)
find_package(GEOS 3.11 CONFIG REQUIRED)          # we use GEOS::geos_c only
find_package(PROJ 9 CONFIG REQUIRED)
find_package(RocksDB 7 CONFIG REQUIRED)            # we link RocksDB::rocksdb-shared (the static one is not PIC)
find_package(Boost 1.74 REQUIRED)                # header-only parts: Beast, Asio
find_package(Threads REQUIRED)
find_package(Osmium 2.19 MODULE REQUIRED)        # cmake/FindOsmium.cmake
find_package(Protozero 1.7 MODULE REQUIRED)      # cmake/FindProtozero.cmake
find_package(Qrencode 4 MODULE REQUIRED)         # cmake/FindQrencode.cmake

# Debian's pybind11, pytest and numpy pair with Debian's Python; prefer it over other
# interpreters on PATH (the module and the pytest suites must run under the same one).
if(NOT DEFINED Python3_EXECUTABLE AND EXISTS /usr/bin/python3)
    set(Python3_EXECUTABLE /usr/bin/python3)
endif()
if(DIACHI_BUILD_PYTHON)
    find_package(Python3 3.11 REQUIRED COMPONENTS Interpreter Development.Module NumPy)
    set(PYBIND11_FINDPYTHON ON)
    find_package(pybind11 2.10 CONFIG REQUIRED)
endif()
if(DIACHI_BUILD_TESTS)
    find_package(GTest 1.12 CONFIG REQUIRED)
    if(NOT Python3_EXECUTABLE)
        find_package(Python3 3.11 REQUIRED COMPONENTS Interpreter)
    endif()
endif()
if(DIACHI_BUILD_BENCHES)
    find_package(benchmark 1.7 CONFIG REQUIRED)
endif()
