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

}  // namespace diachi

#endif  // DIACHI_WEB_MERCATOR_HPP
