#ifndef DIACHI_TILES_TILE_ID_HPP
#define DIACHI_TILES_TILE_ID_HPP

/// @file
/// Web Mercator tile addressing (the XYZ scheme: z 0..22, x from the west, y from the north), the
/// projection of WGS 84 degrees onto the unit square of the world, and the PMTiles v3 tile id
/// (the tile's place on a Hilbert curve, counted over every lower zoom first).

#include <cstdint>
#include <optional>
#include <string>

#include <diachi/geography/zone_index.hpp>
#include <diachi/web_mercator.hpp>

namespace diachi::tiles {

/// The highest zoom diachi renders (tiles of about 10 m at the equator).
inline constexpr std::uint32_t max_zoom = 22;

// The projection onto the world's unit square (diachi/web_mercator.hpp), named here too.
using diachi::lat_of_world_y;
using diachi::lng_of_world_x;
using diachi::max_latitude_deg;
using diachi::world_x;
using diachi::world_y;

/// A tile: zoom, column from the west, row from the north.
struct TileId {
    std::uint32_t z = 0;
    std::uint32_t x = 0;
    std::uint32_t y = 0;

    friend bool operator==(const TileId&, const TileId&) = default;
};

/// Whether z <= max_zoom and x, y < 2^z.
[[nodiscard]] constexpr bool is_valid(TileId tile) noexcept {
    return tile.z <= max_zoom && tile.x < (1U << tile.z) && tile.y < (1U << tile.z);
}

/// "z/x/y".
[[nodiscard]] std::string to_string(TileId tile);

/// The tile's box in degrees.
[[nodiscard]] geography::Bounds bounds_deg(TileId tile) noexcept;

/// The tile at zoom @p z holding the point (degrees); points on the world's edge go to the last
/// row or column.
[[nodiscard]] TileId tile_at(std::uint32_t z, double lat_deg, double lng_deg) noexcept;

/// The PMTiles v3 tile id: 0 for 0/0/0, then every tile of zoom 1 along a Hilbert curve, and so
/// on (PMTiles v3 specification, section 4.2 "Tile IDs"). Precondition: is_valid(tile).
[[nodiscard]] std::uint64_t pmtiles_id(TileId tile) noexcept;

/// The inverse of pmtiles_id(); nullopt for ids above zoom max_zoom.
[[nodiscard]] std::optional<TileId> tile_of_pmtiles_id(std::uint64_t id) noexcept;

}  // namespace diachi::tiles

#endif  // DIACHI_TILES_TILE_ID_HPP
