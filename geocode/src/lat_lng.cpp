#include <diachi/lat_lng.hpp>

#include <algorithm>
#include <cmath>

#include "olc_internal.hpp"

namespace diachi {
namespace {

constexpr std::int64_t max_lat_e7 = 900'000'000;
constexpr std::int64_t max_lng_e7 = 1'800'000'000;

/// round(value x 1e7), halves away from zero, exactly: floor(2v x 1e7) then halved upwards.
Result<std::int64_t> e7_from_decimal(std::string_view text, std::string_view what,
                                     std::int64_t limit) noexcept {
    const auto parts = detail::split_decimal(text, what);
    if (!parts) {
        return parts.error();
    }
    if (parts->integer_saturated > limit / 10'000'000) {
        return Error{ErrorCode::out_of_range, 0, 0, what};
    }
    bool inexact = false;
    const std::int64_t twice = parts->integer_saturated * 20'000'000 +
                               detail::scale_fraction(parts->fraction, 20'000'000, &inexact);
    const std::int64_t magnitude = (twice + 1) / 2;
    if (magnitude > limit) {
        return Error{ErrorCode::out_of_range, 0, 0, what};
    }
    return parts->negative ? -magnitude : magnitude;
}

}  // namespace

Result<LatLngE7> LatLngE7::from_e7(std::int64_t lat_e7, std::int64_t lng_e7) noexcept {
    if (lat_e7 < -max_lat_e7 || lat_e7 > max_lat_e7) {
        return Error{ErrorCode::out_of_range, 0, 0, "latitude: expected -90..90 degrees"};
    }
    if (lng_e7 < -max_lng_e7 || lng_e7 > max_lng_e7) {
        return Error{ErrorCode::out_of_range, 0, 0, "longitude: expected -180..180 degrees"};
    }
    return LatLngE7{static_cast<std::int32_t>(lat_e7), static_cast<std::int32_t>(lng_e7)};
}

Result<LatLngE7> LatLngE7::from_degrees(double lat_deg, double lng_deg) noexcept {
    if (!std::isfinite(lat_deg) || !std::isfinite(lng_deg)) {
        return Error{ErrorCode::not_finite, 0, 0, "expected finite latitude and longitude"};
    }
    if (std::fabs(lat_deg) > 90.0 || std::fabs(lng_deg) > 180.0) {
        return from_e7(lat_deg > 0 ? max_lat_e7 + 1 : -max_lat_e7 - 1,
                       std::fabs(lng_deg) > 180.0 ? max_lng_e7 + 1 : 0);
    }
    return from_e7(std::llround(lat_deg * 1e7), std::llround(lng_deg * 1e7));
}

Result<LatLngE7> LatLngE7::from_decimal(std::string_view lat_deg,
                                        std::string_view lng_deg) noexcept {
    const auto lat =
        e7_from_decimal(lat_deg, "latitude: expected [+-]digits[.digits] in -90..90", max_lat_e7);
    if (!lat) {
        return lat.error();
    }
    const auto lng = e7_from_decimal(
        lng_deg, "longitude: expected [+-]digits[.digits] in -180..180", max_lng_e7);
    if (!lng) {
        return lng.error();
    }
    return LatLngE7{static_cast<std::int32_t>(*lat), static_cast<std::int32_t>(*lng)};
}

olc::GridPoint LatLngE7::grid_point() const noexcept {
    // 2.5 latitude steps and 0.8192 = 512/625 longitude steps per 1e-7 degree; both offsets are
    // positive, so integer division floors. Latitude 90 is clipped into the last row (spec 2.1).
    const std::int64_t lat_steps = std::min<std::int64_t>(
        (std::int64_t{lat_e7} + max_lat_e7) * 5 / 2, olc::lat_steps_total - 1);
    std::int64_t lng_steps = (std::int64_t{lng_e7} + max_lng_e7) * 512 / 625;
    if (lng_steps >= olc::lng_steps_total) {
        lng_steps -= olc::lng_steps_total;
    }
    return {lat_steps, lng_steps};
}

namespace {

constexpr double earth_radius_m = 6'371'008.8;
constexpr double radians_per_degree = 3.14159265358979323846 / 180.0;

/// The haversine distance, given the cosine of the first latitude.
double haversine_m(double lat1_deg, double lng1_deg, double cos_lat1, double lat2_deg,
                   double lng2_deg) noexcept {
    const double half_dlat = std::sin((lat2_deg - lat1_deg) * radians_per_degree / 2);
    const double half_dlng = std::sin((lng2_deg - lng1_deg) * radians_per_degree / 2);
    const double a = half_dlat * half_dlat + cos_lat1 * std::cos(lat2_deg * radians_per_degree) *
                                                 half_dlng * half_dlng;
    return 2.0 * earth_radius_m * std::asin(std::min(1.0, std::sqrt(a)));
}

}  // namespace

double distance_m(double lat1_deg, double lng1_deg, double lat2_deg, double lng2_deg) noexcept {
    return haversine_m(lat1_deg, lng1_deg, std::cos(lat1_deg * radians_per_degree), lat2_deg,
                       lng2_deg);
}

double distance_m(LatLngE7 a, LatLngE7 b) noexcept {
    return distance_m(a.lat_deg(), a.lng_deg(), b.lat_deg(), b.lng_deg());
}

DistanceFrom::DistanceFrom(LatLngE7 origin) noexcept
    : m_lat_deg(origin.lat_deg()),
      m_lng_deg(origin.lng_deg()),
      m_cos_lat(std::cos(m_lat_deg * radians_per_degree)) {}

double DistanceFrom::operator()(LatLngE7 point) const noexcept {
    return haversine_m(m_lat_deg, m_lng_deg, m_cos_lat, point.lat_deg(), point.lng_deg());
}

}  // namespace diachi
