#include <diachi/web_mercator.hpp>

#include <algorithm>
#include <cmath>
#include <numbers>

namespace diachi {

double world_x(double lng_deg) noexcept { return (lng_deg + 180.0) / 360.0; }

double world_y(double lat_deg) noexcept {
    const double lat = std::clamp(lat_deg, -max_latitude_deg, max_latitude_deg);
    const double s = std::sin(lat * std::numbers::pi / 180.0);
    return 0.5 - std::log((1.0 + s) / (1.0 - s)) / (4.0 * std::numbers::pi);
}

double lng_of_world_x(double x) noexcept { return x * 360.0 - 180.0; }

double lat_of_world_y(double y) noexcept {
    return std::atan(std::sinh(std::numbers::pi * (1.0 - 2.0 * y))) * 180.0 / std::numbers::pi;
}

WorldYNear::WorldYNear(double lat0_deg) noexcept
    : m_lat0(lat0_deg), m_y0(world_y(lat0_deg)) {
    // world_y = 0.5 - f(phi) / (2 pi), f the inverse Gudermannian, whose derivatives are, with
    // s = sec phi and t = tan phi: s, s t, s (t^2 + s^2), s t (t^2 + 5 s^2).
    const double phi = lat0_deg * std::numbers::pi / 180.0;
    const double s = 1.0 / std::cos(phi);
    const double t = std::tan(phi);
    const double derivatives[4] = {s, s * t, s * (t * t + s * s), s * t * (t * t + 5.0 * s * s)};
    const double per_degree = std::numbers::pi / 180.0;
    double factor = 1.0 / (2.0 * std::numbers::pi);  // d^k / k!, per degree^k, over 2 pi
    for (int k = 0; k < 4; ++k) {
        factor *= per_degree / (k + 1);
        m_c[k] = derivatives[k] * factor;
    }
}

}  // namespace diachi
