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

}  // namespace diachi
