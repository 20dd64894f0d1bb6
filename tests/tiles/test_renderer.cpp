// Tiles from a live registry on generated zones: every household at the detail zoom, clusters
// that count every household below it, the byte budget, the grid, communes and provinces, a
// golden tile, PMTiles and MBTiles round trips, and OpenStreetMap layers. Every tile produced is
// checked by diachi's checker and by GDAL (tile_readers.hpp).

#include <cmath>
#include <fstream>
#include <limits>
#include <map>
#include <random>
#include <set>
#include <tuple>

#include <gtest/gtest.h>

#include <diachi/store/registry.hpp>
#include <diachi/web_mercator.hpp>
#include <diachi/tiles/archive.hpp>
#include <diachi/tiles/gzip.hpp>
#include <diachi/tiles/mvt_reader.hpp>
#include <diachi/tiles/pyramid.hpp>
#include <diachi/tiles/renderer.hpp>

#include "../sample_zones.hpp"
#include "../test_data.hpp"
#include "tile_readers.hpp"

namespace mvt = diachi::tiles::mvt;
using diachi::LatLngE7;
using diachi::store::Registry;
using diachi::tiles::LayerSet;
using diachi::tiles::RendererOptions;
using diachi::tiles::TileId;
using diachi::tiles::TileRenderer;

namespace {

constexpr std::size_t village_count = 6;
constexpr std::size_t per_village = 400;

class TilesTest : public ::testing::Test {
protected:
    void SetUp() override {
        registry = std::make_unique<Registry>(dir / "store");
        registry->import_zones(diachi::test::grid_zones(4, 5), {{"Tỉnh Mẫu", {43}}});
        // Villages of households spread a few hundred metres around their centres.
        std::mt19937_64 random(7);
        std::normal_distribution<double> spread(0.0, 0.002);
        std::vector<diachi::store::Registration> batch;
        for (std::size_t v = 0; v < village_count; ++v) {
            const double lat = 20.21 + 0.03 * static_cast<double>(v % 3) + 0.05 * static_cast<double>(v / 3);
            const double lng = 105.81 + 0.04 * static_cast<double>(v);
            for (std::size_t h = 0; h < per_village; ++h) {
                diachi::store::Registration r;
                // Drawn one by one: the order of a call's arguments is the compiler's choice.
                const double d_lng = spread(random);
                const double d_lat = spread(random);
                r.location = LatLngE7::from_degrees(lat + d_lat, lng + d_lng).value();
                r.address.house_number = std::to_string(h + 1);
                r.personal.head_of_household = "Nguyễn Văn Bí Mật";
                r.personal.phone = "0912345678";
                r.source = "test";
                batch.push_back(r);
            }
        }
        std::vector<diachi::Result<diachi::store::Registered>> out;
        registry->register_households(batch, &out);
        for (const auto& r : out) {
            ids.insert(r.value().household.id);
        }
    }

    mvt::DecodedTile render(const TileRenderer& renderer, TileId tile, LayerSet layers,
                            diachi::tiles::RenderStats* stats = nullptr) {
        std::string out;
        const auto s = renderer.render(tile, layers, &out);
        if (stats != nullptr) {
            *stats = s;
        }
        diachi::test::expect_readable(out, dir.path(), diachi::tiles::to_string(tile));
        return mvt::decode(out);
    }

    diachi::test::TempDir dir;
    std::unique_ptr<Registry> registry;
    std::set<std::uint64_t> ids;
};

std::uint64_t number(const mvt::DecodedFeature& f, const std::string& key) {
    for (const auto& [k, v] : f.properties) {
        if (k == key) {
            return std::holds_alternative<std::uint64_t>(v) ? std::get<std::uint64_t>(v) : 0;
        }
    }
    return 0;
}
bool has(const mvt::DecodedFeature& f, const std::string& key) {
    for (const auto& [k, v] : f.properties) {
        if (k == key) {
            return true;
        }
    }
    return false;
}
std::string text(const mvt::DecodedFeature& f, const std::string& key) {
    for (const auto& [k, v] : f.properties) {
        if (k == key && std::holds_alternative<std::string>(v)) {
            return std::get<std::string>(v);
        }
    }
    return {};
}

// Households counted by the features whose point lies in the tile proper (not its buffer).
std::uint64_t households_inside(const mvt::DecodedTile& tile) {
    std::uint64_t total = 0;
    if (const auto* layer = tile.layer("households")) {
        for (const auto& f : layer->features) {
            const mvt::Point p = f.geometry.at(0).at(0);
            if (p.x >= 0 && p.x < 4096 && p.y >= 0 && p.y < 4096) {
                total += has(f, "cluster") ? number(f, "point_count") : 1;
            }
        }
    }
    return total;
}

}  // namespace

