// Vector tiles on issue #5's data: DIACHI_BENCH_TILE_HOUSEHOLDS households (default 1M) in
// villages inside the Ninh Bình box (19.9-20.6 N, 105.5-106.2 E), over a 14 x 14 grid of
// generated communes. DIACHI_BENCH_TILE_LAYOUT chooses the villages:
//   villages  (default) 50-1200 households each, spread evenly over the box
//   dense     50-3000 households each, 40% of them crowded around 12 towns (about 1 km), so that
//             the densest z14 tile holds some 20,000 households, as in the data
// The store is built once under DIACHI_BENCH_DIR (default
// /tmp/diachi-bench-tiles-<layout>-<count>) and reused.
//   BM_DenseTileZ14     the z14 tile with the most households, every one (render, no gzip)
//   BM_RandomTiles      random z12-z16 tiles over the box: mean, and p50/p90/p99 counters
//   BM_PyramidZ0toZ14   the households pyramid z0-z14 to PMTiles, every household at z14
// Run: build/benches/bench_tiles --benchmark_repetitions=5 --benchmark_report_aggregates_only=true

#include <cstdlib>
#include <filesystem>
#include <optional>
#include <fstream>
#include <random>
#include <stdexcept>
#include <unordered_map>

#include <benchmark/benchmark.h>

#include <diachi/store/registry.hpp>
#include <diachi/tiles/gzip.hpp>
#include <diachi/tiles/pyramid.hpp>
#include <diachi/tiles/renderer.hpp>

#include "../tests/sample_zones.hpp"
#include "bench_main.hpp"
#include "percentiles.hpp"
#include "tile_bench_data.hpp"

