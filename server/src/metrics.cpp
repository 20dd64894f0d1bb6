#include <diachi/server/metrics.hpp>

#include <diachi/json.hpp>

namespace diachi::server {

void Histogram::observe(double seconds) noexcept {
    std::size_t i = 0;
    while (i < bounds.size() && seconds > bounds[i]) {
        ++i;
    }
    m_counts[i].fetch_add(1, std::memory_order_relaxed);
    m_sum_ns.fetch_add(static_cast<std::uint64_t>(seconds * 1e9), std::memory_order_relaxed);
}

void Histogram::write(std::string_view metric, std::string_view labels, std::string* out) const {
    const auto line = [&](std::string_view suffix, std::string_view extra, const std::string& value) {
        out->append(metric).append(suffix).push_back('{');
        out->append(labels);
        if (!extra.empty()) {
            if (!labels.empty()) {
                out->push_back(',');
            }
            out->append(extra);
        }
        out->append("} ").append(value).push_back('\n');
    };
    std::uint64_t total = 0;
    for (std::size_t i = 0; i < bounds.size(); ++i) {
        total += m_counts[i].load(std::memory_order_relaxed);
        line("_bucket", "le=\"" + number_text(bounds[i]) + "\"", std::to_string(total));
    }
    total += m_counts[bounds.size()].load(std::memory_order_relaxed);
    line("_bucket", "le=\"+Inf\"", std::to_string(total));
    line("_sum", "", number_text(static_cast<double>(m_sum_ns.load(std::memory_order_relaxed)) * 1e-9));
    line("_count", "", std::to_string(total));
}

Metrics::Metrics(std::vector<std::string> routes)
    : m_names(std::move(routes)), m_routes(m_names.size()) {}

void Metrics::record(std::size_t route, unsigned status, double seconds) noexcept {
    if (route >= m_routes.size()) {
        return;
    }
    const std::size_t cls = status >= 100 && status < 600 ? status / 100 - 1 : 4;
    m_routes[route].by_class[cls].fetch_add(1, std::memory_order_relaxed);
    m_routes[route].latency.observe(seconds);
}

std::string Metrics::text() const {
    std::string out;
    out.append("# HELP diachi_http_requests_total HTTP requests answered, by route and status class.\n"
               "# TYPE diachi_http_requests_total counter\n");
    for (std::size_t r = 0; r < m_routes.size(); ++r) {
        for (std::size_t c = 0; c < 5; ++c) {
            const auto n = m_routes[r].by_class[c].load(std::memory_order_relaxed);
            if (n != 0) {
                out.append("diachi_http_requests_total{route=\"").append(m_names[r]);
                out.append("\",status=\"").append(std::to_string(c + 1)).append("xx\"} ");
                out.append(std::to_string(n)).push_back('\n');
            }
        }
    }
    out.append("# HELP diachi_http_request_seconds Time from a request's arrival to its answer, by route.\n"
               "# TYPE diachi_http_request_seconds histogram\n");
    for (std::size_t r = 0; r < m_routes.size(); ++r) {
        m_routes[r].latency.write("diachi_http_request_seconds",
                                  "route=\"" + m_names[r] + "\"", &out);
    }
    out.append("# HELP diachi_tile_render_seconds Time to draw a tile from the registry.\n"
               "# TYPE diachi_tile_render_seconds histogram\n");
    m_render.write("diachi_tile_render_seconds", "", &out);
    return out;
}

}  // namespace diachi::server