TEST_F(TilesTest, EveryHouseholdIsInTheTilesOfTheDetailZoom) {
    const TileRenderer renderer(*registry);
    std::set<std::uint64_t> seen;
    const TileId nw = diachi::tiles::tile_at(14, 20.40, 105.80);
    const TileId se = diachi::tiles::tile_at(14, 20.20, 106.05);
    for (std::uint32_t y = nw.y; y <= se.y; ++y) {
        for (std::uint32_t x = nw.x; x <= se.x; ++x) {
            std::string out;
            renderer.render({14, x, y}, LayerSet::parse("households"), &out);
            const mvt::DecodedTile decoded = mvt::decode(out);
            if (const auto* layer = decoded.layer("households")) {
                for (const auto& f : layer->features) {
                    EXPECT_FALSE(has(f, "cluster"));
                    EXPECT_FALSE(text(f, "code").empty());
                    EXPECT_GE(number(f, "units"), 1U);
                    seen.insert(*f.id);
                }
            }
        }
    }
    EXPECT_EQ(seen, ids);
}

TEST_F(TilesTest, ClustersBelowTheDetailZoomCountEveryHousehold) {
    const TileRenderer renderer(*registry);
    for (const std::uint32_t z : {6U, 8U, 10U, 12U}) {
        const TileId nw = diachi::tiles::tile_at(z, 20.40, 105.80);
        const TileId se = diachi::tiles::tile_at(z, 20.20, 106.05);
        std::uint64_t total = 0;
        std::size_t clusters = 0;
        for (std::uint32_t y = nw.y; y <= se.y; ++y) {
            for (std::uint32_t x = nw.x; x <= se.x; ++x) {
                const auto tile = render(renderer, {z, x, y}, LayerSet::parse("households"));
                total += households_inside(tile);
                if (const auto* layer = tile.layer("households")) {
                    for (const auto& f : layer->features) {
                        if (!has(f, "cluster")) {
                            continue;
                        }
                        ++clusters;
                        // supercluster: count below 1000, else Math.round(count / 100) / 10
                        // + "k" below 10000, else Math.round(count / 1000) + "k".
                        const std::uint64_t count = number(f, "point_count");
                        if (count < 1000) {
                            EXPECT_EQ(number(f, "point_count_abbreviated"), count);
                        } else {
                            char want[16];
                            const double k = count < 10000
                                                 ? std::round(static_cast<double>(count) / 100) / 10
                                                 : std::round(static_cast<double>(count) / 1000);
                            std::snprintf(want, sizeof want, "%gk", k);
                            EXPECT_EQ(text(f, "point_count_abbreviated"), want);
                        }
                    }
                }
            }
        }
        EXPECT_EQ(total, ids.size()) << "zoom " << z;
        EXPECT_GT(clusters, 0U) << "zoom " << z;
    }
}

