#ifndef DIACHI_FUZZ_SUPPORT_HPP
#define DIACHI_FUZZ_SUPPORT_HPP

// What every fuzz target shares: a check that stops the run (libFuzzer keeps the input).

#include <cstdlib>

namespace diachi::fuzz {

/// Aborts when @p condition is false: libFuzzer reports the input as a crash.
inline void require(bool condition) {
    if (!condition) {
        std::abort();
    }
}

}  // namespace diachi::fuzz

#endif  // DIACHI_FUZZ_SUPPORT_HPP
