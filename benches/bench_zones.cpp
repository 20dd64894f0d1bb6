// Point -> commune on the real 3,321 communes (../shared/data; skipped with a message when
// absent), one core. Points: 1M random points inside communes (uniform over the land) and 1M
// household-like points (villages). Peer: the usual GEOS approach, an STRtree of the outlines'
// envelopes plus a prepared-geometry test of each candidate.
//
// Target (issue #3): at most 300 ns median on the real communes.

#include <cstdlib>
#include <filesystem>
#include <random>
#include <vector>

#include <benchmark/benchmark.h>
#include <geos_c.h>

#include <diachi/geography/zone_index.hpp>
#include <diachi/geography/zone_reader.hpp>

#include "bench_data.hpp"
#include "percentiles.hpp"

namespace {

using diachi::LatLngE7;
using diachi::geography::ZoneIndex;

constexpr std::size_t count = 1 << 20;

struct National {
    std::vector<diachi::geography::ZoneFeature> features;
    std::unique_ptr<ZoneIndex> index;
    std::vector<LatLngE7> land;      // uniform over the communes
    std::vector<LatLngE7> villages;  // clustered like households
    bool ok = false;

    National() {
        const auto wards =
            diachi::bench::data_dir() / "boundaries/wards_3321_simplified25m_v4.2.0.geojson";
        const auto postcodes =
            diachi::bench::data_dir() / "postcodes/postcodes_by_commune_2025.csv";
        if (!std::filesystem::exists(wards) || !std::filesystem::exists(postcodes)) {
            return;
        }
        features = diachi::geography::read_zones(wards.string());
        diachi::geography::join_postcodes(
            diachi::geography::read_postcode_table(postcodes.string()), &features);
        index = std::make_unique<ZoneIndex>(features);
        std::mt19937_64 rng(3321);
        std::uniform_real_distribution<double> lat(8.18, 23.39);
        std::uniform_real_distribution<double> lng(102.14, 109.47);
        while (land.size() < count) {
            const auto p = LatLngE7::from_degrees(lat(rng), lng(rng)).value();
            const auto hit = index->locate(p);
            if (hit && hit->inside) {
                land.push_back(p);
            }
        }
        std::normal_distribution<double> spread(0.0, 0.002);  // ~200 m villages
        while (villages.size() < count) {
            const LatLngE7 centre = land[rng() % land.size()];
            for (int i = 0; i < 256 && villages.size() < count; ++i) {
                const auto p = LatLngE7::from_degrees(centre.lat_deg() + spread(rng),
                                                      centre.lng_deg() + spread(rng));
                if (p) {
                    villages.push_back(*p);
                }
            }
        }
        ok = true;
    }
};

National& national() {
    static National n;
    return n;
}

/// Mean per point (the timed loop), then per-point p50 / p90 / p99 as counters.
template <typename F>
void per_point(benchmark::State& state, const std::vector<LatLngE7>& points, F&& f) {
    std::size_t i = 0;
    for (auto _ : state) {
        benchmark::DoNotOptimize(f(points[i]));
        i = (i + 1) & (count - 1);
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
    diachi::bench::report_percentiles(state, points, f);
}

void BM_Baseline(benchmark::State& state) {
    auto& n = national();
    if (!n.ok) {
        state.SkipWithError("../shared/data boundaries/postcodes absent (set DIACHI_DATA_DIR)");
        return;
    }
    per_point(state, n.land, [](LatLngE7 p) { return p.lat_e7 ^ p.lng_e7; });
}

void BM_ZoneLocateLand(benchmark::State& state) {
    auto& n = national();
    if (!n.ok) {
        state.SkipWithError("../shared/data boundaries/postcodes absent (set DIACHI_DATA_DIR)");
        return;
    }
    per_point(state, n.land, [&](LatLngE7 p) { return n.index->locate(p); });
}

void BM_ZoneLocateVillages(benchmark::State& state) {
    auto& n = national();
    if (!n.ok) {
        state.SkipWithError("../shared/data boundaries/postcodes absent (set DIACHI_DATA_DIR)");
        return;
    }
    per_point(state, n.villages, [&](LatLngE7 p) { return n.index->locate(p); });
}

/// The peer: GEOS STRtree over envelopes, then GEOSPreparedIntersects on each candidate.
void BM_GeosStrtreeLand(benchmark::State& state) {
    auto& n = national();
    if (!n.ok) {
        state.SkipWithError("../shared/data boundaries/postcodes absent (set DIACHI_DATA_DIR)");
        return;
    }
    GEOSContextHandle_t ctx = GEOS_init_r();
    std::vector<GEOSGeometry*> geometries;
    std::vector<const GEOSPreparedGeometry*> prepared;
    GEOSSTRtree* tree = GEOSSTRtree_create_r(ctx, 10);
    GEOSWKBReader* reader = GEOSWKBReader_create_r(ctx);
    for (std::size_t z = 0; z < n.features.size(); ++z) {
        const auto& wkb = n.features[z].wkb;
        geometries.push_back(GEOSWKBReader_read_r(
            ctx, reader, reinterpret_cast<const unsigned char*>(wkb.data()), wkb.size()));
        prepared.push_back(GEOSPrepare_r(ctx, geometries.back()));
        GEOSSTRtree_insert_r(ctx, tree, geometries.back(), reinterpret_cast<void*>(z + 1));
    }
    GEOSWKBReader_destroy_r(ctx, reader);
    struct Query {
        GEOSContextHandle_t ctx;
        const std::vector<const GEOSPreparedGeometry*>* prepared;
        const GEOSGeometry* point;
        std::size_t found;
    };
    const auto locate = [&](LatLngE7 p) {
        GEOSGeometry* point = GEOSGeom_createPointFromXY_r(ctx, p.lng_deg(), p.lat_deg());
        Query q{ctx, &prepared, point, 0};
        GEOSSTRtree_query_r(
            ctx, tree, point,
            [](void* item, void* data) {
                auto* query = static_cast<Query*>(data);
                const auto z = reinterpret_cast<std::size_t>(item) - 1;
                if (query->found == 0 && GEOSPreparedIntersects_r(query->ctx, (*query->prepared)[z],
                                                                  query->point) == 1) {
                    query->found = z + 1;
                }
            },
            &q);
        GEOSGeom_destroy_r(ctx, point);
        return q.found;
    };
    per_point(state, n.land, locate);
    GEOSSTRtree_destroy_r(ctx, tree);
    for (std::size_t z = 0; z < geometries.size(); ++z) {
        GEOSPreparedGeom_destroy_r(ctx, prepared[z]);
        GEOSGeom_destroy_r(ctx, geometries[z]);
    }
    GEOS_finish_r(ctx);
}

}  // namespace

BENCHMARK(BM_Baseline);
BENCHMARK(BM_ZoneLocateLand);
BENCHMARK(BM_ZoneLocateVillages);
BENCHMARK(BM_GeosStrtreeLand);

BENCHMARK_MAIN();