TEST_F(TilesTest, TheDensityIndexGivesTheClustersOfReadingEveryHousehold) {
    RendererOptions by_index;
    by_index.density_index_above = 0;
    RendererOptions by_reading;
    by_reading.density_index_above = std::numeric_limits<std::size_t>::max();
    const TileRenderer indexed(*registry, by_index);
    const TileRenderer reading(*registry, by_reading);
    const auto compare = [&](const std::string& when) {
        std::size_t from_index = 0;
        std::size_t drawn = 0;
        for (std::uint32_t z = 5; z <= 13; ++z) {
            const TileId nw = diachi::tiles::tile_at(z, 20.40, 105.80);
            const TileId se = diachi::tiles::tile_at(z, 20.20, 106.05);
            for (std::uint32_t y = nw.y; y <= se.y; ++y) {
                for (std::uint32_t x = nw.x; x <= se.x; ++x) {
                    const TileId tile{z, x, y};
                    diachi::tiles::RenderStats stats;
                    const auto a = render(indexed, tile, LayerSet::parse("households"), &stats);
                    const auto b = render(reading, tile, LayerSet::parse("households"));
                    const bool indexed_tile = stats.density_cells_read > 0;
                    const auto* la = a.layer("households");
                    const auto* lb = b.layer("households");
                    ASSERT_EQ(la == nullptr, lb == nullptr) << when << " " << diachi::tiles::to_string(tile);
                    if (la == nullptr) {
                        continue;
                    }
                    ++drawn;
                    from_index += indexed_tile ? 1 : 0;
                    ASSERT_EQ(la->features.size(), lb->features.size()) << when << " " << diachi::tiles::to_string(tile);
                    for (std::size_t i = 0; i < la->features.size(); ++i) {
                        const auto& fa = la->features[i];
                        const auto& fb = lb->features[i];
                        EXPECT_EQ(fa.id, fb.id);
                        EXPECT_EQ(fa.properties, fb.properties);
                        // Mean positions from fixed-point sums: within a unit of the tile.
                        const mvt::Point pa = fa.geometry.at(0).at(0);
                        const mvt::Point pb = fb.geometry.at(0).at(0);
                        EXPECT_LE(std::abs(pa.x - pb.x), 1) << diachi::tiles::to_string(tile);
                        EXPECT_LE(std::abs(pa.y - pb.y), 1) << diachi::tiles::to_string(tile);
                    }
                }
            }
        }
        EXPECT_EQ(from_index, drawn) << when;
        EXPECT_GT(drawn, 0U);
    };
    compare("as registered");
    // Moves and retirements update the index in the same write.
    const auto first = *ids.begin();
    ASSERT_TRUE(registry->retire(first, "tester", "gone"));
    const auto second = *std::next(ids.begin());
    ASSERT_TRUE(registry->move(second, LatLngE7::from_degrees(20.30, 105.95).value(), "tester"));
    compare("after a move and a retirement");
    EXPECT_TRUE(registry->check().ok());
}

TEST_F(TilesTest, ATileOverItsByteBudgetIsClusteredCoarser) {
    RendererOptions tight;
    tight.max_tile_bytes = 500;
    const TileRenderer renderer(*registry, tight);
    const TileRenderer roomy(*registry);
    const TileId tile = diachi::tiles::tile_at(12, 20.21, 105.81);
    diachi::tiles::RenderStats stats;
    const auto small = render(renderer, tile, LayerSet::parse("households"), &stats);
    EXPECT_GT(stats.cluster_cell, tight.cluster_cell);
    std::string out;
    renderer.render(tile, LayerSet::parse("households"), &out);
    EXPECT_LE(diachi::tiles::gzip(out).size(), tight.max_tile_bytes);
    const auto full = render(roomy, tile, LayerSet::parse("households"));
    // Coarser, not thinner: the same households are counted.
    EXPECT_EQ(households_inside(small), households_inside(full));
    EXPECT_LT(small.layer("households")->features.size(), full.layer("households")->features.size());
}

TEST_F(TilesTest, AHouseholdRegisteredNowIsOnTheNextTile) {
    const TileRenderer renderer(*registry);
    const LatLngE7 p = LatLngE7::from_degrees(20.3712345, 105.9912345).value();
    const TileId tile = diachi::tiles::tile_at(16, p.lat_deg(), p.lng_deg());
    const auto before = render(renderer, tile, LayerSet::parse("households"));
    diachi::store::Registration r;
    r.location = p;
    r.source = "test";
    const auto added = registry->register_household(r).value().household;
    const auto after = render(renderer, tile, LayerSet::parse("households"));
    ASSERT_NE(after.layer("households"), nullptr);
    bool found = false;
    for (const auto& f : after.layer("households")->features) {
        if (*f.id == added.id) {
            found = true;
            EXPECT_EQ(text(f, "code"), std::string(added.code.display().view()));
        }
    }
    EXPECT_TRUE(found);
    EXPECT_TRUE(before.layer("households") == nullptr ||
                before.layer("households")->features.size() + 1 ==
                    after.layer("households")->features.size());
}

