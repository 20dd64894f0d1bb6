#ifndef DIACHI_WEB_MERCATOR_HPP
#define DIACHI_WEB_MERCATOR_HPP

/// @file
/// The Web Mercator projection (EPSG:3857) of WGS 84 degrees onto the unit square of the world:
/// x from 0 at 180 W to 1 at 180 E, y from 0 at max_latitude_deg N to 1 at its south. Map tiles
/// cut this square into 2^z x 2^z tiles; the registry's density index into 2^level cells a side.

namespace diachi {

/// Web Mercator cuts the world at this latitude (degrees) so that it is square.
inline constexpr double max_latitude_deg = 85.05112877980659;

/// The world's x (0 at 180 W, 1 at 180 E) of a longitude in degrees.
[[nodiscard]] double world_x(double lng_deg) noexcept;
/// The world's y (0 at max_latitude_deg N, 1 at its south) of a latitude in degrees, clamped.
[[nodiscard]] double world_y(double lat_deg) noexcept;
/// The inverse of world_x(): degrees of longitude.
[[nodiscard]] double lng_of_world_x(double x) noexcept;
/// The inverse of world_y(): degrees of latitude.
[[nodiscard]] double lat_of_world_y(double y) noexcept;

/// world_y() near a reference latitude by its Taylor series in the latitude (four terms): a
/// chain of multiply-adds instead of a sine and a logarithm, for projecting many points of one
/// small area (a map tile). Within 0.05 degree of a reference at most 60 degrees from the
/// equator it is within 1e-15 of world_y() (a test checks it), a fiftieth of a unit of a z22
/// tile of extent 4096; farther it is not to be used. A z12 tile and its buffer lie within
/// 0.045 degree of its centre.
class WorldYNear {
public:
    /// The latitudes it serves lie within this many degrees of the reference.
    static constexpr double max_distance_deg = 0.05;
    /// The references it serves lie within this many degrees of the equator.
    static constexpr double max_reference_deg = 60.0;

    explicit WorldYNear(double lat0_deg) noexcept;
    [[nodiscard]] double operator()(double lat_deg) const noexcept {
        const double d = lat_deg - m_lat0;
        return m_y0 - d * (m_c[0] + d * (m_c[1] + d * (m_c[2] + d * m_c[3])));
    }

private:
    double m_lat0;
    double m_y0;
    double m_c[4];  // the series' coefficients, per degree
};

}  // namespace diachi

#endif  // DIACHI_WEB_MERCATOR_HPP
