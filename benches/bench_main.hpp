#ifndef DIACHI_BENCHES_BENCH_MAIN_HPP
#define DIACHI_BENCHES_BENCH_MAIN_HPP

// main() for benches whose fixture holds an open RocksDB store. Closing a store during static
// destruction crashes (RocksDB's own statics may already be gone), so the fixture lives in a
// std::optional that main() empties after the benchmarks ran: the store closes, and temporary
// stores are removed.

#include <optional>

#include <benchmark/benchmark.h>

namespace diachi::bench {

/// The fixture of type T, default-constructed on first use.
template <typename T>
T& lazy_fixture(std::optional<T>& slot) {
    if (!slot) {
        slot.emplace();
    }
    return *slot;
}

/// The fixture of type T, made by @p make on first use.
template <typename T, typename Make>
T& lazy_fixture(std::optional<T>& slot, Make&& make) {
    if (!slot) {
        slot.emplace(make());
    }
    return *slot;
}

/// Runs the benchmarks the command line selects, then @p teardown.
template <typename Teardown>
int run_benchmarks(int argc, char** argv, Teardown&& teardown) {
    ::benchmark::Initialize(&argc, argv);
    if (::benchmark::ReportUnrecognizedArguments(argc, argv)) {
        return 1;
    }
    ::benchmark::RunSpecifiedBenchmarks();
    ::benchmark::Shutdown();
    teardown();
    return 0;
}

}  // namespace diachi::bench

#endif  // DIACHI_BENCHES_BENCH_MAIN_HPP
