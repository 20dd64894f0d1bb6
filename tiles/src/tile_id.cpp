#include <diachi/tiles/tile_id.hpp>

#include <algorithm>
#include <cmath>
#include <numbers>

namespace diachi::tiles {

std::string to_string(TileId tile) {
    return std::to_string(tile.z) + "/" + std::to_string(tile.x) + "/" + std::to_string(tile.y);
}

geography::Bounds bounds_deg(TileId tile) noexcept {
    const double n = std::ldexp(1.0, static_cast<int>(tile.z));
    geography::Bounds b;
    b.west_deg = lng_of_world_x(tile.x / n);
    b.east_deg = lng_of_world_x((tile.x + 1) / n);
    b.north_deg = lat_of_world_y(tile.y / n);
    b.south_deg = lat_of_world_y((tile.y + 1) / n);
    return b;
}

TileId tile_at(std::uint32_t z, double lat_deg, double lng_deg) noexcept {
    const double n = std::ldexp(1.0, static_cast<int>(z));
    const auto index = [n](double w) {
        return static_cast<std::uint32_t>(std::clamp(std::floor(w * n), 0.0, n - 1.0));
    };
    return TileId{z, index(world_x(lng_deg)), index(world_y(lat_deg))};
}

namespace {

// One step of the Hilbert curve's rotation (the classic xy2d/d2xy formulation).
void rotate(std::uint64_t n, std::uint64_t* x, std::uint64_t* y, std::uint64_t rx,
            std::uint64_t ry) noexcept {
    if (ry == 0) {
        if (rx == 1) {
            *x = n - 1 - *x;
            *y = n - 1 - *y;
        }
        std::swap(*x, *y);
    }
}

// Tiles of every zoom below z: (4^z - 1) / 3.
constexpr std::uint64_t tiles_below(std::uint32_t z) noexcept {
    return ((std::uint64_t{1} << (2 * z)) - 1) / 3;
}

}  // namespace

std::uint64_t pmtiles_id(TileId tile) noexcept {
    const std::uint64_t n = std::uint64_t{1} << tile.z;
    std::uint64_t x = tile.x;
    std::uint64_t y = tile.y;
    std::uint64_t d = 0;
    for (std::uint64_t s = n / 2; s > 0; s /= 2) {
        const std::uint64_t rx = (x & s) != 0 ? 1 : 0;
        const std::uint64_t ry = (y & s) != 0 ? 1 : 0;
        d += s * s * ((3 * rx) ^ ry);
        rotate(n, &x, &y, rx, ry);
    }
    return tiles_below(tile.z) + d;
}

std::optional<TileId> tile_of_pmtiles_id(std::uint64_t id) noexcept {
    for (std::uint32_t z = 0; z <= max_zoom; ++z) {
        if (id >= tiles_below(z + 1)) {
            continue;
        }
        const std::uint64_t n = std::uint64_t{1} << z;
        std::uint64_t t = id - tiles_below(z);
        std::uint64_t x = 0;
        std::uint64_t y = 0;
        for (std::uint64_t s = 1; s < n; s *= 2) {
            const std::uint64_t rx = 1 & (t / 2);
            const std::uint64_t ry = 1 & (t ^ rx);
            rotate(s, &x, &y, rx, ry);
            x += s * rx;
            y += s * ry;
            t /= 4;
        }
        return TileId{z, static_cast<std::uint32_t>(x), static_cast<std::uint32_t>(y)};
    }
    return std::nullopt;
}

}  // namespace diachi::tiles