TEST_F(TilesTest, APointIsInTheTileWhenItRoundsIntoTheBuffer) {
    // The rule of PostGIS's ST_AsMVTGeom for points (snap to the grid, then clip): a household
    // 64.3 units west of a z16 tile rounds to -64, on the buffer's edge, and is drawn; one 64.7
    // units west rounds to -65 and is not. On the north side the same, at row -64.3 and -64.7.
    const TileRenderer renderer(*registry);
    const TileId tile = diachi::tiles::tile_at(16, 20.3712345, 105.9912345);
    const double units = 4096.0 * std::ldexp(1.0, 16);
    const auto at = [&](double ux, double uy) {
        return LatLngE7::from_degrees(diachi::lat_of_world_y((tile.y * 4096.0 + uy) / units),
                                      diachi::lng_of_world_x((tile.x * 4096.0 + ux) / units))
            .value();
    };
    std::map<std::uint64_t, mvt::Point> expected;  // id -> its point in the tile
    std::set<std::uint64_t> outside;
    for (const auto& [ux, uy, drawn, x, y] :
         {std::tuple{-64.3, 100.0, true, -64, 100}, std::tuple{-64.7, 200.0, false, 0, 0},
          std::tuple{300.0, -64.3, true, 300, -64}, std::tuple{400.0, -64.7, false, 0, 0},
          std::tuple{4160.3, 500.0, true, 4160, 500}, std::tuple{4160.7, 600.0, false, 0, 0}}) {
        diachi::store::Registration r;
        r.location = at(ux, uy);
        r.source = "test";
        const std::uint64_t id = registry->register_household(r).value().household.id;
        if (drawn) {
            expected[id] = mvt::Point{x, y};
        } else {
            outside.insert(id);
        }
    }
    const auto decoded = render(renderer, tile, LayerSet::parse("households"));
    ASSERT_NE(decoded.layer("households"), nullptr);
    std::map<std::uint64_t, mvt::Point> drawn;
    for (const auto& f : decoded.layer("households")->features) {
        if (expected.contains(*f.id) || outside.contains(*f.id)) {
            drawn[*f.id] = f.geometry.at(0).at(0);
        }
    }
    EXPECT_EQ(drawn, expected);
}

TEST_F(TilesTest, UnitsCountTheHouseholdsOfTheCodeCell) {
    // Three households in one 11-digit cell, the first retired: two left, units 2 and 3, each
    // drawn with "units" 2. Two in another, the second retired: unit 1 alone. One in a third.
    const TileRenderer renderer(*registry);
    const auto add = [&](double lat, double lng) {
        diachi::store::Registration r;
        r.location = LatLngE7::from_degrees(lat, lng).value();
        r.source = "test";
        return registry->register_household(r).value().household;
    };
    const auto a1 = add(20.3300010, 105.9700010);
    const auto a2 = add(20.3300011, 105.9700011);
    const auto a3 = add(20.3300012, 105.9700012);
    const auto b1 = add(20.3303010, 105.9703010);
    const auto b2 = add(20.3303011, 105.9703011);
    const auto c1 = add(20.3306010, 105.9706010);
    ASSERT_EQ(a3.code.unit(), 3U);
    ASSERT_EQ(b2.code.unit(), 2U);
    ASSERT_TRUE(registry->retire(a1.id, "tester", "gone"));
    ASSERT_TRUE(registry->retire(b2.id, "tester", "gone"));
    const auto decoded = render(renderer, diachi::tiles::tile_at(16, 20.3303, 105.9703),
                                LayerSet::parse("households"));
    ASSERT_NE(decoded.layer("households"), nullptr);
    std::map<std::uint64_t, std::pair<std::uint64_t, std::uint64_t>> drawn;  // id -> unit, units
    for (const auto& f : decoded.layer("households")->features) {
        drawn[*f.id] = {number(f, "unit"), number(f, "units")};
    }
    using Pair = std::pair<std::uint64_t, std::uint64_t>;
    EXPECT_FALSE(drawn.contains(a1.id));
    EXPECT_EQ(drawn[a2.id], (Pair{2, 2}));
    EXPECT_EQ(drawn[a3.id], (Pair{3, 2}));
    EXPECT_EQ(drawn[b1.id], (Pair{1, 1}));
    EXPECT_FALSE(drawn.contains(b2.id));
    EXPECT_EQ(drawn[c1.id], (Pair{1, 1}));
}

