#ifndef DIACHI_BENCHES_TILE_BENCH_DATA_HPP
#define DIACHI_BENCHES_TILE_BENCH_DATA_HPP

// What the tile benches share: issue #5's province-sized area (the Ninh Bình box) and the same
// 1000 random z12-z16 tiles over it, timed per tile.

#include <random>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include <diachi/tiles/tile_id.hpp>

#include "percentiles.hpp"

namespace diachi::bench {

/// The Ninh Bình box: 19.9-20.6 N, 105.5-106.2 E.
inline constexpr double box_south = 19.9;
inline constexpr double box_west = 105.5;
inline constexpr double box_side = 0.7;

/// 1000 random z12-z16 tiles over the box: the same every run (and for the PostGIS peer).
inline const std::vector<tiles::TileId>& random_tiles() {
    static const std::vector<tiles::TileId> tiles = [] {
        std::mt19937_64 random(11);
        std::uniform_real_distribution<double> unit(0.0, 1.0);
        std::vector<tiles::TileId> out;
        for (int i = 0; i < 1000; ++i) {
            const auto z = static_cast<std::uint32_t>(12 + i % 5);
            const double lat = box_south + unit(random) * box_side;
            const double lng = box_west + unit(random) * box_side;
            out.push_back(tiles::tile_at(z, lat, lng));
        }
        return out;
    }();
    return tiles;
}

/// Times @p render (TileId, std::string* out) over random_tiles(): the mean in the timed loop,
/// p50 / p90 / p99 as counters.
template <typename Render>
void time_random_tiles(benchmark::State& state, Render&& render) {
    const auto& tiles = random_tiles();
    std::string out;
    std::size_t i = 0;
    for (auto _ : state) {
        render(tiles[i++ % tiles.size()], &out);
        benchmark::DoNotOptimize(out.data());
    }
    report_percentiles(
        state, tiles,
        [&](const tiles::TileId& t) {
            render(t, &out);
            return out.size();
        },
        1000, i);
}

}  // namespace diachi::bench

#endif  // DIACHI_BENCHES_TILE_BENCH_DATA_HPP
