#ifndef DIACHI_BENCHES_BENCH_DATA_HPP
#define DIACHI_BENCHES_BENCH_DATA_HPP

// Where the benchmarks find ../shared/data: $DIACHI_DATA_DIR, else the path CMake configured.

#include <cstdlib>
#include <filesystem>

namespace diachi::bench {

inline std::filesystem::path data_dir() {
    if (const char* env = std::getenv("DIACHI_DATA_DIR"); env != nullptr && *env != '\0') {
        return env;
    }
    return DIACHI_BENCH_DATA_DIR;
}

}  // namespace diachi::bench

#endif  // DIACHI_BENCHES_BENCH_DATA_HPP