TEST_F(TilesTest, GridCellsCarryTheCodeOfTheHouseholdsInThem) {
    const TileRenderer renderer(*registry);
    const diachi::store::Household h = registry->get(*ids.begin()).value();
    const TileId tile = diachi::tiles::tile_at(19, h.location.lat_deg(), h.location.lng_deg());
    const auto decoded = render(renderer, tile, LayerSet::parse("grid,households"));
    ASSERT_NE(decoded.layer("grid"), nullptr);
    std::set<std::string> codes;
    for (const auto& f : decoded.layer("grid")->features) {
        codes.insert(text(f, "code"));
        EXPECT_EQ(text(f, "olc").size(), 12U);
    }
    EXPECT_TRUE(codes.contains(std::string(h.code.grid().view())));
    EXPECT_GT(codes.size(), 100U);
    // Below the grid's zoom there is no grid.
    EXPECT_EQ(render(renderer, {18, tile.x / 2, tile.y / 2}, LayerSet::parse("grid")).layer("grid"),
              nullptr);
}

TEST_F(TilesTest, CommunesProvincesAndLabelsCarryNamesAndPostcodes) {
    const TileRenderer renderer(*registry);
    const TileId tile = diachi::tiles::tile_at(10, 20.3, 105.9);
    const auto decoded = render(renderer, tile, LayerSet::parse("communes,provinces,labels"));
    ASSERT_NE(decoded.layer("communes"), nullptr);
    std::set<std::string> postcodes;
    for (const auto& f : decoded.layer("communes")->features) {
        EXPECT_EQ(text(f, "province"), "Tỉnh Mẫu");
        postcodes.insert(text(f, "postcode"));
    }
    EXPECT_TRUE(postcodes.contains("43001"));
    ASSERT_NE(decoded.layer("provinces"), nullptr);
    ASSERT_EQ(decoded.layer("provinces")->features.size(), 1U);
    const auto& province = decoded.layer("provinces")->features[0];
    EXPECT_EQ(text(province, "name"), "Tỉnh Mẫu");
    EXPECT_EQ(text(province, "postcode"), "43");
    // The union of 20 squares is one rectangle: 4 corners after the writer's cleaning.
    EXPECT_EQ(province.geometry.size(), 1U);
    // Every commune has one label, in the tiles covering the communes.
    std::set<std::uint64_t> commune_labels;
    const TileId nw = diachi::tiles::tile_at(10, 20.40, 105.80);
    const TileId se = diachi::tiles::tile_at(10, 20.20, 106.05);
    for (std::uint32_t y = nw.y; y <= se.y; ++y) {
        for (std::uint32_t x = nw.x; x <= se.x; ++x) {
            const auto labels = render(renderer, {10, x, y}, LayerSet::parse("labels"));
            for (const auto& f : labels.layer("labels")->features) {
                if (text(f, "kind") == "commune") {
                    commune_labels.insert(*f.id);
                }
            }
        }
    }
    EXPECT_EQ(commune_labels.size(), 20U);
    // Communes start at zoom 7.
    EXPECT_EQ(render(renderer, diachi::tiles::tile_at(6, 20.3, 105.9), LayerSet::parse("communes"))
                  .layer("communes"),
              nullptr);
}

TEST_F(TilesTest, PersonalFieldsNeverReachATile) {
    const TileRenderer renderer(*registry);
    for (const std::uint32_t z : {8U, 12U, 14U, 17U, 19U}) {
        const TileId tile = diachi::tiles::tile_at(z, 20.21, 105.81);
        std::string out;
        renderer.render(tile, LayerSet::all(), &out);
        EXPECT_EQ(out.find("Bí Mật"), std::string::npos) << z;
        EXPECT_EQ(out.find("0912345678"), std::string::npos) << z;
    }
}

