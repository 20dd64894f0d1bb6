// The `osm` layer on issue #5's data set: DIACHI_BENCH_OSM_BUILDINGS building footprints (default
// 1M) in villages inside the Ninh Bình box (19.9-20.6 N, 105.5-106.2 E), with a residential road
// through every village and a named point per 50 buildings, written once as an .osm.pbf with
// libosmium (DIACHI_BENCH_OSM_FILE, default /tmp/diachi-bench-osm-<count>.osm.pbf) and reused.
// Buildings are rectangles of 6-16 m, turned at random, about sqrt(n) x 6 m around their village
// centre; every 200th is a multipolygon relation with a courtyard.
//   BM_ReadOsm            OsmSource::read of the file (ways assembled into areas, grid index)
//   BM_DenseBuildingsZ14  the osm layer of the z14 tile with the most buildings
//   BM_RandomOsmTiles     the osm layer of 1000 random z12-z16 tiles: mean, p50/p90/p99
// The registry is an empty store: only the osm layer is drawn.
// Run: build/benches/bench_osm --benchmark_repetitions=3 --benchmark_report_aggregates_only=true

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <random>
#include <unordered_map>

#include <benchmark/benchmark.h>

#include <osmium/builder/attr.hpp>
#include <osmium/builder/osm_object_builder.hpp>
#include <osmium/io/pbf_output.hpp>
#include <osmium/io/writer.hpp>

#include <diachi/store/registry.hpp>
#include <diachi/tiles/osm_source.hpp>
#include <diachi/tiles/renderer.hpp>

#include "bench_main.hpp"
#include "tile_bench_data.hpp"