namespace {

using diachi::tiles::LayerSet;
using diachi::tiles::TileId;

using diachi::bench::random_tiles;
constexpr double south = diachi::bench::box_south;
constexpr double west = diachi::bench::box_west;
constexpr double side = diachi::bench::box_side;

std::size_t household_count() {
    const char* env = std::getenv("DIACHI_BENCH_TILE_HOUSEHOLDS");
    return env != nullptr ? std::strtoull(env, nullptr, 10) : 1'000'000;
}

struct Fixture {
    std::unique_ptr<diachi::store::Registry> registry;
    std::unique_ptr<diachi::tiles::TileRenderer> renderer;
    TileId densest;  // the z14 tile with the most households
    std::size_t villages = 0;
};

// For benches/peer_postgis_tiles.sh: households.csv (id, code, unit, units, lat, lng: what the
// households layer carries) and tiles.csv (1: the densest z14 tile, then the random tiles).
void export_for_peer(const diachi::store::Registry& registry, TileId densest,
                     const std::filesystem::path& dir) {
    std::vector<diachi::store::HouseholdPoint> all;
    registry.within({south - 1, west - 1, south + side + 1, west + side + 1},
                    [&](const diachi::store::HouseholdPoint& p) {
                        all.push_back(p);
                        return true;
                    });
    std::unordered_map<std::uint64_t, std::uint32_t> units;
    for (const auto& p : all) {
        ++units[p.code.with_unit(1).key()];
    }
    std::ofstream households(dir / "households.csv");
    for (const auto& p : all) {
        households << p.id << ",\"" << p.code.display().view() << "\"," << p.code.unit() << ','
                   << units[p.code.with_unit(1).key()] << ',' << p.location.lat_e7 << ','
                   << p.location.lng_e7 << '\n';
    }
    std::ofstream tiles(dir / "tiles.csv");
    tiles << 1 << ',' << densest.z << ',' << densest.x << ',' << densest.y << '\n';
    int i = 2;
    for (const TileId& t : random_tiles()) {
        tiles << i++ << ',' << t.z << ',' << t.x << ',' << t.y << '\n';
    }
    if (!households || !tiles) {
        throw std::runtime_error("cannot write the peer's files under " + dir.string());
    }
}

std::optional<Fixture> the_fixture;

Fixture& fixture() {
    return diachi::bench::lazy_fixture(the_fixture, [] {
        Fixture fx;
        const std::size_t count = household_count();
        const char* layout_env = std::getenv("DIACHI_BENCH_TILE_LAYOUT");
        const std::string layout = layout_env != nullptr ? layout_env : "villages";
        if (layout != "villages" && layout != "dense") {
            throw std::invalid_argument("DIACHI_BENCH_TILE_LAYOUT: villages or dense, not " + layout);
        }
        const bool dense = layout == "dense";
        const char* dir_env = std::getenv("DIACHI_BENCH_DIR");
        const std::string dir =
            dir_env != nullptr ? dir_env
                               : "/tmp/diachi-bench-tiles-" + layout + "-" + std::to_string(count);
        const bool exists = std::filesystem::exists(dir + "/CURRENT");
        fx.registry = std::make_unique<diachi::store::Registry>(dir);
        std::mt19937_64 random(2025);
        std::uniform_real_distribution<double> unit(0.0, 1.0);
        std::normal_distribution<double> normal(0.0, 1.0);
        std::uniform_int_distribution<std::size_t> size(50, dense ? 3000 : 1200);
        std::vector<std::pair<double, double>> towns;
        for (int t = 0; dense && t < 12; ++t) {
            const double lat = south + 0.05 + unit(random) * (side - 0.1);
            const double lng = west + 0.05 + unit(random) * (side - 0.1);
            towns.emplace_back(lat, lng);
        }
        if (!exists) {
            fx.registry->import_zones(diachi::test::grid_zones(14, 14, south, west, side / 14));
        }
        std::vector<diachi::store::Registration> batch;
        std::vector<diachi::Result<diachi::store::Registered>> out;
        std::size_t written = 0;
        std::unordered_map<std::uint64_t, std::size_t> per_tile;  // z14 tile -> households
        while (written < count) {
            double lat = south + 0.02 + unit(random) * (side - 0.04);
            double lng = west + 0.02 + unit(random) * (side - 0.04);
            if (!towns.empty() && unit(random) < 0.4) {
                const auto& town = towns[fx.villages % towns.size()];
                const double d_lat = normal(random) * 0.009;  // about 1 km
                const double d_lng = normal(random) * 0.009;
                lat = town.first + d_lat;
                lng = town.second + d_lng;
            }
            const std::size_t n = std::min(count - written, size(random));
            // Households about sqrt(n) x 5 m around the centre, as the sample generator does.
            const double spread = std::sqrt(static_cast<double>(n)) * 5.0 / 111'195.0;
            for (std::size_t h = 0; h < n; ++h) {
                diachi::store::Registration r;
                r.location = diachi::LatLngE7::from_degrees(lat + normal(random) * spread,
                                                            lng + normal(random) * spread)
                                 .value();
                r.source = "bench";
                const TileId t = diachi::tiles::tile_at(14, r.location.lat_deg(), r.location.lng_deg());
                ++per_tile[(std::uint64_t{t.x} << 32) | t.y];
                batch.push_back(r);
            }
            written += n;
            ++fx.villages;
            if (!exists && (batch.size() >= 100'000 || written == count)) {
                fx.registry->register_households(batch, &out);
                batch.clear();
            }
            if (exists) {
                batch.clear();  // the store has them: only the densest village is wanted
            }
        }
        if (!exists) {
            fx.registry->compact();
        }
        std::size_t most = 0;
        for (const auto& [key, n] : per_tile) {
            if (n > most || (n == most && key < ((std::uint64_t{fx.densest.x} << 32) | fx.densest.y))) {
                most = n;
                fx.densest = TileId{14, static_cast<std::uint32_t>(key >> 32),
                                    static_cast<std::uint32_t>(key & 0xFFFFFFFF)};
            }
        }
        fx.renderer = std::make_unique<diachi::tiles::TileRenderer>(*fx.registry);
        if (const char* peer = std::getenv("DIACHI_BENCH_PEER_DIR"); peer != nullptr && *peer != '\0') {
            export_for_peer(*fx.registry, fx.densest, peer);
        }
        return fx;
    });
}

void BM_DenseTileZ14(benchmark::State& state) {
    Fixture& f = fixture();
    const TileId tile = f.densest;
    std::string out;
    diachi::tiles::RenderStats stats;
    for (auto _ : state) {
        stats = f.renderer->render(tile, LayerSet::parse("households"), &out);
        benchmark::DoNotOptimize(out.data());
    }
    state.counters["households"] = static_cast<double>(stats.features[0]);
    state.counters["bytes"] = static_cast<double>(out.size());
    state.counters["gzipped_bytes"] = static_cast<double>(diachi::tiles::gzip(out).size());
}
BENCHMARK(BM_DenseTileZ14)->Unit(benchmark::kMillisecond);

void random_tiles_with(benchmark::State& state, const diachi::tiles::TileRenderer& renderer) {
    diachi::bench::time_random_tiles(state, [&](TileId t, std::string* out) {
        renderer.render(t, LayerSet::parse("households"), out);
    });
}

void BM_RandomTiles(benchmark::State& state) { random_tiles_with(state, *fixture().renderer); }
BENCHMARK(BM_RandomTiles)->Unit(benchmark::kMicrosecond);

// The same tiles with every household from z12 (no clusters): the content ST_AsMVT makes of the
// same rows (benches/peer_postgis_tiles.sh).
void BM_RandomTilesEveryHousehold(benchmark::State& state) {
    diachi::tiles::RendererOptions options;
    options.households_detail_zoom = 12;
    const diachi::tiles::TileRenderer renderer(*fixture().registry, options);
    random_tiles_with(state, renderer);
}
BENCHMARK(BM_RandomTilesEveryHousehold)->Unit(benchmark::kMicrosecond);

void BM_PyramidZ0toZ14(benchmark::State& state) {
    Fixture& f = fixture();
    diachi::tiles::PyramidOptions options;
    options.max_zoom = 14;
    options.bounds = {south, west, south + side, west + side};
    options.layers = LayerSet::parse("households");
    const std::string path = "/tmp/diachi-bench-pyramid.pmtiles";
    diachi::tiles::PyramidSummary summary;
    for (auto _ : state) {
        summary = diachi::tiles::export_pyramid(*f.renderer, path, options);
    }
    state.counters["tiles"] = static_cast<double>(summary.tiles_written);
    state.counters["bytes"] = static_cast<double>(summary.archive.bytes);
    state.counters["largest_tile"] = static_cast<double>(summary.largest_tile_bytes);
    state.counters["over_budget"] = static_cast<double>(summary.tiles_over_budget);
    std::filesystem::remove(path);
}
BENCHMARK(BM_PyramidZ0toZ14)->Unit(benchmark::kSecond)->Iterations(1);

}  // namespace

int main(int argc, char** argv) {
    return diachi::bench::run_benchmarks(argc, argv, [] { the_fixture.reset(); });
}