TEST_F(TilesTest, GoldenTile) {
    const TileRenderer renderer(*registry);
    std::string out;
    renderer.render(diachi::tiles::tile_at(13, 20.21, 105.81), LayerSet::parse("households,communes,labels"), &out);
    const std::string json = mvt::to_json(mvt::decode(out));
    const std::string golden = std::string(DIACHI_TEST_SOURCE_DIR) + "/tiles/golden/z13_sample.json";
    if (std::getenv("DIACHI_REGEN_GOLDEN") != nullptr) {
        std::ofstream(golden) << json;
    }
    std::ifstream in(golden);
    ASSERT_TRUE(in) << golden << " is missing (DIACHI_REGEN_GOLDEN=1 writes it)";
    const std::string expected((std::istreambuf_iterator<char>(in)), {});
    EXPECT_EQ(json, expected) << "the tile differs from " << golden;
}

TEST_F(TilesTest, PmtilesAndMbtilesHoldEveryRenderedTile) {
    const TileRenderer renderer(*registry);
    diachi::tiles::PyramidOptions options;
    options.max_zoom = 15;
    options.bounds = {20.15, 105.75, 20.45, 106.1};
    options.layers = LayerSet::parse("households,communes,provinces");
    for (const auto format : {diachi::tiles::ArchiveFormat::pmtiles, diachi::tiles::ArchiveFormat::mbtiles}) {
        options.format = format;
        const std::string path = dir / (format == diachi::tiles::ArchiveFormat::pmtiles ? "a.pmtiles" : "a.mbtiles");
        std::size_t progress_calls = 0;
        const auto summary = diachi::tiles::export_pyramid(renderer, path, options,
                                                           [&](const auto&) { ++progress_calls; });
        EXPECT_GT(summary.tiles_written, 50U);
        EXPECT_GT(progress_calls, 0U);
        const auto archive = diachi::tiles::open_archive(path);
        EXPECT_EQ(archive->info().max_zoom, 15U);
        EXPECT_NE(archive->info().metadata_json.find("\"vector_layers\""), std::string::npos);
        std::uint64_t found = 0;
        for (std::uint32_t z = 0; z <= 15; ++z) {
            const TileId nw = diachi::tiles::tile_at(z, 20.45, 105.75);
            const TileId se = diachi::tiles::tile_at(z, 20.15, 106.1);
            for (std::uint32_t y = nw.y; y <= se.y; ++y) {
                for (std::uint32_t x = nw.x; x <= se.x; ++x) {
                    std::string expected;
                    renderer.render({z, x, y}, options.layers, &expected);
                    const auto stored = archive->get({z, x, y});
                    ASSERT_EQ(stored.has_value(), !expected.empty()) << z << "/" << x << "/" << y;
                    if (stored) {
                        ++found;
                        EXPECT_EQ(diachi::tiles::gunzip(*stored), expected);
                    }
                }
            }
        }
        EXPECT_EQ(found, summary.tiles_written);
    }
}

namespace {

// A generated OSM file with a point, a road, a building way and a multipolygon building with a
// hole (every kind the layer reads).
const char* const generated_osm = R"(<?xml version="1.0" encoding="UTF-8"?>
<osm version="0.6" generator="diachi-test">
  <node id="1" lat="20.3000" lon="105.9000" version="1"><tag k="amenity" v="school"/><tag k="name" v="Trường Tiểu học Yên Hòa"/></node>
  <node id="2" lat="20.3000" lon="105.9010" version="1"/>
  <node id="3" lat="20.3010" lon="105.9020" version="1"/>
  <node id="10" lat="20.3002" lon="105.9002" version="1"/>
  <node id="11" lat="20.3002" lon="105.9004" version="1"/>
  <node id="12" lat="20.3004" lon="105.9004" version="1"/>
  <node id="13" lat="20.3004" lon="105.9002" version="1"/>
  <node id="20" lat="20.3006" lon="105.9006" version="1"/>
  <node id="21" lat="20.3006" lon="105.9012" version="1"/>
  <node id="22" lat="20.3012" lon="105.9012" version="1"/>
  <node id="23" lat="20.3012" lon="105.9006" version="1"/>
  <node id="30" lat="20.3008" lon="105.9008" version="1"/>
  <node id="31" lat="20.3008" lon="105.9010" version="1"/>
  <node id="32" lat="20.3010" lon="105.9010" version="1"/>
  <node id="33" lat="20.3010" lon="105.9008" version="1"/>
  <way id="100" version="1"><nd ref="1"/><nd ref="2"/><nd ref="3"/><tag k="highway" v="residential"/><tag k="name" v="Đường Liên Trì"/></way>
  <way id="101" version="1"><nd ref="10"/><nd ref="11"/><nd ref="12"/><nd ref="13"/><nd ref="10"/><tag k="building" v="house"/></way>
  <way id="102" version="1"><nd ref="20"/><nd ref="21"/><nd ref="22"/><nd ref="23"/><nd ref="20"/></way>
  <way id="103" version="1"><nd ref="30"/><nd ref="31"/><nd ref="32"/><nd ref="33"/><nd ref="30"/></way>
  <relation id="200" version="1"><member type="way" ref="102" role="outer"/><member type="way" ref="103" role="inner"/><tag k="type" v="multipolygon"/><tag k="building" v="school"/></relation>
</osm>
)";

}  // namespace