namespace {

using diachi::tiles::LayerSet;
using diachi::tiles::TileId;

constexpr double south = diachi::bench::box_south;
constexpr double west = diachi::bench::box_west;
constexpr double side = diachi::bench::box_side;
constexpr double metre_deg = 1.0 / 111'195.0;

std::size_t building_count() {
    const char* env = std::getenv("DIACHI_BENCH_OSM_BUILDINGS");
    return env != nullptr ? std::strtoull(env, nullptr, 10) : 1'000'000;
}

/// Writes the generated file; returns the z14 tile with the most buildings.
TileId write_osm(const std::string& path, std::size_t count) {
    using namespace osmium::builder::attr;  // NOLINT: libosmium's attribute vocabulary
    osmium::io::Header header;
    header.set("generator", "diachi bench_osm");
    osmium::io::Writer writer(osmium::io::File(path, "pbf"), header, osmium::io::overwrite::allow);
    std::mt19937_64 random(2026);
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    std::normal_distribution<double> normal(0.0, 1.0);
    std::uniform_int_distribution<std::size_t> village_size(50, 3000);

    struct Building {
        std::int64_t first_node;
        bool courtyard;
    };
    struct Road {
        std::int64_t first_node;
        int nodes;
    };
    std::vector<Building> buildings;
    std::vector<Road> roads;
    std::vector<std::pair<std::int64_t, std::size_t>> points;  // node, village
    std::unordered_map<std::uint64_t, std::size_t> per_tile;
    buildings.reserve(count);

    osmium::memory::Buffer buffer{4 << 20, osmium::memory::Buffer::auto_grow::yes};
    const auto flush = [&](bool always) {
        if (always || buffer.committed() > (3 << 20)) {
            writer(std::move(buffer));
            buffer = osmium::memory::Buffer{4 << 20, osmium::memory::Buffer::auto_grow::yes};
        }
    };
    std::int64_t node_id = 1;
    const auto add_node = [&](double lat, double lng, bool named) {
        if (named) {
            osmium::builder::add_node(buffer, _id(node_id), _version(1), _location(lng, lat),
                                      _tag("amenity", "shop"), _tag("name", "Cửa hàng " + std::to_string(node_id)));
        } else {
            osmium::builder::add_node(buffer, _id(node_id), _version(1), _location(lng, lat));
        }
        flush(false);
        return node_id++;
    };

    std::size_t written = 0;
    for (std::size_t village = 0; written < count; ++village) {
        const double clat = south + 0.02 + unit(random) * (side - 0.04);
        const double clng = west + 0.02 + unit(random) * (side - 0.04);
        const std::size_t n = std::min(count - written, village_size(random));
        const double spread = std::sqrt(static_cast<double>(n)) * 6.0 * metre_deg;
        for (std::size_t b = 0; b < n; ++b) {
            const double lat = clat + normal(random) * spread;
            const double lng = clng + normal(random) * spread;
            const double w = (6.0 + 10.0 * unit(random)) * metre_deg / 2;
            const double h = (6.0 + 10.0 * unit(random)) * metre_deg / 2;
            const double turn = unit(random) * 3.14159265358979;
            const bool courtyard = (written + b) % 200 == 0;
            const std::int64_t first = node_id;
            const double scales[2] = {1.0, 0.4};  // outer ring, then the courtyard
            for (int ring = 0; ring < (courtyard ? 2 : 1); ++ring) {
                const double corners[4][2] = {{-w, -h}, {w, -h}, {w, h}, {-w, h}};
                for (const auto& c : corners) {
                    const double dx = (c[0] * std::cos(turn) - c[1] * std::sin(turn)) * scales[ring];
                    const double dy = (c[0] * std::sin(turn) + c[1] * std::cos(turn)) * scales[ring];
                    add_node(lat + dy, lng + dx / std::cos(lat * 3.14159265358979 / 180), false);
                }
            }
            buildings.push_back({first, courtyard});
            const TileId t = diachi::tiles::tile_at(14, lat, lng);
            ++per_tile[(std::uint64_t{t.x} << 32) | t.y];
            if (b % 50 == 0) {
                points.emplace_back(add_node(lat, lng, true), village);
            }
        }
        // A road across the village.
        const std::int64_t first = node_id;
        for (int i = 0; i < 8; ++i) {
            add_node(clat + (i - 3.5) * spread / 2, clng + normal(random) * spread / 8, false);
        }
        roads.push_back({first, 8});
        written += n;
    }

    std::int64_t way_id = 1;
    for (const Building& b : buildings) {
        // The attribute keeps a reference to its node list: the list must outlive the call.
        const auto ring = [](std::int64_t f) {
            return std::vector<osmium::NodeRef>{f, f + 1, f + 2, f + 3, f};
        };
        if (!b.courtyard) {
            const auto outer = ring(b.first_node);
            osmium::builder::add_way(buffer, _id(way_id++), _version(1), _nodes(outer),
                                     _tag("building", "house"));
        } else {
            const auto outer = ring(b.first_node);
            const auto inner = ring(b.first_node + 4);
            osmium::builder::add_way(buffer, _id(way_id++), _version(1), _nodes(outer));
            osmium::builder::add_way(buffer, _id(way_id++), _version(1), _nodes(inner));
        }
        flush(false);
    }
    for (const Road& r : roads) {
        std::vector<osmium::NodeRef> refs;
        for (int i = 0; i < r.nodes; ++i) {
            refs.emplace_back(r.first_node + i);
        }
        osmium::builder::add_way(buffer, _id(way_id++), _version(1), _nodes(refs),
                                 _tag("highway", "residential"), _tag("name", "Đường làng"));
        flush(false);
    }
    // Multipolygons of the courtyard buildings: their two ways, written in the same order.
    std::int64_t relation_id = 1;
    std::int64_t way = 1;
    for (const Building& b : buildings) {
        if (b.courtyard) {
            osmium::builder::add_relation(
                buffer, _id(relation_id++), _version(1),
                _member(osmium::item_type::way, way, "outer"),
                _member(osmium::item_type::way, way + 1, "inner"), _tag("type", "multipolygon"),
                _tag("building", "school"));
            way += 2;
        } else {
            ++way;
        }
        flush(false);
    }
    flush(true);
    writer.close();

    TileId densest;
    std::size_t most = 0;
    for (const auto& [key, n] : per_tile) {
        if (n > most) {
            most = n;
            densest = TileId{14, static_cast<std::uint32_t>(key >> 32),
                             static_cast<std::uint32_t>(key & 0xFFFFFFFF)};
        }
    }
    return densest;
}

struct Fixture {
    ~Fixture() {
        renderer.reset();
        registry.reset();
        if (!store.empty()) {
            std::error_code ignored;
            std::filesystem::remove_all(store, ignored);
        }
    }
    std::string path;
    TileId densest;
    std::filesystem::path store;
    std::unique_ptr<diachi::store::Registry> registry;
    std::shared_ptr<const diachi::tiles::OsmSource> osm;
    std::unique_ptr<diachi::tiles::TileRenderer> renderer;
};

std::optional<Fixture> the_fixture;

Fixture& fixture() {
    if (the_fixture) {
        return *the_fixture;
    }
    Fixture& f = the_fixture.emplace();
    const std::size_t count = building_count();
    const char* env = std::getenv("DIACHI_BENCH_OSM_FILE");
    f.path = env != nullptr ? env : "/tmp/diachi-bench-osm-" + std::to_string(count) + ".osm.pbf";
    // Written every run: the densest tile comes from the generation (seconds).
    f.densest = write_osm(f.path, count);
    // An empty registry beside the file (removed at the end): only the osm layer is drawn.
    f.store = f.path + ".store";
    std::filesystem::remove_all(f.store);
    f.registry = std::make_unique<diachi::store::Registry>(f.store.string());
    f.osm = diachi::tiles::OsmSource::read(f.path);
    f.renderer = std::make_unique<diachi::tiles::TileRenderer>(*f.registry,
                                                               diachi::tiles::RendererOptions{}, f.osm);
    return f;
}

void BM_ReadOsm(benchmark::State& state) {
    Fixture& f = fixture();
    diachi::tiles::OsmCounts counts;
    for (auto _ : state) {
        counts = diachi::tiles::OsmSource::read(f.path)->counts();
    }
    state.counters["buildings"] = static_cast<double>(counts.buildings);
    state.counters["roads"] = static_cast<double>(counts.roads);
    state.counters["points"] = static_cast<double>(counts.points);
    state.counters["file_bytes"] = static_cast<double>(std::filesystem::file_size(f.path));
}
BENCHMARK(BM_ReadOsm)->Unit(benchmark::kSecond)->Iterations(1);

void BM_DenseBuildingsZ14(benchmark::State& state) {
    Fixture& f = fixture();
    std::string out;
    diachi::tiles::RenderStats stats;
    for (auto _ : state) {
        stats = f.renderer->render(f.densest, LayerSet::parse("osm"), &out);
        benchmark::DoNotOptimize(out.data());
    }
    state.counters["features"] =
        static_cast<double>(stats.features[static_cast<std::size_t>(diachi::tiles::Layer::osm)]);
    state.counters["bytes"] = static_cast<double>(out.size());
}
BENCHMARK(BM_DenseBuildingsZ14)->Unit(benchmark::kMillisecond);

void BM_RandomOsmTiles(benchmark::State& state) {
    const Fixture& f = fixture();
    diachi::bench::time_random_tiles(state, [&](TileId t, std::string* out) {
        f.renderer->render(t, LayerSet::parse("osm"), out);
    });
}
BENCHMARK(BM_RandomOsmTiles)->Unit(benchmark::kMicrosecond);

}  // namespace

int main(int argc, char** argv) {
    return diachi::bench::run_benchmarks(argc, argv, [] { the_fixture.reset(); });
}
