#ifndef DIACHI_LAT_LNG_HPP
#define DIACHI_LAT_LNG_HPP

/// @file
/// A WGS 84 location in fixed point (1e-7 degree, about 1.1 cm), the form the registry stores,
/// and great-circle distances. Build locations only through the checked factories.

#include <cstdint>
#include <string_view>

#include <diachi/error.hpp>
#include <diachi/olc.hpp>

namespace diachi {

/// A WGS 84 latitude and longitude in units of 1e-7 degree (latitude first).
struct LatLngE7 {
    std::int32_t lat_e7 = 0;  ///< -900'000'000 .. 900'000'000
    std::int32_t lng_e7 = 0;  ///< -1'800'000'000 .. 1'800'000'000

    /// The nearest fixed-point location to (@p lat_deg, @p lng_deg). Errors:
    /// ErrorCode::not_finite, out_of_range (latitude beyond +-90 or longitude beyond +-180).
    [[nodiscard]] static Result<LatLngE7> from_degrees(double lat_deg, double lng_deg) noexcept;

    /// Decimal text such as "21.0285114", rounded to 7 decimals (halves away from zero) without a
    /// binary rounding step. Errors: empty_input, malformed_number (with the position),
    /// out_of_range.
    [[nodiscard]] static Result<LatLngE7> from_decimal(std::string_view lat_deg,
                                                       std::string_view lng_deg) noexcept;

    /// From fixed-point values. Errors: ErrorCode::out_of_range.
    [[nodiscard]] static Result<LatLngE7> from_e7(std::int64_t lat_e7,
                                                  std::int64_t lng_e7) noexcept;

    [[nodiscard]] constexpr double lat_deg() const noexcept { return lat_e7 * 1e-7; }
    [[nodiscard]] constexpr double lng_deg() const noexcept { return lng_e7 * 1e-7; }

    /// The Open Location Code grid point of this location, computed exactly in integers.
    [[nodiscard]] olc::GridPoint grid_point() const noexcept;

    friend constexpr bool operator==(const LatLngE7&, const LatLngE7&) = default;
};

/// Great-circle (haversine) distance in metres on the mean Earth sphere (6,371,008.8 m) between
/// two points given in degrees, latitude first.
[[nodiscard]] double distance_m(double lat1_deg, double lng1_deg, double lat2_deg,
                                double lng2_deg) noexcept;

/// distance_m() between two fixed-point locations.
[[nodiscard]] double distance_m(LatLngE7 a, LatLngE7 b) noexcept;

/// distance_m() from one origin to many points, with the origin's cosine computed once:
/// the same results, bit for bit, at about half the trigonometry per point.
class DistanceFrom {
public:
    explicit DistanceFrom(LatLngE7 origin) noexcept;
    [[nodiscard]] double operator()(LatLngE7 point) const noexcept;

private:
    double m_lat_deg;
    double m_lng_deg;
    double m_cos_lat;
};

}  // namespace diachi

#endif  // DIACHI_LAT_LNG_HPP