TEST_F(TilesTest, OsmPointsRoadsAndBuildingsIncludingMultipolygons) {
    const std::string path = dir / "generated.osm";
    std::ofstream(path) << generated_osm;
    const auto osm = diachi::tiles::OsmSource::read(path);
    EXPECT_EQ(osm->counts().points, 1U);
    EXPECT_EQ(osm->counts().roads, 1U);
    EXPECT_EQ(osm->counts().buildings, 2U);
    const TileRenderer renderer(*registry, {}, osm);
    const auto decoded = render(renderer, diachi::tiles::tile_at(16, 20.3005, 105.9005), LayerSet::parse("osm"));
    ASSERT_NE(decoded.layer("osm"), nullptr);
    std::map<std::string, const mvt::DecodedFeature*> by_kind_class;
    for (const auto& f : decoded.layer("osm")->features) {
        by_kind_class[text(f, "kind") + ":" + text(f, "class")] = &f;
    }
    ASSERT_TRUE(by_kind_class.contains("point:school"));
    EXPECT_EQ(text(*by_kind_class["point:school"], "name"), "Trường Tiểu học Yên Hòa");
    ASSERT_TRUE(by_kind_class.contains("road:residential"));
    EXPECT_EQ(by_kind_class["road:residential"]->geometry.size(), 1U);
    ASSERT_TRUE(by_kind_class.contains("building:house"));
    ASSERT_TRUE(by_kind_class.contains("building:school"));
    EXPECT_EQ(by_kind_class["building:school"]->geometry.size(), 2U);  // outer ring and hole
    // Roads only from zoom 12, buildings and points from 14.
    const auto z13 = render(renderer, diachi::tiles::tile_at(13, 20.3005, 105.9005), LayerSet::parse("osm"));
    ASSERT_NE(z13.layer("osm"), nullptr);
    EXPECT_EQ(z13.layer("osm")->features.size(), 1U);
    EXPECT_THROW(diachi::tiles::OsmSource::read(dir / "missing.osm.pbf"), std::runtime_error);
}

TEST_F(TilesTest, RealOpenStreetMapPointsOfHanoi) {
    const auto pbf = diachi::test::data_file("osm/hanoi_pois_nodes_2024-09.osm.pbf");
    if (!pbf) {
        GTEST_SKIP() << "../shared/data/osm/hanoi_pois_nodes_2024-09.osm.pbf is absent";
    }
    const auto osm = diachi::tiles::OsmSource::read(pbf->string());
    EXPECT_GT(osm->counts().points, 400U);
    const TileRenderer renderer(*registry, {}, osm);
    std::size_t points = 0;
    for (std::uint32_t y = 0; y < 4; ++y) {
        for (std::uint32_t x = 0; x < 4; ++x) {
            const TileId base = diachi::tiles::tile_at(12, 21.03, 105.85);
            const TileId tile{14, base.x * 4 + x, base.y * 4 + y};
            const auto decoded = render(renderer, tile, LayerSet::parse("osm"));
            if (const auto* layer = decoded.layer("osm")) {
                points += layer->features.size();
            }
        }
    }
    EXPECT_GT(points, 50U);
}
