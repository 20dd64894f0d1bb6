// Vector tiles on issue #5's data: DIACHI_BENCH_TILE_HOUSEHOLDS households (default 1M) in
// villages of 50-1200 households inside the Ninh Bình box (19.9-20.6 N, 105.5-106.2 E), over a
// 14 x 14 grid of generated communes. The store is built once under DIACHI_BENCH_DIR (default
// /tmp/diachi-bench-tiles-<count>) and reused.
//   BM_DenseTileZ14     the z14 tile of the densest village, every household (render, no gzip)
//   BM_RandomTiles      random z12-z16 tiles over the box: mean, and p50/p90/p99 counters
//   BM_PyramidZ0toZ14   the households pyramid z0-z14 to PMTiles, every household at z14
// Run: build/benches/bench_tiles --benchmark_repetitions=5 --benchmark_report_aggregates_only=true

#include <cstdlib>
#include <filesystem>
#include <random>

#include <benchmark/benchmark.h>

#include <diachi/store/registry.hpp>
#include <diachi/tiles/gzip.hpp>
#include <diachi/tiles/pyramid.hpp>
#include <diachi/tiles/renderer.hpp>

#include "../tests/sample_zones.hpp"
#include "percentiles.hpp"

namespace {

using diachi::tiles::LayerSet;
using diachi::tiles::TileId;

constexpr double south = 19.9;
constexpr double west = 105.5;
constexpr double side = 0.7;

std::size_t household_count() {
    const char* env = std::getenv("DIACHI_BENCH_TILE_HOUSEHOLDS");
    return env != nullptr ? std::strtoull(env, nullptr, 10) : 1'000'000;
}

struct Fixture {
    std::unique_ptr<diachi::store::Registry> registry;
    std::unique_ptr<diachi::tiles::TileRenderer> renderer;
    diachi::LatLngE7 densest;
    std::size_t villages = 0;
};

Fixture& fixture() {
    static Fixture f = [] {
        Fixture fx;
        const std::size_t count = household_count();
        const char* dir_env = std::getenv("DIACHI_BENCH_DIR");
        const std::string dir = dir_env != nullptr
                                    ? dir_env
                                    : "/tmp/diachi-bench-tiles-" + std::to_string(count);
        const bool exists = std::filesystem::exists(dir + "/CURRENT");
        fx.registry = std::make_unique<diachi::store::Registry>(dir);
        std::mt19937_64 random(2025);
        std::uniform_real_distribution<double> unit(0.0, 1.0);
        std::normal_distribution<double> normal(0.0, 1.0);
        std::uniform_int_distribution<std::size_t> size(50, 1200);
        if (!exists) {
            fx.registry->import_zones(diachi::test::grid_zones(14, 14, south, west, side / 14));
        }
        std::vector<diachi::store::Registration> batch;
        std::vector<diachi::Result<diachi::store::Registered>> out;
        std::size_t written = 0;
        std::size_t biggest = 0;
        while (written < count) {
            const double lat = south + 0.02 + unit(random) * (side - 0.04);
            const double lng = west + 0.02 + unit(random) * (side - 0.04);
            const std::size_t n = std::min(count - written, size(random));
            if (n > biggest) {
                biggest = n;
                fx.densest = diachi::LatLngE7::from_degrees(lat, lng).value();
            }
            // Households about sqrt(n) x 5 m around the centre, as the sample generator does.
            const double spread = std::sqrt(static_cast<double>(n)) * 5.0 / 111'195.0;
            for (std::size_t h = 0; h < n; ++h) {
                diachi::store::Registration r;
                r.location = diachi::LatLngE7::from_degrees(lat + normal(random) * spread,
                                                            lng + normal(random) * spread)
                                 .value();
                r.source = "bench";
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
        fx.renderer = std::make_unique<diachi::tiles::TileRenderer>(*fx.registry);
        return fx;
    }();
    return f;
}

void BM_DenseTileZ14(benchmark::State& state) {
    Fixture& f = fixture();
    const TileId tile = diachi::tiles::tile_at(14, f.densest.lat_deg(), f.densest.lng_deg());
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

void BM_RandomTiles(benchmark::State& state) {
    Fixture& f = fixture();
    std::mt19937_64 random(11);
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    std::vector<TileId> tiles;
    for (int i = 0; i < 1000; ++i) {
        const auto z = static_cast<std::uint32_t>(12 + i % 5);
        tiles.push_back(diachi::tiles::tile_at(z, south + unit(random) * side,
                                               west + unit(random) * side));
    }
    std::string out;
    std::size_t i = 0;
    for (auto _ : state) {
        f.renderer->render(tiles[i++ % tiles.size()], LayerSet::parse("households"), &out);
        benchmark::DoNotOptimize(out.data());
    }
    diachi::bench::report_percentiles(
        state, tiles,
        [&](const TileId& t) {
            f.renderer->render(t, LayerSet::parse("households"), &out);
            return out.size();
        },
        1000, i);
}
BENCHMARK(BM_RandomTiles)->Unit(benchmark::kMicrosecond);

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

BENCHMARK_MAIN();
