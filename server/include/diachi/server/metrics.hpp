#ifndef DIACHI_SERVER_METRICS_HPP
#define DIACHI_SERVER_METRICS_HPP

/// @file
/// Counters and latency histograms in the Prometheus text exposition format (version 0.0.4),
/// recorded without locks: requests by route and status class, request latency per route, tile
/// render time, and whatever gauges the caller appends when it writes them out.

#include <array>
#include <atomic>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace diachi::server {

/// A histogram with fixed upper bounds (seconds), cumulative as Prometheus wants it.
class Histogram {
public:
    /// Bounds from 100 us to 10 s.
    static constexpr std::array<double, 12> bounds = {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005,
                                                      0.01,   0.025,   0.05,   0.1,   1.0,    10.0};

    void observe(double seconds) noexcept;
    /// Appends the histogram's lines for @p metric with @p labels (e.g. route="tiles").
    void write(std::string_view metric, std::string_view labels, std::string* out) const;

private:
    std::array<std::atomic<std::uint64_t>, bounds.size() + 1> m_counts{};
    std::atomic<std::uint64_t> m_sum_ns{0};
};

class Metrics {
public:
    /// @p routes names the routes, indexed as record() is called.
    explicit Metrics(std::vector<std::string> routes);

    /// One request of route @p route answered with @p status after @p seconds.
    void record(std::size_t route, unsigned status, double seconds) noexcept;
    /// One tile drawn from the registry in @p seconds.
    void record_render(double seconds) noexcept { m_render.observe(seconds); }

    /// The counters and histograms as Prometheus text.
    [[nodiscard]] std::string text() const;

private:
    struct Route {
        std::array<std::atomic<std::uint64_t>, 5> by_class{};  // 1xx .. 5xx
        Histogram latency;
    };
    std::vector<std::string> m_names;
    std::vector<Route> m_routes;
    Histogram m_render;
};

}  // namespace diachi::server

#endif  // DIACHI_SERVER_METRICS_HPP
