#ifndef DIACHI_BENCHES_PERCENTILES_HPP
#define DIACHI_BENCHES_PERCENTILES_HPP

// Per-operation latency percentiles beside Google Benchmark's mean: after the timed loop, time
// @p samples single operations with steady_clock, subtract the clock's own cost (measured on an
// empty operation), and report p50 / p99 in nanoseconds as counters. The samples start at
// input @p first, so a caller can begin where its timed loop stopped: inputs the loop never
// touched, not ones it has just brought into a cache.

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <vector>

#include <benchmark/benchmark.h>

namespace diachi::bench {

template <typename Input, typename F>
void report_percentiles(benchmark::State& state, const std::vector<Input>& inputs, F&& op,
                        std::size_t samples = 200'000, std::size_t first = 0) {
    using clock = std::chrono::steady_clock;
    const auto time_each = [&](auto&& f) {
        std::vector<double> ns;
        ns.reserve(samples);
        for (std::size_t i = 0; i < samples; ++i) {
            const auto& input = inputs[(first + i) % inputs.size()];
            const auto start = clock::now();
            benchmark::DoNotOptimize(f(input));
            const auto stop = clock::now();
            ns.push_back(std::chrono::duration<double, std::nano>(stop - start).count());
        }
        std::sort(ns.begin(), ns.end());
        return ns;
    };
    const auto empty = time_each([](const Input& input) { return &input; });
    const auto timed = time_each(op);
    const double overhead = empty[empty.size() / 2];
    const auto at = [&](double q) {
        return std::max(
            0.0,
            timed[static_cast<std::size_t>(q * static_cast<double>(timed.size() - 1))] - overhead);
    };
    state.counters["p50_ns"] = at(0.50);
    state.counters["p90_ns"] = at(0.90);
    state.counters["p99_ns"] = at(0.99);
}

}  // namespace diachi::bench

#endif  // DIACHI_BENCHES_PERCENTILES_HPP
