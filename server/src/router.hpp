#ifndef DIACHI_SERVER_ROUTER_HPP
#define DIACHI_SERVER_ROUTER_HPP

// Routes: a method set and a path pattern whose segments are literals or parameters ("{}"),
// a parameter possibly followed by a literal suffix ("{}.mvt"). HEAD is answered by GET routes.

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "http.hpp"

namespace diachi::server::detail {

using Params = std::vector<std::string_view>;
using Handler = std::function<Response(const Request&, const Params&)>;

enum class Access { anyone, staff, admin };

struct Route {
    std::string name;  // for metrics, e.g. "tiles"
    std::vector<http::verb> methods;
    std::vector<std::string> pattern;
    Access access = Access::anyone;
    Handler handler;
};

class Router {
public:
    /// Adds a route; @p pattern like "/v1/codes/{}/qr.svg". Returns its index.
    std::size_t add(std::string name, std::vector<http::verb> methods, std::string_view pattern,
                    Access access, Handler handler);

    struct Match {
        const Route* route = nullptr;  // nullptr: no path matched
        std::size_t index = 0;
        Params params;
        bool method_allowed = false;
        std::string allow;  // the methods of the path, for 405's Allow
    };
    [[nodiscard]] Match match(http::verb method, std::string_view path) const;

    [[nodiscard]] std::vector<std::string> names() const;

    [[nodiscard]] const std::vector<Route>& routes() const noexcept { return m_routes; }

private:
    std::vector<Route> m_routes;
};

}  // namespace diachi::server::detail

#endif  // DIACHI_SERVER_ROUTER_HPP
