#include "router.hpp"

#include <algorithm>

namespace diachi::server::detail {

std::size_t Router::add(std::string name, std::vector<http::verb> methods, std::string_view pattern,
                        Access access, Handler handler) {
    Route route{std::move(name), std::move(methods), {}, access, std::move(handler)};
    for (const auto segment : split_path(pattern)) {
        route.pattern.emplace_back(segment);
    }
    m_routes.push_back(std::move(route));
    return m_routes.size() - 1;
}

Router::Match Router::match(http::verb method, std::string_view path) const {
    const auto segments = split_path(path);
    const http::verb wanted = method == http::verb::head ? http::verb::get : method;
    Match found;
    for (std::size_t i = 0; i < m_routes.size(); ++i) {
        const Route& route = m_routes[i];
        if (route.pattern.size() != segments.size()) {
            continue;
        }
        Params params;
        bool ok = true;
        for (std::size_t s = 0; s < segments.size() && ok; ++s) {
            const std::string& p = route.pattern[s];
            if (p.starts_with("{}")) {
                const std::string_view suffix = std::string_view(p).substr(2);
                ok = segments[s].size() > suffix.size() && segments[s].ends_with(suffix);
                if (ok) {
                    params.push_back(segments[s].substr(0, segments[s].size() - suffix.size()));
                }
            } else {
                ok = segments[s] == p;
            }
        }
        if (!ok) {
            continue;
        }
        for (const http::verb v : route.methods) {
            if (!found.allow.empty()) {
                found.allow += ", ";
            }
            found.allow += std::string(http::to_string(v));
            if (v == http::verb::get) {
                found.allow += ", HEAD";
            }
        }
        if (std::find(route.methods.begin(), route.methods.end(), wanted) != route.methods.end() &&
            !found.method_allowed) {
            found.route = &route;
            found.index = i;
            found.params = std::move(params);
            found.method_allowed = true;
        } else if (found.route == nullptr) {
            found.route = &route;  // the path exists; the method may not
            found.index = i;
        }
    }
    return found;
}

std::vector<std::string> Router::names() const {
    std::vector<std::string> out;
    for (const auto& r : m_routes) {
        out.push_back(r.name);
    }
    return out;
}

}  // namespace diachi::server::detail
